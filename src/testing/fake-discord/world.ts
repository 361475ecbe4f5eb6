// The fake's state: users, the application and its owner, guilds, channels, messages and commands.
import {
  ALL_PERMISSIONS,
  commandPayload,
  dmChannelPayload,
  guildChannelPayload,
  type MemberModel,
  memberPayload,
  messagePayload,
  rolePayload,
  type UserModel,
  userPayload,
} from './payloads.js';
import { snowflake } from './snowflake.js';
import type {
  DiscordJson,
  FakeDiscordOptions,
  FakeGuildInit,
  FakeTeamInit,
  FakeUserInit,
  FakeUserRef,
  RecordedFile,
  StoredMessage,
} from './types.js';

const TEAM_USER_FLAG = 1 << 10;

export interface GuildModel {
  id: string;
  name: string;
  ownerId: string;
  channels: DiscordJson[];
  roles: DiscordJson[];
  members: MemberModel[];
}

export interface ChannelModel {
  raw: DiscordJson;
  guildId: string | null;
  /** The other user of a DM channel. */
  recipientId: string | null;
  messages: StoredMessage[];
}

export interface NewMessage {
  channelId: string;
  author: UserModel;
  content?: unknown;
  embeds?: unknown;
  components?: unknown;
  attachments?: DiscordJson[] | undefined;
  files?: RecordedFile[] | undefined;
  flags?: number | undefined;
  type?: number | undefined;
  interactionId?: string | null | undefined;
  webhookId?: string | undefined;
  interactionMetadata?: DiscordJson | undefined;
}

function isTeam(owner: FakeUserInit | FakeTeamInit): owner is FakeTeamInit {
  return Array.isArray((owner as FakeTeamInit).members);
}

function asList(value: unknown): DiscordJson[] {
  return Array.isArray(value) ? (value as DiscordJson[]) : [];
}

export class World {
  readonly users = new Map<string, UserModel>();
  readonly guilds = new Map<string, GuildModel>();
  readonly channels = new Map<string, ChannelModel>();
  readonly bot: UserModel;
  readonly application: DiscordJson;
  /** The user ids that own the application: the owner, or the team's owner. */
  readonly ownerId: string;
  private readonly dmByUser = new Map<string, string>();
  private readonly messagesById = new Map<string, StoredMessage>();
  readonly globalCommands = new Map<string, DiscordJson>();
  readonly guildCommands = new Map<string, Map<string, DiscordJson>>();

  constructor(
    options: FakeDiscordOptions,
    private readonly maxPerChannel: number,
  ) {
    this.bot = this.addUser({ username: 'fake-bot', ...options.botUser, bot: true });
    for (const user of options.users ?? []) this.addUser(user);

    const app = options.application ?? {};
    const owner = app.owner ?? { username: 'owner' };
    let ownerPayload: DiscordJson;
    let teamPayload: DiscordJson | null = null;
    if (isTeam(owner)) {
      if (owner.members.length === 0) {
        throw new Error('FakeDiscord: application.owner is a team with no members; add at least one member');
      }
      const teamId = owner.id ?? snowflake();
      const members = owner.members.map((member) => ({ member, user: this.addUser(member.user) }));
      const firstMember = members[0] as (typeof members)[number];
      this.ownerId = owner.ownerUserId ?? firstMember.user.id;
      if (!members.some((entry) => entry.user.id === this.ownerId)) {
        throw new Error(`FakeDiscord: team ownerUserId ${this.ownerId} is not one of the team's members`);
      }
      teamPayload = {
        id: teamId,
        name: owner.name ?? 'Fake Team',
        icon: null,
        owner_user_id: this.ownerId,
        members: members.map(({ member, user }) => ({
          membership_state: member.membershipState ?? 2,
          team_id: teamId,
          user: userPayload(user),
          role: member.role,
          permissions: ['*'],
        })),
      };
      // Discord reports a team-owned application's owner as a pseudo-user named after the team.
      ownerPayload = userPayload({
        id: teamId,
        username: `team${teamId}`,
        globalName: null,
        bot: false,
        flags: TEAM_USER_FLAG,
      });
    } else {
      const user = this.addUser(owner);
      this.ownerId = user.id;
      ownerPayload = userPayload(user);
    }
    this.application = {
      id: app.id ?? this.bot.id,
      name: app.name ?? this.bot.username,
      icon: null,
      description: '',
      summary: '',
      type: null,
      bot_public: true,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: app.flags ?? 0,
      owner: ownerPayload,
      team: teamPayload,
      bot: userPayload(this.bot),
      tags: [],
      integration_types_config: { '0': {} },
      approximate_guild_count: 0,
    };

    const guilds = options.guilds ?? [{}];
    for (const guild of guilds) this.addGuild(guild);
  }

  get applicationId(): string {
    return String(this.application.id);
  }

