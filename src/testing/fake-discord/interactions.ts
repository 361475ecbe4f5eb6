// Interactions: building INTERACTION_CREATE payloads and answering the bot's callbacks, follow-ups and edits.
import { randomBytes } from 'node:crypto';
import {
  ALL_PERMISSIONS,
  MESSAGE_FLAG_EPHEMERAL,
  MESSAGE_FLAG_LOADING,
  type UserModel,
  userPayload,
} from './payloads.js';
import { apiError, noContent, ok, type RestContext, type RestResult } from './router.js';
import { snowflake } from './snowflake.js';
import type {
  DiscordJson,
  FakeInteractionInit,
  InteractionResponse,
  InteractionResponseKind,
  RecordedFile,
  SlashCommandInteractionInit,
  StoredMessage,
} from './types.js';
import type { World } from './world.js';

const INTERACTION_APPLICATION_COMMAND = 2;
const INTERACTION_MESSAGE_COMPONENT = 3;
const COMPONENT_BUTTON = 2;
const MESSAGE_TYPE_CHAT_INPUT_COMMAND = 20;
const MESSAGE_TYPE_DEFAULT = 0;
const CALLBACK_REPLY = 4;
const CALLBACK_DEFERRED_REPLY = 5;
const CALLBACK_DEFERRED_UPDATE = 6;
const CALLBACK_UPDATE = 7;

const OPTION_SUB_COMMAND = 1;
const OPTION_SUB_COMMAND_GROUP = 2;
const OPTION_STRING = 3;
const OPTION_INTEGER = 4;
const OPTION_BOOLEAN = 5;
const OPTION_USER = 6;
const OPTION_NUMBER = 10;

export interface InteractionState {
  id: string;
  token: string;
  type: number;
  channelId: string;
  guildId: string | null;
  user: UserModel;
  /** The message a component was clicked on. */
  sourceMessageId: string | null;
  callbackType: number | null;
  originalMessageId: string | null;
  followUpIds: Set<string>;
  responses: InteractionResponse[];
}

type Attach = (channelId: string, files: RecordedFile[], declared: unknown) => DiscordJson[];

function flagsOf(data: DiscordJson): number {
  return typeof data.flags === 'number' ? data.flags : 0;
}

export class Interactions {
  private readonly states = new Map<string, InteractionState>();

  constructor(
    private readonly world: World,
    private readonly maxKept: number,
    private readonly attach: Attach,
  ) {}

  get(id: string): InteractionState | undefined {
    return this.states.get(id);
  }

  /** Builds the INTERACTION_CREATE payload and starts tracking the interaction. */
  create(init: FakeInteractionInit): { state: InteractionState; payload: DiscordJson } {
    const where = `interaction({ type: '${init.type}' })`;
    const user = this.world.resolveUser(init.user, where);
    let source: StoredMessage | undefined;
    if (init.type === 'button' && init.message !== undefined) {
      const id = typeof init.message === 'string' ? init.message : init.message.id;
      source = this.world.message(id);
      if (!source) throw new Error(`FakeDiscord ${where}: unknown message ${id}; pass a message the fake stored`);
    }
    const guildId = init.guildId ?? source?.guildId ?? null;
    if (guildId !== null && !this.world.guilds.has(guildId)) {
      throw new Error(`FakeDiscord ${where}: unknown guild ${guildId}`);
    }
    const channelId =
      init.channelId ??
      source?.channelId ??
      (guildId ? this.world.firstTextChannel(guildId) : String(this.world.dmChannel(user.id).raw.id));
    const channel = this.world.channels.get(channelId);
    if (!channel) throw new Error(`FakeDiscord ${where}: unknown channel ${channelId}`);

    const id = snowflake();
    // Shaped like Discord's: base64 of `interaction:<id>:<secret>` (so scrubbers see the real prefix `aW50ZXJhY3Rpb246`).
    const secret = `fake-interaction-token-${randomBytes(24).toString('hex')}`;
    const token = Buffer.from(`interaction:${id}:${secret}`).toString('base64url');
    const guild = guildId ? this.world.guilds.get(guildId) : undefined;
    const payload: DiscordJson = {
      id,
      application_id: this.world.applicationId,
      token,
      version: 1,
      channel_id: channelId,
      channel: channel.raw,
      app_permissions: ALL_PERMISSIONS,
      locale: init.locale ?? 'en-US',
      entitlements: [],
      authorizing_integration_owners: guild ? { '0': guild.id } : { '0': '0' },
      context: guild ? 0 : 1,
      attachment_size_limit: 10 * 1024 * 1024,
    };
    if (guild) {
      payload.guild_id = guild.id;
      payload.guild = { id: guild.id, locale: 'en-US', features: [] };
      payload.guild_locale = 'en-US';
      payload.member = this.world.memberOf(guild, user);
    } else {
      payload.user = userPayload(user);
    }

    let type: number;
    if (init.type === 'command') {
      type = INTERACTION_APPLICATION_COMMAND;
      payload.data = this.commandData(init, guildId);
    } else {
      type = INTERACTION_MESSAGE_COMPONENT;
      payload.data = { custom_id: init.customId, component_type: COMPONENT_BUTTON };
      payload.message = source?.raw ?? this.syntheticButtonMessage(channelId, guildId, init.customId);
    }
    payload.type = type;
    Object.assign(payload, init.extra);

    const state: InteractionState = {
      id,
      token,
      type,
      channelId,
      guildId,
      user,
      sourceMessageId: source?.id ?? null,
      callbackType: null,
      originalMessageId: null,
      followUpIds: new Set(),
      responses: [],
    };
    this.states.set(id, state);
    while (this.states.size > this.maxKept) {
      const oldest = this.states.keys().next().value as string;
      this.states.delete(oldest);
    }
    return { state, payload };
  }

