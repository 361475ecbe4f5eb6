import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type OptionNames, unknownOptions } from '../../log/index.js';
import { type Answer, ingest, simulatedAnswer } from './answer.js';
import { findAuth } from './auth.js';
import { BodyError, decodeBody } from './decompress.js';
import {
  acceptedCheckIns,
  acceptedEnvelopes,
  acceptedEvents,
  acceptedItems,
  acceptedLogs,
  acceptedSessions,
  acceptedSpans,
} from './items.js';
import { route } from './routes.js';
import { summarizeRequests } from './summary.js';
import type {
  EnvelopeItem,
  FailureScope,
  FakeSentryEndpoint,
  FakeSentryOptions,
  ReceivedEnvelope,
  ReceivedItem,
  ReceivedItemKind,
  ReceivedItemKinds,
  ReceivedRequest,
  ReceivedSession,
  ReceivedSpan,
  SentryEvent,
  SerializedCheckIn,
  SerializedLog,
  SimulatedResponse,
} from './types.js';

const DEFAULT_MAX_REQUESTS = 10_000;
// What a server without OTLP ingest answers on its route.
const NO_OTLP_ROUTE: Answer = {
  status: 404,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ detail: 'not found: this server has no OTLP traces route (started with otlp: false)' }),
};
const DEFAULT_MAX_BODY_BYTES = 50 * 1024 * 1024;
const DEFAULT_WAIT_MS = 5_000;
const ITEM_KINDS: readonly ReceivedItemKind[] = [
  'request',
  'envelope',
  'event',
  'transaction',
  'session',
  'checkIn',
  'log',
  'span',
];

type Mode =
  | { kind: 'normal' }
  | { kind: 'status'; answer: Answer; only?: FailureScope['only'] | undefined }
  | { kind: 'hang'; only?: FailureScope['only'] | undefined }
  | { kind: 'reset'; only?: FailureScope['only'] | undefined };

interface Waiter {
  check(): void;
  fail(error: Error): void;
}

const FAKE_SENTRY_OPTION_NAMES: OptionNames<FakeSentryOptions> = {
  project: true,
  publicKey: true,
  maxRequests: true,
  maxBodyBytes: true,
  host: true,
  otlp: true,
};

/**
 * A Sentry ingest on 127.0.0.1 for tests: a real HTTP server that accepts envelopes
 * (`/api/<project>/envelope/`, plain or gzip/deflate/br/zstd), the legacy `/api/<project>/store/`, and OTLP
 * traces (`/api/<project>/integration/otlp/v1/traces/`, JSON or protobuf), and keeps every request.
 *
 * Items (`events()`, `sessions()`, `spans()`, …) are what Sentry would have stored: only requests answered
 * 2xx count. `requests()` and `received()` show everything that reached the server, refused or not.
 *
 * Memory is bounded: at most `maxRequests` requests (default 10 000) are kept, oldest dropped first.
 *
 * @example
 * ```ts
 * const sentry = await FakeSentry.start();
 * const telemetry = createTelemetry({ suite: 'acme', dsn: sentry.dsn, botToken });
 * const event = await sentry.waitFor('event', (e) => e.exception?.values?.[0]?.value === 'boom');
 * expect(sentry.received()).not.toContain(botToken);
 * await sentry.close();
 * ```
 */
export class FakeSentry {
  /** DSN to give to the code under test: `http://<publicKey>@127.0.0.1:<port>/<project>`. */
  readonly dsn: string;
  /** Base URL: `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The OTLP traces endpoint for this DSN (what `getOtlpTracesEndpoint(dsn).url` returns). */
  readonly otlpTracesUrl: string;
  readonly project: string;
  readonly publicKey: string;

  private readonly server: Server;
  private readonly maxRequests: number;
  private readonly maxBodyBytes: number;
  private readonly otlpRoute: boolean;
  private log: ReceivedRequest[] = [];
  private dropped = 0;
  private nextId = 1;
  private mode: Mode = { kind: 'normal' };
  private readonly hanging = new Map<ReceivedRequest, () => void>();
  private readonly waiters = new Set<Waiter>();
  private closed: Promise<void> | undefined;

  private constructor(server: Server, port: number, options: Required<FakeSentryOptions>) {
    this.server = server;
    this.project = options.project;
    this.publicKey = options.publicKey;
    this.maxRequests = options.maxRequests;
    this.maxBodyBytes = options.maxBodyBytes;
    this.otlpRoute = options.otlp;
    this.url = `http://${options.host}:${port}`;
    this.dsn = `http://${options.publicKey}@${options.host}:${port}/${options.project}`;
    this.otlpTracesUrl = `${this.url}/api/${options.project}/integration/otlp/v1/traces/`;
  }