  addUser(init: FakeUserInit): UserModel {
    const id = init.id ?? snowflake();
    const existing = this.users.get(id);
    if (existing) return existing;
    const user: UserModel = {
      id,
      username: init.username ?? `user${id.slice(-4)}`,
      globalName: init.globalName ?? null,
      bot: init.bot ?? false,
      flags: 0,
    };
    this.users.set(id, user);
    return user;
  }

  /** A known user by id, or a new user from an init object. */
  resolveUser(ref: FakeUserRef | undefined, where: string): UserModel {
    if (ref === undefined) return this.userById(this.ownerId, where);
    if (typeof ref === 'string') return this.userById(ref, where);
    return this.addUser(ref);
  }

  private userById(id: string, where: string): UserModel {
    const user = this.users.get(id);
    if (!user) {
      throw new Error(
        `FakeDiscord ${where}: unknown user ${id}; pass it in FakeDiscord.start({ users: [{ id: '${id}' }] }) or pass a user object`,
      );
    }
    return user;
  }

  addGuild(init: FakeGuildInit): GuildModel {
    const id = init.id ?? snowflake();
    const roles = [rolePayload(id, '@everyone', '0', 0)];
    for (const [index, role] of (init.roles ?? []).entries()) {
      roles.push(rolePayload(role.id ?? snowflake(), role.name, role.permissions ?? '0', index + 1));
    }
    const channelInits = init.channels ?? [{ name: 'general' }];
    const channels = channelInits.map((channel, index) =>
      guildChannelPayload(channel.id ?? snowflake(), id, channel.name, channel.type ?? 0, index),
    );
    const memberInits = init.members ?? [this.ownerId, this.bot.id];
    const members: MemberModel[] = memberInits.map((entry) => {
      const member = typeof entry === 'string' ? { user: entry } : entry;
      const user = this.resolveUser(member.user, `guild ${id} member`);
      const roleIds = (member.roles ?? []).map((ref) => {
        const role = roles.find((candidate) => candidate.id === ref || candidate.name === ref);
        if (!role) throw new Error(`FakeDiscord: guild ${id} member ${user.id} has unknown role "${ref}"`);
        return String(role.id);
      });
      return { userId: user.id, roles: roleIds, nick: member.nick ?? null };
    });
    if (!members.some((member) => member.userId === this.bot.id)) {
      members.push({ userId: this.bot.id, roles: [], nick: null });
    }
    const guild: GuildModel = {
      id,
      name: init.name ?? 'Fake Guild',
      ownerId: init.ownerId ?? this.ownerId,
      channels,
      roles,
      members,
    };
    this.guilds.set(id, guild);
    for (const channel of channels) {
      this.channels.set(String(channel.id), { raw: channel, guildId: id, recipientId: null, messages: [] });
    }
    return guild;
  }