  private commandData(init: SlashCommandInteractionInit, guildId: string | null): DiscordJson {
    const registered = this.world.findCommand(init.command, guildId);
    const resolvedUsers: Record<string, DiscordJson> = {};
    let options: DiscordJson[];
    if (init.rawOptions) {
      options = init.rawOptions;
    } else {
      let schema = Array.isArray(registered?.options) ? (registered.options as DiscordJson[]) : [];
      const findSchema = (name: string) => schema.find((option) => option.name === name);
      let leaf: DiscordJson[] = [];
      options = leaf;
      if (init.subcommandGroup) {
        const group = findSchema(init.subcommandGroup);
        schema = Array.isArray(group?.options) ? (group.options as DiscordJson[]) : [];
        const groupOptions: DiscordJson[] = [];
        options.push({ type: OPTION_SUB_COMMAND_GROUP, name: init.subcommandGroup, options: groupOptions });
        leaf = groupOptions;
      }
      if (init.subcommand) {
        const sub = findSchema(init.subcommand);
        schema = Array.isArray(sub?.options) ? (sub.options as DiscordJson[]) : [];
        const subOptions: DiscordJson[] = [];
        leaf.push({ type: OPTION_SUB_COMMAND, name: init.subcommand, options: subOptions });
        leaf = subOptions;
      }
      for (const [name, value] of Object.entries(init.options ?? {})) {
        const declared = findSchema(name)?.type;
        const type = typeof declared === 'number' ? declared : inferOptionType(value);
        leaf.push({ type, name, value });
        if (type === OPTION_USER) {
          const target = this.world.users.get(String(value));
          if (target) resolvedUsers[target.id] = userPayload(target);
        }
      }
    }
    return {
      id: registered ? String(registered.id) : snowflake(),
      name: init.command,
      type: 1,
      options,
      ...(Object.keys(resolvedUsers).length > 0 ? { resolved: { users: resolvedUsers } } : {}),
      ...(registered?.guild_id ? { guild_id: registered.guild_id } : {}),
    };
  }

