// The fake gateway: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME, dispatches, zlib-stream.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createDeflate, type Deflate, constants as zlibConstants } from 'node:zlib';
import type { WebSocket, WebSocketServer } from 'ws';
import { userPayload } from './payloads.js';
import { shardOf } from './snowflake.js';
import type { DiscordJson, DispatchOptions, GatewayLogEntry, ShardInfo } from './types.js';
import type { World } from './world.js';

const OP_DISPATCH = 0;
const OP_HEARTBEAT = 1;
const OP_IDENTIFY = 2;
const OP_PRESENCE_UPDATE = 3;
const OP_VOICE_STATE_UPDATE = 4;
const OP_RESUME = 6;
const OP_RECONNECT = 7;
const OP_REQUEST_GUILD_MEMBERS = 8;
const OP_INVALID_SESSION = 9;
const OP_HELLO = 10;
const OP_HEARTBEAT_ACK = 11;

const CLOSE_UNKNOWN_OPCODE = 4001;
const CLOSE_DECODE_ERROR = 4002;
const CLOSE_NOT_AUTHENTICATED = 4003;
const CLOSE_AUTHENTICATION_FAILED = 4004;
const CLOSE_ALREADY_AUTHENTICATED = 4005;
const CLOSE_INVALID_SHARD = 4010;
const GUILD_OBJECT_EVENTS = new Set(['GUILD_CREATE', 'GUILD_UPDATE', 'GUILD_DELETE']);
/** Frames kept per session for RESUME replay. */
const REPLAY_LIMIT = 1000;

interface Session {
  id: string;
  shard: ShardInfo;
  seq: number;
  connection: Connection | null;
  replay: { seq: number; frame: DiscordJson }[];
}

/** A public view of a gateway session. */
export interface GatewaySessionInfo {
  sessionId: string;
  shard: ShardInfo;
  /** Whether a socket is attached now (false while a client is between RECONNECT and RESUME). */
  connected: boolean;
  /** The last sequence number sent. */
  seq: number;
}

class Connection {
  session: Session | null = null;
  private readonly deflate: Deflate | null;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly socket: WebSocket,
    compress: boolean,
  ) {
    this.deflate = compress ? createDeflate() : null;
  }

  send(payload: DiscordJson): void {
    const json = JSON.stringify(payload);
    const deflate = this.deflate;
    if (!deflate) {
      if (this.socket.readyState === this.socket.OPEN) this.socket.send(json);
      return;
    }
    // zlib-stream: one shared deflate context, each payload flushed with Z_SYNC_FLUSH (ends in 00 00 ff ff).
    this.chain = this.chain.then(
      () =>
        new Promise<void>((resolve) => {
          const chunks: Buffer[] = [];
          const collect = (chunk: Buffer) => chunks.push(chunk);
          deflate.on('data', collect);
          deflate.write(json);
          deflate.flush(zlibConstants.Z_SYNC_FLUSH, () => {
            deflate.off('data', collect);
            if (this.socket.readyState === this.socket.OPEN) this.socket.send(Buffer.concat(chunks));
            resolve();
          });
        }),
    );
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(code, reason);
  }

  dispose(): void {
    this.deflate?.destroy();
  }
}

export interface GatewayOptions {
  world: World;
  token: string;
  heartbeatIntervalMs: number;
  gatewayUrl: () => string;
  maxLog: number;
  onChange: () => void;
  /** `ws`'s server class, loaded by `FakeDiscord.start()` (`ws` is an optional peer dependency). */
  WebSocketServer: typeof WebSocketServer;
}

export class Gateway {
  private readonly server: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private readonly sessionsById = new Map<string, Session>();
  readonly log: GatewayLogEntry[] = [];

  constructor(private readonly options: GatewayOptions) {
    this.server = new options.WebSocketServer({ noServer: true });
  }

