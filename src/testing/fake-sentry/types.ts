import type { IncomingHttpHeaders } from 'node:http';
import type { Event, SerializedCheckIn, SerializedLog, SessionStatus } from '@sentry/core';

export type { Event as SentryEvent, SerializedCheckIn, SerializedLog } from '@sentry/core';

/** Options of {@link FakeSentry.start}. */
export interface FakeSentryOptions {
  /** Project id (digits) in the DSN and in the accepted paths; other projects are answered 403. Default `'1'`. */
  project?: string | undefined;
  /** DSN public key (letters, digits, `_`); requests with another key are answered 403. Default: 32 random hex characters. */
  publicKey?: string | undefined;
  /**
   * At most this many requests are kept (oldest dropped first, with their items). Default 10 000.
   * {@link FakeSentry.droppedRequests} counts what was dropped.
   */
  maxRequests?: number | undefined;
  /** Largest body accepted, before and after decompression; larger ones are answered 413. Default 50 MiB. */
  maxBodyBytes?: number | undefined;
  /**
   * Whether the OTLP traces route exists. `false` answers it 404, as servers with envelopes only do (GlitchTip,
   * Spotlight, self-hosted Sentry without OTLP); the requests are still recorded. Default true.
   */
  otlp?: boolean | undefined;
  /**
   * Loopback name to listen on and to put in `dsn` and `url`: `'localhost'` or `127.x.y.z`. Default `'127.0.0.1'`.
   * A second fake at `'127.0.0.2'` models another Sentry host (a host bot's own Sentry) in the same process.
   */
  host?: string | undefined;
}

/** Which endpoint a request reached. `store` is the legacy `/api/<project>/store/` event endpoint. */
export type FakeSentryEndpoint = 'envelope' | 'store' | 'otlp-traces' | 'unknown';

/** How the fake answered (or did not answer) a request. */
export type FakeSentryOutcome =
  /** Answered 2xx: its items count as received by Sentry. */
  | 'accepted'
  /** Answered 4xx by the ingest rules: wrong key, unknown path, bad body. */
  | 'rejected'
  /** Answered with the status set by {@link FakeSentry.respondWith}. */
  | 'simulated-status'
  /** Held open by {@link FakeSentry.hang}; becomes `accepted` or `rejected` if answered later. */
  | 'hanging'
  /** Socket destroyed with a TCP reset by {@link FakeSentry.resetConnections}. */
  | 'reset';

/** Authentication found on a request. */
export interface FakeSentryAuth {
  /** The `X-Sentry-Auth` header as sent. */
  header?: string | undefined;
  /** `sentry_key` from the query string. */
  queryKey?: string | undefined;
  /** The public key the request authenticated with (header, then query, then the envelope header's `dsn`). */
  publicKey?: string | undefined;
}

/** One HTTP request, exactly as received. */
export interface ReceivedRequest {
  /** Increasing number, unique for the life of the fake (not reset by `clear()`). */
  id: number;
  method: string;
  /** Path and query string as sent, e.g. `/api/1/envelope/?sentry_key=…`. */
  path: string;
  /** Path without the query string. */
  pathname: string;
  query: Record<string, string>;
  /** Header names in lower case, as Node parses them. */
  headers: IncomingHttpHeaders;
  /** Header names and values in the order and case they were sent. */
  rawHeaders: string[];
  /** Body after `Content-Encoding` was undone (the bytes a privacy test should search). */
  body: Buffer;
  /** Body size on the wire, before decompression. */
  wireLength: number;
  receivedAt: Date;
  endpoint: FakeSentryEndpoint;
  /** Project id from the path, when the path names one. */
  project?: string | undefined;
  auth: FakeSentryAuth;
  /** Status answered; undefined while hanging or when the connection was reset. */
  status: number | undefined;
  outcome: FakeSentryOutcome;
  /** True when a failure mode (`respondWith`, `hang`, `resetConnections`) decided the answer. */
  simulated: boolean;
  /** Why the request was rejected or could not be parsed. */
  error?: string | undefined;
  /** The parsed envelope (envelope and store endpoints), also when the request was not accepted. */
  envelope?: ReceivedEnvelope | undefined;
  /** The decoded spans (OTLP endpoint), also when the request was not accepted. */
  spans?: ReceivedSpan[] | undefined;
}

/** Headers of an envelope (first line). */
export interface EnvelopeHeader {
  [key: string]: unknown;
  event_id?: string | undefined;
  dsn?: string | undefined;
  sent_at?: string | undefined;
  sdk?: { name?: string | undefined; version?: string | undefined; [key: string]: unknown } | undefined;
}

/** Header of one envelope item. */
export interface EnvelopeItemHeader {
  [key: string]: unknown;
  /** `event`, `transaction`, `session`, `sessions`, `check_in`, `log`, `attachment`, `client_report`, … */
  type: string;
  length?: number | undefined;
}

