// Builders for Discord API objects, complete enough that discord.js 14 parses them without gaps.
import type { DiscordJson, RecordedFile } from './types.js';

export const CHANNEL_TYPE_DM = 1;
export const MESSAGE_FLAG_EPHEMERAL = 64;
export const MESSAGE_FLAG_LOADING = 128;
/** Every permission bit of discord-api-types v10 up to 2^50, as a decimal string. */
export const ALL_PERMISSIONS = ((1n << 51n) - 1n).toString();

export interface UserModel {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
  /** Team pseudo-users have the TEAM_USER flag (1 << 10). */
  flags: number;
}

export function userPayload(user: UserModel): DiscordJson {
  return {
    id: user.id,
    username: user.username,
    global_name: user.globalName,
    discriminator: '0',
    avatar: null,
    bot: user.bot,
    system: false,
    public_flags: user.flags,
    flags: user.flags,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
  };
}

export interface MemberModel {
  userId: string;
  roles: string[];
  nick: string | null;
}

export function memberPayload(member: MemberModel, user: UserModel, permissions?: string): DiscordJson {
  return {
    user: userPayload(user),
    nick: member.nick,
    avatar: null,
    banner: null,
    roles: [...member.roles],
    joined_at: new Date(0).toISOString(),
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
    ...(permissions === undefined ? {} : { permissions }),
  };
}

export function rolePayload(id: string, name: string, permissions: string, position: number): DiscordJson {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions,
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

export function guildChannelPayload(id: string, guildId: string, name: string, type: number, position: number) {
  return {
    id,
    type,
    guild_id: guildId,
    name,
    position,
    permission_overwrites: [],
    parent_id: null,
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  } satisfies DiscordJson;
}

export function dmChannelPayload(id: string, recipient: UserModel): DiscordJson {
  return { id, type: CHANNEL_TYPE_DM, recipients: [userPayload(recipient)], last_message_id: null, flags: 0 };
}

export interface MessageInput {
  id: string;
  channelId: string;
  guildId: string | null;
  author: UserModel;
  content: string;
  embeds: DiscordJson[];
  components: DiscordJson[];
  attachments: DiscordJson[];
  flags: number;
  type: number;
  webhookId?: string | undefined;
  applicationId?: string | undefined;
  interactionMetadata?: DiscordJson | undefined;
  editedAt?: string | null | undefined;
}

export function messagePayload(input: MessageInput): DiscordJson {
  return {
    id: input.id,
    type: input.type,
    channel_id: input.channelId,
    ...(input.guildId ? { guild_id: input.guildId } : {}),
    author: userPayload(input.author),
    content: input.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: input.editedAt ?? null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    mention_channels: [],
    attachments: input.attachments,
    embeds: input.embeds,
    components: input.components,
    reactions: [],
    pinned: false,
    flags: input.flags,
    ...(input.webhookId ? { webhook_id: input.webhookId } : {}),
    ...(input.applicationId ? { application_id: input.applicationId } : {}),
    ...(input.interactionMetadata ? { interaction_metadata: input.interactionMetadata } : {}),
  };
}

/** Attachment objects for uploaded files, matched to the `attachments` entries discord.js puts in payload_json. */
export function attachmentPayloads(
  baseUrl: string,
  channelId: string,
  files: RecordedFile[],
  declared: unknown,
  newId: () => string,
): DiscordJson[] {
  const declaredList = Array.isArray(declared) ? (declared as DiscordJson[]) : [];
  return files.map((file, position) => {
    const id = newId();
    // discord.js names uploads files[N] and lists them in payload_json.attachments with id N.
    const index = /\[(\d+)\]$/.exec(file.field)?.[1] ?? String(position);
    const match = declaredList.find((entry) => String(entry.id) === index);
    const filename = typeof match?.filename === 'string' ? match.filename : file.name;
    const url = `${baseUrl}/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
    return {
      id,
      filename,
      size: file.size,
      url,
      proxy_url: url,
      content_type: file.contentType,
      ...(typeof match?.description === 'string' ? { description: match.description } : {}),
    };
  });
}

/** An application command as the API returns it. */
export function commandPayload(id: string, applicationId: string, body: DiscordJson, guildId: string | null) {
  return {
    id,
    application_id: applicationId,
    version: id,
    type: typeof body.type === 'number' ? body.type : 1,
    name: String(body.name),
    name_localizations: body.name_localizations ?? null,
    description: typeof body.description === 'string' ? body.description : '',
    description_localizations: body.description_localizations ?? null,
    options: Array.isArray(body.options) ? body.options : [],
    default_member_permissions: body.default_member_permissions ?? null,
    dm_permission: body.dm_permission ?? true,
    contexts: body.contexts ?? null,
    integration_types: body.integration_types ?? [0],
    nsfw: body.nsfw ?? false,
    ...(guildId ? { guild_id: guildId } : {}),
  } satisfies DiscordJson;
}