  guildCreatePayload(guild: GuildModel, shardId: number): DiscordJson {
    const members = guild.members.map((member) =>
      memberPayload(member, this.userById(member.userId, `guild ${guild.id}`)),
    );
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: guild.roles,
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: 'en-US',
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      joined_at: new Date(0).toISOString(),
      large: false,
      unavailable: false,
      member_count: members.length,
      voice_states: [],
      members,
      channels: guild.channels,
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      shard: shardId,
    };
  }

  memberOf(guild: GuildModel, user: UserModel): DiscordJson {
    const member = guild.members.find((candidate) => candidate.userId === user.id) ?? {
      userId: user.id,
      roles: [],
      nick: null,
    };
    const permissions = guild.ownerId === user.id ? ALL_PERMISSIONS : '0';
    return memberPayload(member, user, permissions);
  }

  /** The DM channel with a user, created on first use. */
  dmChannel(userId: string): ChannelModel {
    const known = this.dmByUser.get(userId);
    if (known) return this.channels.get(known) as ChannelModel;
    const user = this.userById(userId, 'DM channel');
    const channel: ChannelModel = {
      raw: dmChannelPayload(snowflake(), user),
      guildId: null,
      recipientId: userId,
      messages: [],
    };
    this.channels.set(String(channel.raw.id), channel);
    this.dmByUser.set(userId, String(channel.raw.id));
    return channel;
  }

  existingDmChannel(userId: string): ChannelModel | undefined {
    const id = this.dmByUser.get(userId);
    return id === undefined ? undefined : this.channels.get(id);
  }

  firstTextChannel(guildId: string): string {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`FakeDiscord: unknown guild ${guildId}`);
    const channel = guild.channels.find((candidate) => candidate.type === 0 || candidate.type === 5);
    if (!channel) throw new Error(`FakeDiscord: guild ${guildId} has no text channel; add one in guilds[].channels`);
    return String(channel.id);
  }

  createMessage(input: NewMessage): StoredMessage {
    const channel = this.channels.get(input.channelId);
    if (!channel) throw new Error(`unknown channel ${input.channelId}`);
    const id = snowflake();
    const raw = messagePayload({
      id,
      channelId: input.channelId,
      guildId: channel.guildId,
      author: input.author,
      content: typeof input.content === 'string' ? input.content : '',
      embeds: asList(input.embeds),
      components: asList(input.components),
      attachments: input.attachments ?? [],
      flags: input.flags ?? 0,
      type: input.type ?? 0,
      ...(input.webhookId ? { webhookId: input.webhookId, applicationId: this.applicationId } : {}),
      ...(input.interactionMetadata ? { interactionMetadata: input.interactionMetadata } : {}),
    });
    const message: StoredMessage = {
      id,
      channelId: input.channelId,
      guildId: channel.guildId,
      authorId: input.author.id,
      content: String(raw.content),
      embeds: raw.embeds as DiscordJson[],
      components: raw.components as DiscordJson[],
      attachments: raw.attachments as DiscordJson[],
      files: input.files ?? [],
      flags: input.flags ?? 0,
      interactionId: input.interactionId ?? null,
      deleted: false,
      edits: 0,
      raw,
    };
    channel.raw.last_message_id = id;
    channel.messages.push(message);
    this.messagesById.set(id, message);
    while (channel.messages.length > this.maxPerChannel) {
      const dropped = channel.messages.shift() as StoredMessage;
      this.messagesById.delete(dropped.id);
    }
    return message;
  }

  message(id: string): StoredMessage | undefined {
    return this.messagesById.get(id);
  }

  /** Applies a PATCH body (content, embeds, components, attachments, flags) to a stored message. */
  editMessage(message: StoredMessage, body: DiscordJson, attachments: DiscordJson[] | null, files: RecordedFile[]) {
    if (typeof body.content === 'string' || body.content === null) message.content = body.content ?? '';
    if ('embeds' in body) message.embeds = asList(body.embeds);
    if ('components' in body) message.components = asList(body.components);
    if (attachments) {
      // Kept attachments are listed by id in `attachments`; new uploads come as files.
      const kept = asList(body.attachments)
        .map((entry) => message.attachments.find((existing) => existing.id === entry.id))
        .filter((entry): entry is DiscordJson => entry !== undefined);
      message.attachments = [...kept, ...attachments];
      message.files = [...message.files, ...files];
    } else if ('attachments' in body) {
      const ids = new Set(asList(body.attachments).map((entry) => entry.id));
      message.attachments = message.attachments.filter((entry) => ids.has(entry.id));
    }
    if (typeof body.flags === 'number') message.flags = body.flags;
    message.flags &= ~128;
    message.edits += 1;
    message.raw = {
      ...message.raw,
      content: message.content,
      embeds: message.embeds,
      components: message.components,
      attachments: message.attachments,
      flags: message.flags,
      edited_timestamp: new Date().toISOString(),
    };
  }

  commandStore(guildId: string | null): Map<string, DiscordJson> {
    if (guildId === null) return this.globalCommands;
    let store = this.guildCommands.get(guildId);
    if (!store) {
      store = new Map();
      this.guildCommands.set(guildId, store);
    }
    return store;
  }

  /** Create or replace a command with the same name and type. Returns the command and whether it was new. */
  upsertCommand(guildId: string | null, body: DiscordJson): { command: DiscordJson; created: boolean } {
    const store = this.commandStore(guildId);
    const type = typeof body.type === 'number' ? body.type : 1;
    const existing = [...store.values()].find((command) => command.name === body.name && command.type === type);
    const id = existing ? String(existing.id) : snowflake();
    const command = commandPayload(id, this.applicationId, body, guildId);
    command.version = snowflake();
    store.set(id, command);
    return { command, created: !existing };
  }

  /** Applies a PATCH body to a command, keeping its id. */
  patchCommand(guildId: string | null, command: DiscordJson, body: DiscordJson): DiscordJson {
    const updated = commandPayload(String(command.id), this.applicationId, { ...command, ...body }, guildId);
    updated.version = snowflake();
    this.commandStore(guildId).set(updated.id, updated);
    return updated;
  }

  /** Bulk overwrite: the list becomes exactly `bodies`; commands keep their id when the name and type match. */
  replaceCommands(guildId: string | null, bodies: DiscordJson[]): DiscordJson[] {
    const store = this.commandStore(guildId);
    const previous = [...store.values()];
    store.clear();
    return bodies.map((body) => {
      const type = typeof body.type === 'number' ? body.type : 1;
      const match = previous.find((command) => command.name === body.name && command.type === type);
      const command = commandPayload(match ? String(match.id) : snowflake(), this.applicationId, body, guildId);
      store.set(String(command.id), command);
      return command;
    });
  }

  /** A registered command by name: the guild's first, then global. */
  findCommand(name: string, guildId: string | null): DiscordJson | undefined {
    const matches = (store: Map<string, DiscordJson> | undefined) =>
      store ? [...store.values()].find((command) => command.name === name && command.type === 1) : undefined;
    return (guildId ? matches(this.guildCommands.get(guildId)) : undefined) ?? matches(this.globalCommands);
  }
}