  /** Takes over an HTTP upgrade request for `/gateway`. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const compress = url.searchParams.get('compress') === 'zlib-stream';
    this.server.handleUpgrade(request, socket, head, (ws) => this.accept(ws, compress));
  }

  private accept(ws: WebSocket, compress: boolean): void {
    const connection = new Connection(ws, compress);
    this.connections.add(connection);
    ws.on('message', (data, isBinary) => this.receive(connection, data as Buffer, isBinary));
    ws.on('close', (code) => this.closed(connection, code));
    ws.on('error', () => {});
    connection.send({ op: OP_HELLO, d: { heartbeat_interval: this.options.heartbeatIntervalMs }, s: null, t: null });
  }

  private closed(connection: Connection, code: number): void {
    this.connections.delete(connection);
    connection.dispose();
    const session = connection.session;
    if (!session || session.connection !== connection) return;
    session.connection = null;
    // Discord ends the session on a normal close (1000/1001); other codes leave it resumable.
    if (code === 1000 || code === 1001) this.sessionsById.delete(session.id);
    this.options.onChange();
  }

  private receive(connection: Connection, data: Buffer, isBinary: boolean): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      if (isBinary) throw new Error('binary frames are not supported (encoding=json only)');
      payload = JSON.parse(data.toString('utf8'));
    } catch {
      connection.close(CLOSE_DECODE_ERROR, 'Error while decoding payload.');
      return;
    }
    const op = typeof payload.op === 'number' ? payload.op : -1;
    this.log.push({
      op,
      shard: connection.session?.shard[0] ?? null,
      sessionId: connection.session?.id ?? null,
    });
    if (this.log.length > this.options.maxLog) this.log.shift();
    const d = (payload.d ?? null) as DiscordJson | null;
    switch (op) {
      case OP_HEARTBEAT:
        connection.send({ op: OP_HEARTBEAT_ACK, d: null, s: null, t: null });
        break;
      case OP_IDENTIFY:
        this.identify(connection, d ?? {});
        break;
      case OP_RESUME:
        this.resume(connection, d ?? {});
        break;
      case OP_PRESENCE_UPDATE:
      case OP_VOICE_STATE_UPDATE:
      case OP_REQUEST_GUILD_MEMBERS:
        if (!connection.session) connection.close(CLOSE_NOT_AUTHENTICATED, 'Not authenticated.');
        break;
      default:
        connection.close(CLOSE_UNKNOWN_OPCODE, 'Unknown opcode.');
    }
    this.options.onChange();
  }

  private tokenMatches(token: unknown): boolean {
    return typeof token === 'string' && token.replace(/^Bot\s+/i, '') === this.options.token;
  }

  private identify(connection: Connection, d: DiscordJson): void {
    if (connection.session) {
      connection.close(CLOSE_ALREADY_AUTHENTICATED, 'Already authenticated.');
      return;
    }
    if (!this.tokenMatches(d.token)) {
      connection.close(CLOSE_AUTHENTICATION_FAILED, 'Authentication failed.');
      return;
    }
    const shard = (Array.isArray(d.shard) ? d.shard : [0, 1]) as unknown[];
    const [id, count] = shard;
    if (!Number.isInteger(id) || !Number.isInteger(count) || (count as number) < 1 || (id as number) < 0) {
      connection.close(CLOSE_INVALID_SHARD, 'Invalid shard.');
      return;
    }
    if ((id as number) >= (count as number)) {
      connection.close(CLOSE_INVALID_SHARD, 'Invalid shard.');
      return;
    }
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      shard: [id as number, count as number],
      seq: 0,
      connection,
      replay: [],
    };
    this.sessionsById.set(session.id, session);
    connection.session = session;
    const { world } = this.options;
    const guilds = [...world.guilds.values()].filter(
      (guild) => shardOf(guild.id, session.shard[1]) === session.shard[0],
    );
    this.send(session, 'READY', {
      v: 10,
      user: { ...userPayload(world.bot), verified: true, mfa_enabled: false, email: null },
      guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.options.gatewayUrl(),
      shard: session.shard,
      application: { id: world.applicationId, flags: world.application.flags },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
      auth: {},
      _trace: ['consentry-fake-discord'],
    });
    for (const guild of guilds) this.send(session, 'GUILD_CREATE', world.guildCreatePayload(guild, session.shard[0]));
  }

  private resume(connection: Connection, d: DiscordJson): void {
    const session = typeof d.session_id === 'string' ? this.sessionsById.get(d.session_id) : undefined;
    const seq = typeof d.seq === 'number' ? d.seq : -1;
    if (!session || !this.tokenMatches(d.token) || seq > session.seq || session.connection) {
      // Not resumable: the client must IDENTIFY again.
      connection.send({ op: OP_INVALID_SESSION, d: false, s: null, t: null });
      return;
    }
    session.connection = connection;
    connection.session = session;
    for (const entry of session.replay) if (entry.seq > seq) connection.send(entry.frame);
    this.send(session, 'RESUMED', {});
  }

  private send(session: Session, type: string, data: DiscordJson): void {
    session.seq += 1;
    const frame = { op: OP_DISPATCH, t: type, s: session.seq, d: data };
    session.replay.push({ seq: session.seq, frame });
    if (session.replay.length > REPLAY_LIMIT) session.replay.shift();
    session.connection?.send(frame);
  }

  private targets(type: string, data: DiscordJson, options: DispatchOptions): Session[] {
    const sessions = [...this.sessionsById.values()];
    if (options.shard === 'all') return sessions;
    if (typeof options.shard === 'number') return sessions.filter((session) => session.shard[0] === options.shard);
    // GUILD_CREATE/UPDATE/DELETE carry the guild as `id`; every other guild event has `guild_id`.
    const guildKey = GUILD_OBJECT_EVENTS.has(type) ? data.id : data.guild_id;
    const guildId = typeof guildKey === 'string' ? guildKey : null;
    return sessions.filter((session) =>
      guildId === null ? session.shard[0] === 0 : shardOf(guildId, session.shard[1]) === session.shard[0],
    );
  }

  /** Sends a dispatch; returns how many sessions got it. Throws when none would. */
  dispatch(type: string, data: DiscordJson, options: DispatchOptions = {}): number {
    const sessions = this.targets(type, data, options);
    if (sessions.length === 0) {
      const target = options.shard === undefined ? 'the shard that owns it' : `shard ${String(options.shard)}`;
      throw new Error(
        `FakeDiscord: no gateway session for ${target} to receive ${type}; log a Client in first (await client.login(discord.token))`,
      );
    }
    for (const session of sessions) this.send(session, type, data);
    return sessions.length;
  }

