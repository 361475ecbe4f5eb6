// FakeDiscord: a Discord REST API + gateway on 127.0.0.1 that a real discord.js Client logs into.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type OptionNames, unknownOptions } from '../../log/index.js';
import { importOptional } from '../../store/index.js';
import { Gateway, type GatewaySessionInfo } from './gateway.js';
import { Interactions } from './interactions.js';
import { attachmentPayloads, userPayload } from './payloads.js';
import { registerRoutes } from './rest-routes.js';
import { pathMatcher, type RestResult, Router } from './router.js';
import { snowflake } from './snowflake.js';
import type {
  DiscordJson,
  DispatchOptions,
  FailNextOptions,
  FakeDiscordOptions,
  FakeInteractionHandle,
  FakeInteractionInit,
  FakeMessageInit,
  FakeUserInit,
  GatewayLogEntry,
  InteractionResponse,
  RecordedFile,
  RecordedRequest,
  ScriptedFailure,
  ShardInfo,
  StoredMessage,
} from './types.js';
import { World } from './world.js';

const DEFAULT_MAX_RECORDED = 10_000;
const DEFAULT_TIMEOUT_MS = 5_000;

interface FailureRule {
  options: FailNextOptions;
  matches: (path: string) => boolean;
  remaining: number;
  hits: number;
}

interface ParsedBody {
  body: unknown;
  files: RecordedFile[];
}

/** What `clientOptions()` returns: spread it into `new Client({ intents, ...discord.clientOptions() })`. */
/**
 * What `clientOptions()` returns, spread into discord.js's `ClientOptions`: an absent key is left out, never
 * `undefined`, because discord.js's options reject `undefined` under exactOptionalPropertyTypes (@exactOptional).
 */
export interface FakeClientOptions {
  rest: { api: string };
  shards?: number[];
  shardCount?: number;
}

const FAKE_DISCORD_OPTION_NAMES: OptionNames<FakeDiscordOptions> = {
  botUser: true,
  application: true,
  guilds: true,
  users: true,
  token: true,
  heartbeatIntervalMs: true,
  recommendedShards: true,
  maxRecorded: true,
};
/** A guild as the fake holds it. */
export interface FakeGuildInfo {
  id: string;
  name: string;
  ownerId: string;
  channels: DiscordJson[];
  roles: DiscordJson[];
  memberIds: string[];
}

/**
 * An obviously fake token with the shape discord.js and token scrubbers expect:
 * base64(bot id) . 6 chars . 27+ chars.
 */
function fakeToken(botId: string): string {
  return `${Buffer.from(botId).toString('base64url')}.FAKExx.consentry-fake-token-${randomBytes(12).toString('hex')}`;
}

function headerRecord(request: IncomingMessage): {
  headers: Record<string, string>;
  auth: { scheme: string } | null;
  token: string | null;
} {
  const headers: Record<string, string> = {};
  let auth: { scheme: string } | null = null;
  let token: string | null = null;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (name === 'authorization') {
      const [scheme = '', ...rest] = text.split(' ');
      auth = { scheme };
      token = rest.join(' ');
      headers[name] = `${scheme} [redacted]`;
    } else {
      headers[name] = text;
    }
  }
  return { headers, auth, token };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function parseBody(raw: Buffer, contentType: string): Promise<ParsedBody> {
  if (raw.length === 0) return { body: null, files: [] };
  if (contentType.startsWith('multipart/form-data')) {
    // The platform's fetch Response parses multipart bodies exactly as a browser would.
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    const files: RecordedFile[] = [];
    let body: DiscordJson = {};
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = { ...body, ...(JSON.parse(value) as DiscordJson) };
        else body[field] = value;
      } else {
        const data = Buffer.from(await value.arrayBuffer());
        files.push({ field, name: value.name, contentType: value.type, size: data.length, data });
      }
    }
    return { body, files };
  }
  const text = raw.toString('utf8');
  if (contentType.startsWith('application/json')) return { body: JSON.parse(text), files: [] };
  return { body: text, files: [] };
}