/** One item of an envelope. */
export interface EnvelopeItem {
  type: string;
  header: EnvelopeItemHeader;
  /** The payload parsed as JSON; undefined for attachments, replay recordings and payloads that are not JSON. */
  payload: unknown;
  /** The payload bytes exactly as received. */
  raw: Buffer;
}

/** One envelope: its header and items. */
export interface ReceivedEnvelope {
  /** The {@link ReceivedRequest.id} it came in. */
  requestId: number;
  header: EnvelopeHeader;
  items: EnvelopeItem[];
}

/**
 * A release-health session update. Individual updates (`session` items) come as sent, with `count: 1`;
 * aggregates (`sessions` items) are flattened into one entry per bucket and status, with its count.
 */
export interface ReceivedSession {
  source: 'session' | 'sessions';
  /** Session id (individual updates only). */
  sid?: string | undefined;
  /** Distinct id, e.g. the user UUID. */
  did?: string | undefined;
  init?: boolean | undefined;
  /** For aggregates: `exited`, `errored` or `crashed`, the bucket the count is for. */
  status: SessionStatus | 'errored';
  errors?: number | undefined;
  started: string;
  timestamp?: string | undefined;
  duration?: number | undefined;
  abnormal_mechanism?: string | undefined;
  /** 1 for an individual update; the bucket's count for an aggregate. */
  count: number;
  release?: string | undefined;
  environment?: string | undefined;
  attrs: Record<string, unknown>;
  requestId: number;
}

/**
 * An OTLP attribute value. Integers are numbers, or decimal strings when beyond `Number.MAX_SAFE_INTEGER`;
 * bytes are `Uint8Array`; arrays and key-value lists are arrays and plain objects; an empty value is `null`.
 */
export type OtlpValue = string | number | boolean | null | Uint8Array | OtlpValue[] | { [key: string]: OtlpValue };

export type OtlpAttributes = Record<string, OtlpValue>;

export type OtlpSpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

export type OtlpStatusCode = 'unset' | 'ok' | 'error';

export interface ReceivedSpanEvent {
  name: string;
  /** Nanoseconds since the epoch, as a decimal string (exact). */
  timeUnixNano: string;
  attributes: OtlpAttributes;
  droppedAttributesCount: number;
}

export interface ReceivedSpanLink {
  traceId: string;
  spanId: string;
  traceState?: string | undefined;
  attributes: OtlpAttributes;
  droppedAttributesCount: number;
  flags?: number | undefined;
}

/** One span from an OTLP traces request, flattened with its resource and scope. Ids are lower-case hex. */
export interface ReceivedSpan {
  /** The {@link ReceivedRequest.id} it came in. */
  requestId: number;
  resource: OtlpAttributes;
  resourceSchemaUrl?: string | undefined;
  scope: { name: string; version?: string | undefined; attributes: OtlpAttributes; schemaUrl?: string | undefined };
  traceId: string;
  spanId: string;
  /** Undefined for a root span. */
  parentSpanId?: string | undefined;
  traceState?: string | undefined;
  name: string;
  kind: OtlpSpanKind;
  /** Nanoseconds since the epoch, as a decimal string (exact). */
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpAttributes;
  events: ReceivedSpanEvent[];
  links: ReceivedSpanLink[];
  status: { code: OtlpStatusCode; message?: string | undefined };
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
  flags?: number | undefined;
}

/** A simulated answer for {@link FakeSentry.respondWith}. */
export interface SimulatedResponse {
  /** HTTP status, 200–599. */
  status: number;
  /**
   * Seconds; sets `Retry-After` and `X-Sentry-Rate-Limits` (default 60 when status is 429).
   */
  retryAfter?: number | undefined;
  /** Data categories for `X-Sentry-Rate-Limits` (e.g. `['error', 'session']`); default: all categories. */
  categories?: string[] | undefined;
  /** Extra response headers. */
  headers?: Record<string, string> | undefined;
  /** Response body; default a short JSON `detail`. */
  body?: string | undefined;
}

/** Which endpoints a failure mode applies to. Default: all. */
export interface FailureScope {
  only?: 'envelope' | 'otlp' | undefined;
}

/** What each kind of {@link FakeSentry.waitFor} resolves with. */
export interface ReceivedItemKinds {
  request: ReceivedRequest;
  envelope: ReceivedEnvelope;
  event: Event;
  transaction: Event;
  session: ReceivedSession;
  checkIn: SerializedCheckIn;
  log: SerializedLog;
  span: ReceivedSpan;
}

export type ReceivedItemKind = keyof ReceivedItemKinds;

/** Anything the fake received, tagged with its kind, as seen by a general {@link FakeSentry.waitFor} predicate. */
export type ReceivedItem = { [K in ReceivedItemKind]: { kind: K; value: ReceivedItemKinds[K] } }[ReceivedItemKind];