  /** Starts a fake on 127.0.0.1 (or `options.host`) with a random free port. */
  static async start(options: FakeSentryOptions = {}): Promise<FakeSentry> {
    // A test helper: a misspelt option fails the test at once instead of being ignored.
    const [unknown] = unknownOptions(options, FAKE_SENTRY_OPTION_NAMES, 'FakeSentry.start(options)');
    if (unknown) throw new TypeError(unknown.message);
    const resolved = resolveOptions(options);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, resolved.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const fake = new FakeSentry(server, (server.address() as AddressInfo).port, resolved);
    server.on('request', (req, res) => {
      fake.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ detail: `FakeSentry internal error: ${(error as Error).message}` }));
        }
      });
    });
    return fake;
  }

  /** Every request kept, oldest first, whatever it was answered (a snapshot array of live records). */
  requests(): ReceivedRequest[] {
    return [...this.log];
  }

  /** Envelopes of accepted requests (envelope and store endpoints). */
  envelopes(): ReceivedEnvelope[] {
    return acceptedEnvelopes(this.log);
  }

  /** Items of accepted envelopes, optionally of one type (`'attachment'`, `'client_report'`, …). */
  items(type?: string): EnvelopeItem[] {
    return acceptedItems(this.log, type);
  }

  /** Error events (`event` items), as sent. */
  events(): SentryEvent[] {
    return acceptedEvents(this.log, 'event');
  }

  /** Transaction events (`transaction` items), as sent. */
  transactions(): SentryEvent[] {
    return acceptedEvents(this.log, 'transaction');
  }

  /** Release-health updates: each `session` item, and each bucket × status of `sessions` aggregates. */
  sessions(): ReceivedSession[] {
    return acceptedSessions(this.log);
  }

  /** Cron check-ins (`check_in` items), as sent. */
  checkIns(): SerializedCheckIn[] {
    return acceptedCheckIns(this.log);
  }

  /** Log entries, flattened from `log` item containers. */
  logs(): SerializedLog[] {
    return acceptedLogs(this.log);
  }

  /** Spans from accepted OTLP requests, JSON or protobuf, flattened with their resource and scope. */
  spans(): ReceivedSpan[] {
    return acceptedSpans(this.log);
  }

  /**
   * Every byte kept, refused requests included: for each request its request line, headers and
   * decompressed body. Search it for secrets: `expect(sentry.received()).not.toContain(token)`.
   * Strings inside JSON bodies are JSON-escaped; strings in protobuf bodies appear as UTF-8.
   */
  received(): string {
    return this.receivedBytes().toString('utf8');
  }

  /** {@link received} as bytes. */
  receivedBytes(): Buffer {
    const parts: Buffer[] = [];
    for (const request of this.log) {
      const headerLines: string[] = [`${request.method} ${request.path} HTTP/1.1`];
      for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
        headerLines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
      }
      parts.push(Buffer.from(`${headerLines.join('\r\n')}\r\n\r\n`), request.body, Buffer.from('\r\n\r\n'));
    }
    return Buffer.concat(parts);
  }

  /** How many old requests were dropped to stay within `maxRequests` (reset by `clear()`). */
  get droppedRequests(): number {
    return this.dropped;
  }

  /**
   * Resolves with the first item of this kind that matches (already received or arriving later), or
   * rejects after `timeoutMs` (default 5000) with a message listing what was received.
   *
   * @example `await sentry.waitFor('session', (s) => s.status === 'exited')`
   */
  waitFor<K extends ReceivedItemKind>(
    kind: K,
    predicate?: (item: ReceivedItemKinds[K]) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedItemKinds[K]>;
  /**
   * Resolves with the first received item (of any kind, tagged `{ kind, value }`) that matches.
   *
   * @example `await sentry.waitFor((item) => item.kind === 'span' && item.value.name === 'check-updates')`
   */
  waitFor(predicate: (item: ReceivedItem) => boolean, timeoutMs?: number): Promise<ReceivedItem>;
  waitFor(
    kindOrPredicate: ReceivedItemKind | ((item: ReceivedItem) => boolean),
    predicateOrTimeout?: ((item: never) => boolean) | number,
    maybeTimeout?: number,
  ): Promise<unknown> {
    let candidates: () => unknown[];
    let predicate: (item: unknown) => boolean;
    let timeoutMs: number | undefined;
    let what: string;
    if (typeof kindOrPredicate === 'function') {
      predicate = kindOrPredicate as (item: unknown) => boolean;
      timeoutMs = predicateOrTimeout as number | undefined;
      candidates = () => ITEM_KINDS.flatMap((kind) => this.itemsOf(kind).map((value) => ({ kind, value })));
      what = 'item';
    } else {
      if (!ITEM_KINDS.includes(kindOrPredicate)) {
        throw new TypeError(
          `FakeSentry.waitFor: unknown kind ${JSON.stringify(kindOrPredicate)}; use one of ${ITEM_KINDS.join(', ')}`,
        );
      }
      predicate = (predicateOrTimeout as ((item: unknown) => boolean) | undefined) ?? (() => true);
      timeoutMs = maybeTimeout;
      candidates = () => this.itemsOf(kindOrPredicate);
      what = kindOrPredicate;
    }
    const limit = timeoutMs ?? DEFAULT_WAIT_MS;
    if (!Number.isFinite(limit) || limit < 0) {
      throw new TypeError(`FakeSentry.waitFor: timeoutMs must be a number ≥ 0, got ${String(timeoutMs)}`);
    }
    return new Promise((resolve, reject) => {
      let seen = 0;
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        settle();
      };
      const waiter: Waiter = {
        check: () => {
          const items = candidates();
          seen = items.length;
          try {
            const match = items.find((item) => predicate(item));
            if (match !== undefined) finish(() => resolve(match));
          } catch (error) {
            const message = `FakeSentry.waitFor(${what}): the predicate threw: ${(error as Error).message}`;
            finish(() => reject(new Error(message, { cause: error })));
          }
        },
        fail: (error) => finish(() => reject(error)),
      };
      const timer = setTimeout(() => {
        const message =
          `FakeSentry.waitFor(${what}): nothing matched within ${limit} ms ` +
          `(${seen} ${what}${seen === 1 ? '' : 's'} received, none matched).\n` +
          summarizeRequests(this.log, this.dropped);
        waiter.fail(new Error(message));
      }, limit);
      this.waiters.add(waiter);
      if (this.closed) waiter.fail(new Error(`FakeSentry.waitFor(${what}): the fake is closed`));
      else waiter.check();
    });
  }

  /**
   * From now on, answer every request (or only `envelope` / `otlp` ones) with this status.
   * `{ status: 429, retryAfter }` also sets `Retry-After` and `X-Sentry-Rate-Limits`.
   * Such requests are recorded with `simulated: true`; their items do not count as received.
   */
  respondWith(response: SimulatedResponse, scope: FailureScope = {}): void {
    const { status } = response;
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      throw new TypeError(`FakeSentry.respondWith: status must be an integer from 200 to 599, got ${String(status)}`);
    }
    if (response.retryAfter !== undefined && !(Number.isInteger(response.retryAfter) && response.retryAfter >= 0)) {
      throw new TypeError(
        `FakeSentry.respondWith: retryAfter must be whole seconds ≥ 0, got ${String(response.retryAfter)}`,
      );
    }
    this.mode = { kind: 'status', answer: simulatedAnswer(status, response), ...onlyOf(scope) };
  }

  /**
   * From now on, read each request and never answer it (the client waits until its own timeout),
   * until {@link respondNormally} (which answers the held requests normally) or {@link close}.
   */
  hang(scope: FailureScope = {}): void {
    this.mode = { kind: 'hang', ...onlyOf(scope) };
  }

  /** From now on, read each request, then destroy its socket with a TCP reset (the client sees ECONNRESET). */
  resetConnections(scope: FailureScope = {}): void {
    this.mode = { kind: 'reset', ...onlyOf(scope) };
  }

  /** Back to answering like Sentry; requests held by {@link hang} are answered now. */
  respondNormally(): void {
    this.mode = { kind: 'normal' };
    const held = [...this.hanging.values()];
    this.hanging.clear();
    for (const answer of held) answer();
  }

  /** Forgets every request and item received so far (failure mode and held requests are kept). */
  clear(): void {
    this.log = [];
    this.dropped = 0;
  }

  /** Stops the server, drops held and keep-alive connections, rejects pending `waitFor` calls. Idempotent. */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      for (const waiter of [...this.waiters]) waiter.fail(new Error('FakeSentry.waitFor: the fake was closed'));
      this.hanging.clear();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closed;
  }

  private itemsOf(kind: ReceivedItemKind): unknown[] {
    switch (kind) {
      case 'request':
        return this.requests();
      case 'envelope':
        return this.envelopes();
      case 'event':
        return this.events();
      case 'transaction':
        return this.transactions();
      case 'session':
        return this.sessions();
      case 'checkIn':
        return this.checkIns();
      case 'log':
        return this.logs();
      case 'span':
        return this.spans();
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = new Date();
    const path = req.url ?? '/';
    const url = new URL(path, 'http://127.0.0.1');
    const { endpoint, project } = route(url.pathname);
    const query = Object.fromEntries(url.searchParams);
    const request: ReceivedRequest = {
      id: this.nextId++,
      method: req.method ?? 'GET',
      path,
      pathname: url.pathname,
      query,
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body: Buffer.alloc(0),
      wireLength: 0,
      receivedAt,
      endpoint,
      auth: findAuth(req.headers, query),
      status: undefined,
      outcome: 'rejected',
      simulated: false,
    };
    if (project !== undefined) request.project = project;

    let bodyError: { status: number; message: string } | undefined;
    try {
      const wire = await readBody(req, this.maxBodyBytes);
      request.wireLength = wire.length;
      request.body = await decodeBody(wire, headerValue(req.headers['content-encoding']), this.maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyError)) {
        // The client went away before the body was complete: keep the attempt, answer nothing.
        request.error = `request body not received: ${(error as Error).message}`;
        this.record(request);
        return;
      }
      bodyError = { status: error.status, message: error.message };
    }
    const answer =
      endpoint === 'otlp-traces' && !this.otlpRoute
        ? NO_OTLP_ROUTE
        : ingest(request, { project: this.project, publicKey: this.publicKey }, bodyError);
    // The mode when the body is complete: a request read across respondNormally() is not left hanging.
    const mode = this.modeFor(endpoint);

    if (mode.kind === 'reset') {
      request.outcome = 'reset';
      request.simulated = true;
      this.record(request);
      req.socket.resetAndDestroy();
      return;
    }
    if (mode.kind === 'hang') {
      request.outcome = 'hanging';
      request.simulated = true;
      this.hanging.set(request, () => {
        if (res.destroyed) return;
        this.answer(request, res, answer, false);
        this.notify();
      });
      res.on('close', () => this.hanging.delete(request));
      this.record(request);
      return;
    }
    if (mode.kind === 'status') this.answer(request, res, mode.answer, true);
    else this.answer(request, res, answer, false);
    this.record(request);
  }

  private answer(request: ReceivedRequest, res: ServerResponse, answer: Answer, simulated: boolean): void {
    request.status = answer.status;
    request.simulated = simulated;
    request.outcome = simulated ? 'simulated-status' : answer.status < 300 ? 'accepted' : 'rejected';
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }

  private record(request: ReceivedRequest): void {
    this.log.push(request);
    while (this.log.length > this.maxRequests) {
      this.log.shift();
      this.dropped += 1;
    }
    this.notify();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }

  private modeFor(endpoint: FakeSentryEndpoint): Mode {
    const mode = this.mode;
    if (mode.kind === 'normal' || mode.only === undefined) return mode;
    const isOtlp = endpoint === 'otlp-traces';
    return (mode.only === 'otlp') === isOtlp ? mode : { kind: 'normal' };
  }
}