/**
 * A fake Discord for tests: the REST API and the gateway on 127.0.0.1, on a random port. A real discord.js 14
 * `Client` logs in with `rest: { api: discord.apiUrl }` (see `clientOptions()`); nothing else is needed because
 * discord.js reads the gateway URL from `GET /gateway/bot`.
 *
 * It records every REST request (the token is never stored), keeps the messages the bot sends, answers
 * interaction callbacks and follow-ups, upserts commands, and fails requests on demand (`failNext`).
 * Records are capped (`maxRecorded`, default 10_000 requests, messages per channel and gateway frames).
 *
 * @example
 * const discord = await FakeDiscord.start();
 * const client = new Client({ intents: [GatewayIntentBits.Guilds], ...discord.clientOptions() });
 * await client.login(discord.token);
 * const click = discord.interaction({ type: 'command', command: 'ping' });
 * expect((await click.callback()).data.content).toBe('pong');
 * client.destroy(); await discord.close();
 */
export class FakeDiscord {
  /** The value for discord.js's `rest.api` option, e.g. `http://127.0.0.1:41234/api`. */
  readonly apiUrl: string;
  /** The gateway URL `GET /gateway/bot` hands out, e.g. `ws://127.0.0.1:41234/gateway`. */
  readonly gatewayUrl: string;
  /** The bot token the fake accepts: fake, but shaped like a real one (base64 id . 6 chars . secret). */
  readonly token: string;

  private readonly world: World;
  private readonly router = new Router();
  private readonly interactions: Interactions;
  private readonly gateway: Gateway;
  private readonly recorded: RecordedRequest[] = [];
  private readonly rules: FailureRule[] = [];
  private readonly waiters = new Set<{ check: () => void; fail: (error: Error) => void }>();
  private readonly maxRecorded: number;
  private seq = 0;

