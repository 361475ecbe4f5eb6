// Public shapes of FakeDiscord: what a test passes in and what it reads back.
// Discord payloads are plain JSON objects (snake_case, as on the wire); records are camelCase.

/** A JSON object as Discord sends or receives it. */
export type DiscordJson = Record<string, unknown>;

/** A user to create. Every field is optional; ids are generated snowflakes. */
export interface FakeUserInit {
  id?: string | undefined;
  username?: string | undefined;
  globalName?: string | null | undefined;
  bot?: boolean | undefined;
}

/** A team member of an application owned by a team. */
export interface FakeTeamMemberInit {
  user: FakeUserInit;
  /** Discord team roles: `admin`, `developer`, `read_only`. The team owner has no role of its own; use `admin`. */
  role: 'admin' | 'developer' | 'read_only';
  /** 1 = invited, 2 = accepted (default). */
  membershipState?: 1 | 2 | undefined;
}

/** A team owning the application. `ownerUserId` defaults to the first member. */
export interface FakeTeamInit {
  id?: string | undefined;
  name?: string | undefined;
  ownerUserId?: string | undefined;
  members: FakeTeamMemberInit[];
}

/** The application behind the bot. Its id defaults to the bot user's id, as on Discord. */
export interface FakeApplicationInit {
  id?: string | undefined;
  name?: string | undefined;
  /** A user (default: a generated user named `owner`) or a team (recognised by its `members`). */
  owner?: FakeUserInit | FakeTeamInit | undefined;
  flags?: number | undefined;
}

export interface FakeRoleInit {
  id?: string | undefined;
  name: string;
  /** Permission bit set as a decimal string, as Discord sends it. Default `'0'`. */
  permissions?: string | undefined;
}

export interface FakeChannelInit {
  id?: string | undefined;
  name: string;
  /** Channel type: 0 text (default), 2 voice, 4 category, 5 announcement. */
  type?: number | undefined;
}

export interface FakeMemberInit {
  /** A user id (of a configured user, the owner, a team member or the bot) or a user to create. */
  user: string | FakeUserInit;
  /** Role ids or role names of this guild. */
  roles?: string[] | undefined;
  nick?: string | null | undefined;
}

/**
 * A guild sent in READY (as unavailable) and then in GUILD_CREATE to the shard that owns it
 * (`(id >> 22) % shardCount`). The bot and the owner (a user, or the team owner) are members unless
 * `members` is given; `ownerId` defaults to the application owner (or team owner).
 */
export interface FakeGuildInit {
  id?: string | undefined;
  name?: string | undefined;
  ownerId?: string | undefined;
  channels?: FakeChannelInit[] | undefined;
  roles?: FakeRoleInit[] | undefined;
  members?: (string | FakeMemberInit)[] | undefined;
}

export interface FakeDiscordOptions {
  botUser?: FakeUserInit | undefined;
  application?: FakeApplicationInit | undefined;
  /** Default: one guild "Fake Guild" with a `#general` text channel, the bot and the owner(s) as members. Pass `[]` for none. */
  guilds?: FakeGuildInit[] | undefined;
  /** Extra users the REST API knows (DM targets, interaction users). */
  users?: FakeUserInit[] | undefined;
  /** The token the fake accepts; default: a generated, obviously fake token (see `FakeDiscord.token`). */
  token?: string | undefined;
  /** HELLO heartbeat interval in ms. Default 41_250 (Discord's). Small values exercise heartbeats. */
  heartbeatIntervalMs?: number | undefined;
  /** `shards` in `GET /gateway/bot` (what `shards: 'auto'` uses). Default 1. */
  recommendedShards?: number | undefined;
  /** Cap on recorded REST requests, stored messages per channel, and gateway log entries. Default 10_000. */
  maxRecorded?: number | undefined;
}

/** One uploaded file of a multipart request. */
export interface RecordedFile {
  /** The form field, e.g. `files[0]`. */
  field: string;
  name: string;
  contentType: string;
  size: number;
  data: Buffer;
}

/** One REST request as the fake received it, plus the status it answered with. */
export interface RecordedRequest {
  /** 1, 2, 3, … in arrival order. */
  seq: number;
  method: string;
  /** The route without the `/api/v10` prefix and query, e.g. `/channels/123/messages`. */
  path: string;
  /** The API version from the URL (10 for discord.js 14). */
  version: number;
  query: Record<string, string>;
  /** Lower-case header names. The authorization value is stored as `<scheme> [redacted]`. */
  headers: Record<string, string>;
  /** Whether an Authorization header was present, and its scheme (`Bot`, `Bearer`). The token itself is never stored. */
  auth: { scheme: string } | null;
  /** The JSON body, or for multipart requests the parsed `payload_json` field (or the other text fields). */
  body: unknown;
  files: RecordedFile[];
  /** The HTTP status the fake answered with. */
  status: number;
  /** The JSON the fake answered with (null for 204). */
  response: unknown;
  /** Set when a `failNext` rule produced this answer. */
  scripted: boolean;
}

/** A scripted failure for the next matching REST request(s). */
export interface FailNextOptions {
  /** HTTP method to match (any if omitted). */
  method?: string | undefined;
  /** Route to match, without `/api/v10`: an exact path, a pattern with `:params` (`/channels/:id/messages`), or a RegExp. */
  path: string | RegExp;
  status: number;
  /** Discord JSON error code, e.g. 50007 (DMs closed). */
  code?: number | undefined;
  message?: string | undefined;
  /** Extra `errors` object in the body. */
  errors?: DiscordJson | undefined;
  /** How many matching requests fail. Default 1. */
  times?: number | undefined;
  /** For 429: seconds to wait, sent as body `retry_after` and the `Retry-After` header. Default 0.01 (tests stay fast). */
  retryAfter?: number | undefined;
  /** For 429: a global rate limit (adds `X-RateLimit-Global`). */
  global?: boolean | undefined;
  /** Extra response headers. */
  headers?: Record<string, string> | undefined;
}