function onlyOf(scope: FailureScope): { only?: FailureScope['only'] | undefined } {
  if (scope.only === undefined) return {};
  if (scope.only !== 'envelope' && scope.only !== 'otlp') {
    throw new TypeError(`FakeSentry: "only" must be 'envelope' or 'otlp', got ${JSON.stringify(scope.only)}`);
  }
  return { only: scope.only };
}

function resolveOptions(options: FakeSentryOptions): Required<FakeSentryOptions> {
  // The same shapes Sentry's DSN parser accepts.
  const project = options.project ?? '1';
  if (typeof project !== 'string' || !/^\d+$/.test(project)) {
    throw new TypeError(
      `FakeSentry.start: project must be digits (a Sentry project id), got ${JSON.stringify(project)}`,
    );
  }
  const publicKey = options.publicKey ?? randomBytes(16).toString('hex');
  if (typeof publicKey !== 'string' || !/^\w+$/.test(publicKey)) {
    throw new TypeError(
      `FakeSentry.start: publicKey must be letters, digits or _ (Sentry rejects other DSN keys), got ${JSON.stringify(publicKey)}`,
    );
  }
  const maxRequests = options.maxRequests ?? DEFAULT_MAX_REQUESTS;
  if (!Number.isInteger(maxRequests) || maxRequests < 1) {
    throw new TypeError(`FakeSentry.start: maxRequests must be a whole number ≥ 1, got ${String(maxRequests)}`);
  }
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new TypeError(`FakeSentry.start: maxBodyBytes must be a whole number ≥ 1, got ${String(maxBodyBytes)}`);
  }
  const otlp = options.otlp ?? true;
  if (typeof otlp !== 'boolean') {
    throw new TypeError(`FakeSentry.start: otlp must be true or false, got ${JSON.stringify(otlp)}`);
  }
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || !/^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.test(host)) {
    throw new TypeError(
      `FakeSentry.start: host must be a loopback name ('localhost' or 127.x.y.z, e.g. '127.0.0.2'), got ${JSON.stringify(host)}`,
    );
  }
  return { project, publicKey, maxRequests, maxBodyBytes, host, otlp };
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > maxBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) reject(new BodyError(413, `body is larger than ${maxBytes} bytes`));
      else resolve(Buffer.concat(chunks));
    });
    req.on('aborted', () => reject(new Error('the client aborted the request')));
    req.on('error', reject);
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