  /** Asks clients (one shard, or all) to reconnect and resume (opcode 7). */
  requestReconnect(shard?: number): number {
    let count = 0;
    for (const session of this.sessionsById.values()) {
      if (shard !== undefined && session.shard[0] !== shard) continue;
      if (!session.connection) continue;
      session.connection.send({ op: OP_RECONNECT, d: null, s: null, t: null });
      count += 1;
    }
    return count;
  }

  /** Ends sessions (one shard, or all) with opcode 9 `d: false`: clients identify again. */
  invalidateSessions(shard?: number): number {
    let count = 0;
    for (const session of [...this.sessionsById.values()]) {
      if (shard !== undefined && session.shard[0] !== shard) continue;
      this.sessionsById.delete(session.id);
      session.connection?.send({ op: OP_INVALID_SESSION, d: false, s: null, t: null });
      if (session.connection) session.connection.session = null;
      count += 1;
    }
    return count;
  }

  sessions(): GatewaySessionInfo[] {
    return [...this.sessionsById.values()].map((session) => ({
      sessionId: session.id,
      shard: [...session.shard] as ShardInfo,
      connected: session.connection !== null,
      seq: session.seq,
    }));
  }

  async close(): Promise<void> {
    for (const connection of this.connections) {
      connection.close(1001, 'FakeDiscord closed');
      connection.socket.terminate();
      connection.dispose();
    }
    this.connections.clear();
    this.sessionsById.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