/** Handle to a scripted failure. */
export interface ScriptedFailure {
  /** How many requests this rule has failed so far. */
  readonly hits: number;
  /** How many more requests it will fail. */
  readonly remaining: number;
  /** Stops failing requests. */
  cancel(): void;
}

/** A message stored by the fake (sent by the bot over REST, by an interaction response, or pushed with `message()`). */
export interface StoredMessage {
  id: string;
  channelId: string;
  guildId: string | null;
  authorId: string;
  content: string;
  embeds: DiscordJson[];
  components: DiscordJson[];
  attachments: DiscordJson[];
  files: RecordedFile[];
  flags: number;
  /** The interaction this message answers, if any. */
  interactionId: string | null;
  deleted: boolean;
  /** How many times it was edited. */
  edits: number;
  /** The full message object as the API returns it. */
  raw: DiscordJson;
}

export type InteractionResponseKind =
  | 'callback'
  | 'followUp'
  | 'editOriginal'
  | 'deleteOriginal'
  | 'editFollowUp'
  | 'deleteFollowUp';

/** One answer of the bot to an interaction: the callback, a follow-up, or an edit/delete through the webhook. */
export interface InteractionResponse {
  kind: InteractionResponseKind;
  interactionId: string;
  /** The callback type for `callback` (4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete, 9 modal). */
  type: number | null;
  /** `data` of the callback body, or the webhook body. */
  data: DiscordJson;
  flags: number;
  /** Whether the Ephemeral flag (64) is set. */
  ephemeral: boolean;
  /** The message created or edited, if any. */
  messageId: string | null;
  files: RecordedFile[];
  /** `seq` of the REST request that carried it. */
  requestSeq: number;
}

/** A user reference: an id of a known user, or a user to create. */
export type FakeUserRef = string | FakeUserInit;

interface InteractionBase {
  /** Who acts. Default: the application owner (or team owner). */
  user?: FakeUserRef | undefined;
  /** A guild id: the interaction happens there (member payload). Omit for a DM. */
  guildId?: string | undefined;
  /** Channel id; default: the guild's first text channel, or the user's DM channel. */
  channelId?: string | undefined;
  locale?: string | undefined;
  /** Shallow overrides merged into the INTERACTION_CREATE payload last. */
  extra?: DiscordJson | undefined;
}

/** A chat-input (slash) command. `options` values: string → STRING, integer → INTEGER, other number → NUMBER, boolean → BOOLEAN, unless a registered command defines the option's type. */
export interface SlashCommandInteractionInit extends InteractionBase {
  type: 'command';
  command: string;
  subcommandGroup?: string | undefined;
  subcommand?: string | undefined;
  options?: Record<string, string | number | boolean> | undefined;
  /** Raw `data.options` (overrides `subcommand*` and `options`). */
  rawOptions?: DiscordJson[] | undefined;
}

/** A button click on a message. */
export interface ButtonInteractionInit extends InteractionBase {
  type: 'button';
  customId: string;
  /** The message carrying the button: a stored message (or its id), e.g. a DM the bot sent. Default: a synthetic bot message with that button. */
  message?: StoredMessage | string | undefined;
}

export type FakeInteractionInit = SlashCommandInteractionInit | ButtonInteractionInit;

/** What `interaction()` returns: the pushed interaction and ways to await the bot's answer. */
export interface FakeInteractionHandle {
  readonly id: string;
  readonly token: string;
  /** The INTERACTION_CREATE `d` payload that was dispatched. */
  readonly payload: DiscordJson;
  /** Everything the bot answered so far, in order. */
  responses(): InteractionResponse[];
  /** Waits for the interaction callback (reply, defer, update, …). */
  callback(timeoutMs?: number): Promise<InteractionResponse>;
  /** Waits for the first response matching `predicate` (any response if omitted). */
  waitForResponse(
    predicate?: (response: InteractionResponse) => boolean,
    timeoutMs?: number,
  ): Promise<InteractionResponse>;
}

/** A message a user sends (MESSAGE_CREATE). */
export interface FakeMessageInit {
  /** Author. Default: the application owner (or team owner). */
  author?: FakeUserRef | undefined;
  content: string;
  /** Channel id; default: the guild's first text channel if `guildId`, else the author's DM channel. */
  channelId?: string | undefined;
  guildId?: string | undefined;
  embeds?: DiscordJson[] | undefined;
  components?: DiscordJson[] | undefined;
}

/** Where a dispatch goes: the shard that owns the guild (`guild_id`, or `id` for GUILD_CREATE/UPDATE/DELETE; shard 0 without one) by default, `'all'` sessions, or one shard id. */
export interface DispatchOptions {
  shard?: number | 'all' | undefined;
}

/** One gateway frame the fake received from a client (heartbeats, identify, resume, …). */
export interface GatewayLogEntry {
  op: number;
  /** Shard id of the session, null before IDENTIFY. */
  shard: number | null;
  sessionId: string | null;
}

/** A shard as `[id, count]`. */
export type ShardInfo = [id: number, count: number];