  private syntheticButtonMessage(channelId: string, guildId: string | null, customId: string): DiscordJson {
    return {
      id: snowflake(),
      type: 0,
      channel_id: channelId,
      ...(guildId ? { guild_id: guildId } : {}),
      author: userPayload(this.world.bot),
      content: '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      flags: 0,
      components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: customId, label: customId }] }],
    };
  }

  private record(
    state: InteractionState,
    kind: InteractionResponseKind,
    type: number | null,
    data: DiscordJson,
    messageId: string | null,
    context: RestContext,
  ): void {
    const flags = flagsOf(data);
    state.responses.push({
      kind,
      interactionId: state.id,
      type,
      data,
      flags,
      ephemeral: (flags & MESSAGE_FLAG_EPHEMERAL) !== 0,
      messageId,
      files: context.files,
      requestSeq: context.seq,
    });
  }

  private newMessage(state: InteractionState, data: DiscordJson, context: RestContext, flags: number): StoredMessage {
    return this.world.createMessage({
      channelId: state.channelId,
      author: this.world.bot,
      content: data.content,
      embeds: data.embeds,
      components: data.components,
      attachments: this.attach(state.channelId, context.files, data.attachments),
      files: context.files,
      flags,
      type: state.type === INTERACTION_APPLICATION_COMMAND ? MESSAGE_TYPE_CHAT_INPUT_COMMAND : MESSAGE_TYPE_DEFAULT,
      interactionId: state.id,
      webhookId: this.world.applicationId,
      interactionMetadata: {
        id: state.id,
        type: state.type,
        user: userPayload(state.user),
        authorizing_integration_owners: {},
      },
    });
  }

  /** `POST /interactions/:id/:token/callback` */
  callback = (context: RestContext): RestResult => {
    const state = this.states.get(context.params.id as string);
    if (!state || state.token !== context.params.token) return apiError(404, 10062, 'Unknown interaction');
    if (state.callbackType !== null) {
      return apiError(400, 40060, 'Interaction has already been acknowledged.');
    }
    const type = context.body.type;
    if (typeof type !== 'number') {
      return apiError(400, 50035, 'Invalid Form Body', { type: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] } });
    }
    const data = (context.body.data ?? {}) as DiscordJson;
    state.callbackType = type;
    let message: StoredMessage | undefined;
    if (type === CALLBACK_REPLY) {
      message = this.newMessage(state, data, context, flagsOf(data));
      state.originalMessageId = message.id;
    } else if (type === CALLBACK_DEFERRED_REPLY) {
      message = this.newMessage(state, {}, context, flagsOf(data) | MESSAGE_FLAG_LOADING);
      state.originalMessageId = message.id;
    } else if (type === CALLBACK_UPDATE || type === CALLBACK_DEFERRED_UPDATE) {
      const source = state.sourceMessageId ? this.world.message(state.sourceMessageId) : undefined;
      if (type === CALLBACK_UPDATE && source) {
        this.world.editMessage(
          source,
          data,
          this.attach(source.channelId, context.files, data.attachments),
          context.files,
        );
      }
      message = source;
      state.originalMessageId = source?.id ?? null;
    }
    this.record(state, 'callback', type, data, message?.id ?? null, context);
    if (context.query.with_response !== 'true') return noContent;
    return ok({
      interaction: {
        id: state.id,
        type: state.type,
        response_message_id: message?.id,
        response_message_loading: type === CALLBACK_DEFERRED_REPLY,
        response_message_ephemeral: ((message?.flags ?? 0) & MESSAGE_FLAG_EPHEMERAL) !== 0,
      },
      resource: { type, ...(message ? { message: message.raw } : {}) },
    });
  };

  private stateForWebhook(context: RestContext): InteractionState | RestResult {
    const state = [...this.states.values()].find((candidate) => candidate.token === context.params.token);
    if (!state || context.params.applicationId !== this.world.applicationId) {
      return apiError(404, 10015, 'Unknown Webhook');
    }
    if (state.callbackType === null) return apiError(404, 10015, 'Unknown Webhook');
    return state;
  }

  private messageFor(state: InteractionState, ref: string): StoredMessage | undefined {
    const id = ref === '@original' ? state.originalMessageId : state.followUpIds.has(ref) ? ref : null;
    const message = id ? this.world.message(id) : undefined;
    return message && !message.deleted ? message : undefined;
  }

  /** `POST /webhooks/:applicationId/:token` (a follow-up) */
  followUp = (context: RestContext): RestResult => {
    const state = this.stateForWebhook(context);
    if (!('id' in state)) return state;
    const message = this.newMessage(state, context.body, context, flagsOf(context.body));
    state.followUpIds.add(message.id);
    this.record(state, 'followUp', null, context.body, message.id, context);
    return context.query.wait === 'false' ? noContent : ok(message.raw);
  };

  /** `GET /webhooks/:applicationId/:token/messages/:messageId` */
  getMessage = (context: RestContext): RestResult => {
    const state = this.stateForWebhook(context);
    if (!('id' in state)) return state;
    const message = this.messageFor(state, context.params.messageId as string);
    return message ? ok(message.raw) : apiError(404, 10008, 'Unknown Message');
  };

  /** `PATCH /webhooks/:applicationId/:token/messages/:messageId` */
  editMessage = (context: RestContext): RestResult => {
    const state = this.stateForWebhook(context);
    if (!('id' in state)) return state;
    const ref = context.params.messageId as string;
    const message = this.messageFor(state, ref);
    if (!message) return apiError(404, 10008, 'Unknown Message');
    const attachments = this.attach(message.channelId, context.files, context.body.attachments);
    this.world.editMessage(message, context.body, context.files.length > 0 ? attachments : null, context.files);
    const kind = ref === '@original' ? 'editOriginal' : 'editFollowUp';
    this.record(state, kind, null, context.body, message.id, context);
    return ok(message.raw);
  };

  /** `DELETE /webhooks/:applicationId/:token/messages/:messageId` */
  deleteMessage = (context: RestContext): RestResult => {
    const state = this.stateForWebhook(context);
    if (!('id' in state)) return state;
    const ref = context.params.messageId as string;
    const message = this.messageFor(state, ref);
    if (!message) return apiError(404, 10008, 'Unknown Message');
    message.deleted = true;
    this.record(state, ref === '@original' ? 'deleteOriginal' : 'deleteFollowUp', null, {}, message.id, context);
    return noContent;
  };
}

function inferOptionType(value: string | number | boolean): number {
  if (typeof value === 'boolean') return OPTION_BOOLEAN;
  if (typeof value === 'number') return Number.isInteger(value) ? OPTION_INTEGER : OPTION_NUMBER;
  return OPTION_STRING;
}