  private constructor(
    private readonly server: Server,
    options: FakeDiscordOptions,
    WebSocketServer: typeof import('ws').WebSocketServer,
  ) {
    const { port } = server.address() as AddressInfo;
    const origin = `127.0.0.1:${port}`;
    this.apiUrl = `http://${origin}/api`;
    this.gatewayUrl = `ws://${origin}/gateway`;
    this.maxRecorded = options.maxRecorded ?? DEFAULT_MAX_RECORDED;
    if (!Number.isInteger(this.maxRecorded) || this.maxRecorded < 1) {
      throw new Error(`FakeDiscord.start: maxRecorded must be a positive integer, got ${String(options.maxRecorded)}`);
    }
    this.world = new World(options, this.maxRecorded);
    this.token = options.token ?? fakeToken(this.world.bot.id);
    const attach = (channelId: string, files: RecordedFile[], declared: unknown) =>
      attachmentPayloads(`http://${origin}`, channelId, files, declared, snowflake);
    this.interactions = new Interactions(this.world, this.maxRecorded, attach);
    this.gateway = new Gateway({
      world: this.world,
      token: this.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      gatewayUrl: () => this.gatewayUrl,
      maxLog: this.maxRecorded,
      onChange: () => this.notify(),
      WebSocketServer,
    });
    registerRoutes(this.router, {
      world: this.world,
      interactions: this.interactions,
      gatewayUrl: () => this.gatewayUrl,
      recommendedShards: options.recommendedShards ?? 1,
      attach,
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: `FakeDiscord internal error: ${String(error)}`, code: 0 }));
      });
    });
    server.on('upgrade', (request: IncomingMessage, socket, head: Buffer) => {
      if (new URL(request.url ?? '/', 'http://127.0.0.1').pathname !== '/gateway') {
        socket.destroy();
        return;
      }
      this.gateway.handleUpgrade(request, socket, head);
    });
  }

  /** Starts a fake Discord on 127.0.0.1 with a random port. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    // A test helper: a misspelt option fails the test at once instead of being ignored.
    const [unknown] = unknownOptions(options, FAKE_DISCORD_OPTION_NAMES, 'FakeDiscord.start(options)');
    if (unknown) throw new TypeError(unknown.message);
    const { WebSocketServer } = await importOptional(() => import('ws'), 'ws', 'FakeDiscord (consentry/testing)');
    const server = createServer({ keepAliveTimeout: 1_000 });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    try {
      return new FakeDiscord(server, options, WebSocketServer);
    } catch (error) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      throw error;
    }
  }

  /**
   * Options to spread into `new Client({ intents, ...discord.clientOptions() })`. Pass `shard: [id, count]`
   * to run one shard of several (sets `shards` and `shardCount`).
   */
  clientOptions(options: { shard?: ShardInfo | undefined } = {}): FakeClientOptions {
    const result: FakeClientOptions = { rest: { api: this.apiUrl } };
    if (options.shard) {
      const [id, count] = options.shard;
      result.shards = [id];
      result.shardCount = count;
    }
    return result;
  }

  /** The bot user as the API returns it. */
  get botUser(): DiscordJson {
    return userPayload(this.world.bot);
  }

  /** The application as `GET /applications/@me` returns it (with `owner`, and `team` when a team owns it). */
  get application(): DiscordJson {
    return this.world.application;
  }

  /** The owning user's id: the owner, or the team's owner. */
  get ownerId(): string {
    return this.world.ownerId;
  }

  guilds(): FakeGuildInfo[] {
    return [...this.world.guilds.values()].map((guild) => ({
      id: guild.id,
      name: guild.name,
      ownerId: guild.ownerId,
      channels: guild.channels,
      roles: guild.roles,
      memberIds: guild.members.map((member) => member.userId),
    }));
  }

  /** Adds a user the API knows (for DMs and interactions); returns it as the API would. */
  addUser(init: FakeUserInit = {}): DiscordJson {
    return userPayload(this.world.addUser(init));
  }

  // ---- gateway ----

  /**
   * Sends a gateway dispatch. By default it goes where Discord would send it: the shard that owns the guild
   * (`data.guild_id`, or `data.id` for GUILD_CREATE/UPDATE/DELETE), or shard 0 without one. `{ shard: 'all' }` sends to every session, `{ shard: n }` to shard n.
   * Returns the number of sessions that got it; throws if there are none (log a Client in first).
   */
  dispatch(type: string, data: DiscordJson, options: DispatchOptions = {}): number {
    return this.gateway.dispatch(type, data, options);
  }

  /**
   * Pushes an INTERACTION_CREATE: a slash command (`type: 'command'`) or a button click (`type: 'button'`),
   * in a guild (`guildId`) or in the user's DM. Each has a unique id and token; the handle awaits the bot's answer.
   */
  interaction(init: FakeInteractionInit): FakeInteractionHandle {
    const { state, payload } = this.interactions.create(init);
    this.dispatch('INTERACTION_CREATE', payload);
    const responses = () => [...state.responses];
    const waitForResponse = (predicate: (response: InteractionResponse) => boolean = () => true, timeoutMs?: number) =>
      this.waitUntil(
        () => state.responses.find(predicate),
        timeoutMs,
        `a response to interaction ${state.id} (${init.type === 'command' ? `/${init.command}` : init.customId})`,
      );
    return {
      id: state.id,
      token: state.token,
      payload,
      responses,
      waitForResponse,
      callback: (timeoutMs?: number) => waitForResponse((response) => response.kind === 'callback', timeoutMs),
    };
  }

  /** Pushes a MESSAGE_CREATE from a user (by default the owner, in their DM channel) and stores the message. */
  message(init: FakeMessageInit): StoredMessage {
    const author = this.world.resolveUser(init.author, 'message()');
    const channelId =
      init.channelId ??
      (init.guildId ? this.world.firstTextChannel(init.guildId) : String(this.world.dmChannel(author.id).raw.id));
    const channel = this.world.channels.get(channelId);
    if (!channel) throw new Error(`FakeDiscord message(): unknown channel ${channelId}`);
    const message = this.world.createMessage({
      channelId,
      author,
      content: init.content,
      embeds: init.embeds,
      components: init.components,
    });
    const guild = channel.guildId ? this.world.guilds.get(channel.guildId) : undefined;
    const data: DiscordJson = { ...message.raw };
    if (guild) {
      const { user: _user, ...member } = this.world.memberOf(guild, author);
      data.member = member;
    }
    this.dispatch('MESSAGE_CREATE', data);
    return message;
  }

  /** Asks connected clients (one shard or all) to reconnect and RESUME (gateway opcode 7). */
  reconnect(shard?: number): number {
    return this.gateway.requestReconnect(shard);
  }

  /** Invalidates sessions (opcode 9, not resumable): clients IDENTIFY again and get READY + GUILD_CREATE again. */
  invalidateSessions(shard?: number): number {
    return this.gateway.invalidateSessions(shard);
  }

  /** Live and resumable gateway sessions. */
  sessions(): GatewaySessionInfo[] {
    return this.gateway.sessions();
  }

  /** Gateway frames received from clients (opcode, shard, session), oldest first. */
  gatewayLog(): GatewayLogEntry[] {
    return [...this.gateway.log];
  }

  // ---- scripted failures ----

  /**
   * Makes the next `times` (default 1) requests matching `method` and `path` fail with `status`.
   * Examples: DMs closed `{ path: '/channels/:id/messages', status: 403, code: 50007 }`;
   * 429 `{ path, status: 429, retryAfter: 0.01 }` (sends `Retry-After`, `X-RateLimit-*`; discord.js waits and retries);
   * 5xx are retried by discord.js up to its `rest.retries` (3) times, so use `times: 4` to make a call fail.
   */
  failNext(options: FailNextOptions): ScriptedFailure {
    const times = options.times ?? 1;
    if (!Number.isInteger(options.status) || options.status < 400 || options.status > 599) {
      throw new Error(`FakeDiscord.failNext: status must be an HTTP error status (400-599), got ${options.status}`);
    }
    if (!Number.isInteger(times) || times < 1) {
      throw new Error(`FakeDiscord.failNext: times must be a positive integer, got ${String(options.times)}`);
    }
    const rule: FailureRule = { options, matches: pathMatcher(options.path), remaining: times, hits: 0 };
    this.rules.push(rule);
    return {
      get hits() {
        return rule.hits;
      },
      get remaining() {
        return rule.remaining;
      },
      cancel: () => {
        rule.remaining = 0;
      },
    };
  }

  private scripted(method: string, path: string): RestResult | null {
    const rule = this.rules.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (candidate.options.method === undefined || candidate.options.method.toUpperCase() === method) &&
        candidate.matches(path),
    );
    if (!rule) return null;
    rule.remaining -= 1;
    rule.hits += 1;
    const { status, code, message, errors, headers } = rule.options;
    if (status === 429) {
      const retryAfter = rule.options.retryAfter ?? 0.01;
      const global = rule.options.global ?? false;
      return {
        status,
        body: {
          message: message ?? 'You are being rate limited.',
          retry_after: retryAfter,
          global,
          ...(code === undefined ? {} : { code }),
        },
        headers: {
          'Retry-After': String(retryAfter),
          'X-RateLimit-Limit': '1',
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset-After': String(retryAfter),
          'X-RateLimit-Scope': global ? 'global' : 'user',
          ...(global ? { 'X-RateLimit-Global': 'true' } : {}),
          ...headers,
        },
      };
    }
    return {
      status,
      body: { message: message ?? `${status}: scripted failure`, code: code ?? 0, ...(errors ? { errors } : {}) },
      ...(headers ? { headers } : {}),
    };
  }

  // ---- HTTP ----

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = (request.method ?? 'GET').toUpperCase();
    const raw = await readBody(request);
    const route = /^\/api(?:\/v(\d+))?(\/.*)?$/.exec(url.pathname);
    if (!route) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: '404: Not Found', code: 0 }));
      return;
    }
    const version = Number(route[1] ?? 10);
    const path = route[2] ?? '/';
    const { headers, auth, token } = headerRecord(request);
    const seq = ++this.seq;
    const record: RecordedRequest = {
      seq,
      method,
      path,
      version,
      query: Object.fromEntries(url.searchParams),
      headers,
      auth,
      body: null,
      files: [],
      status: 0,
      response: null,
      scripted: false,
    };

    let result: RestResult;
    try {
      const parsed = await parseBody(raw, headers['content-type'] ?? '');
      record.body = parsed.body;
      record.files = parsed.files;
      result = this.respond(record, token);
    } catch (error) {
      result = {
        status: 400,
        body: { message: `The request body contains invalid JSON. (${String(error)})`, code: 50109 },
      };
    }

    record.status = result.status;
    record.response = result.body ?? null;
    this.recorded.push(record);
    while (this.recorded.length > this.maxRecorded) this.recorded.shift();

    const responseHeaders: Record<string, string> = { ...result.headers };
    if (result.body === undefined || result.status === 204) {
      response.writeHead(result.status, responseHeaders);
      response.end();
    } else {
      responseHeaders['content-type'] = 'application/json';
      response.writeHead(result.status, responseHeaders);
      response.end(JSON.stringify(result.body));
    }
    this.notify();
  }

  private respond(record: RecordedRequest, token: string | null): RestResult {
    const scripted = this.scripted(record.method, record.path);
    if (scripted) {
      record.scripted = true;
      return scripted;
    }
    const match = this.router.match(record.method, record.path);
    if (!match) return { status: 404, body: { message: '404: Not Found', code: 0 } };
    if ('allowed' in match) return { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
    if (match.route.auth && (record.auth?.scheme !== 'Bot' || token !== this.token)) {
      return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    }
    const body = record.body;
    return match.route.handler({
      method: record.method,
      path: record.path,
      params: match.params,
      query: record.query,
      body: (body !== null && typeof body === 'object' ? body : {}) as DiscordJson,
      files: record.files,
      seq: record.seq,
    });
  }

  // ---- records ----

  /** Every recorded REST request, oldest first (capped at `maxRecorded`), optionally filtered. */
  requests(filter: { method?: string | undefined; path?: string | RegExp | undefined } = {}): RecordedRequest[] {
    const matches = filter.path === undefined ? () => true : pathMatcher(filter.path);
    return this.recorded.filter(
      (request) =>
        (filter.method === undefined || request.method === filter.method.toUpperCase()) && matches(request.path),
    );
  }

  /** Forgets recorded requests (messages, commands and interactions stay). */
  clearRequests(): void {
    this.recorded.length = 0;
  }

  /** Messages in a channel, oldest first (including deleted ones, marked `deleted`). */
  messages(channelId: string): StoredMessage[] {
    return [...(this.world.channels.get(channelId)?.messages ?? [])];
  }

  /** The id of the DM channel with a user, once it exists. */
  dmChannelId(userId: string): string | null {
    const channel = this.world.existingDmChannel(userId);
    return channel ? String(channel.raw.id) : null;
  }

  /** Messages in the DM channel with a user (sent by the bot, or pushed with `message()`), oldest first. */
  dms(userId: string): StoredMessage[] {
    const id = this.dmChannelId(userId);
    return id === null ? [] : this.messages(id);
  }

  /** Everything the bot answered to an interaction: callback, follow-ups, edits, deletes. */
  interactionResponses(interactionId: string): InteractionResponse[] {
    return [...(this.interactions.get(interactionId)?.responses ?? [])];
  }

  /** Registered application commands: global ones, or a guild's. */
  commands(guildId?: string): DiscordJson[] {
    const store = guildId === undefined ? this.world.globalCommands : this.world.guildCommands.get(guildId);
    return [...(store?.values() ?? [])];
  }

  // ---- waiting ----

  /** Waits for a REST request matching `predicate` (already recorded ones count). */
  waitFor(predicate: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest> {
    return this.waitUntil(() => this.recorded.find(predicate), timeoutMs, 'a REST request matching the predicate');
  }

  /** Waits for a stored message matching `predicate` in any channel. */
  waitForMessage(predicate: (message: StoredMessage) => boolean, timeoutMs?: number): Promise<StoredMessage> {
    return this.waitUntil(
      () => {
        for (const channel of this.world.channels.values()) {
          const found = channel.messages.find(predicate);
          if (found) return found;
        }
        return undefined;
      },
      timeoutMs,
      'a message matching the predicate',
    );
  }

  /** Waits for a DM to `userId` (matching `predicate`, if given). */
  waitForDm(
    userId: string,
    predicate: (message: StoredMessage) => boolean = () => true,
    timeoutMs?: number,
  ): Promise<StoredMessage> {
    return this.waitUntil(() => this.dms(userId).find(predicate), timeoutMs, `a DM to user ${userId}`);
  }

  /** Waits for a gateway frame from a client (e.g. a heartbeat, `op === 1`). */
  waitForGateway(predicate: (entry: GatewayLogEntry) => boolean, timeoutMs?: number): Promise<GatewayLogEntry> {
    return this.waitUntil(() => this.gateway.log.find(predicate), timeoutMs, 'a gateway frame matching the predicate');
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }

  private waitUntil<T>(check: () => T | undefined, timeoutMs = DEFAULT_TIMEOUT_MS, what: string): Promise<T> {
    const found = check();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        check: () => {
          const value = check();
          if (value === undefined) return;
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(value);
        },
        fail: (error: Error) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        const recent = this.recorded
          .slice(-5)
          .map((request) => `${request.method} ${request.path} → ${request.status}`)
          .join('; ');
        waiter.fail(
          new Error(
            `FakeDiscord: timed out after ${timeoutMs} ms waiting for ${what}. ` +
              `${this.recorded.length} REST requests recorded${recent ? `, the last: ${recent}` : ''}. ` +
              'Is the Client logged in (await client.login(discord.token)) and its handler running?',
          ),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Closes the gateway sockets and the HTTP server. Destroy your Clients first. */
  async close(): Promise<void> {
    for (const waiter of [...this.waiters]) waiter.fail(new Error(`FakeDiscord: closed while waiting`));
    await this.gateway.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
