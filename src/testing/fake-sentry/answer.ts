// What the fake would answer if it behaved like Sentry's ingest: route, method, auth, body.
import { addEnvelopeDsnKey } from './auth.js';
import { envelopeFromStoreBody, type ParsedEnvelope, parseEnvelope } from './envelope.js';
import { decodeOtlpTracesJson } from './otlp-json.js';
import { decodeOtlpTracesProtobuf } from './otlp-protobuf.js';
import type { ReceivedRequest } from './types.js';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

export interface IngestRules {
  project: string;
  publicKey: string;
}

/**
 * Parses the request body into `request.envelope` / `request.spans` (kept even when the request is
 * refused, so tests can see what was attempted) and returns the answer Sentry would give.
 * `bodyError` is set when the body could not be read or decompressed.
 */
export function ingest(
  request: ReceivedRequest,
  rules: IngestRules,
  bodyError?: { status: number; message: string },
): Answer {
  if (request.endpoint === 'unknown') {
    return refuse(
      request,
      404,
      `unknown path ${request.pathname}: FakeSentry accepts POST /api/<project>/envelope/, /api/<project>/store/ ` +
        'and /api/<project>/integration/otlp/v1/traces/',
    );
  }
  if (request.method !== 'POST') return refuse(request, 405, `${request.method} is not allowed here; use POST`);

  let parseError: { status: number; message: string } | undefined = bodyError;
  if (!parseError) {
    try {
      parseBody(request);
    } catch (error) {
      const status = error instanceof UnsupportedMediaType ? 415 : 400;
      parseError = { status, message: (error as Error).message };
    }
  }

  const key = request.auth.publicKey;
  if (key === undefined) {
    return refuse(request, 401, 'missing authorization: no sentry_key in X-Sentry-Auth, the query or the envelope dsn');
  }
  if (key !== rules.publicKey) {
    return refuse(
      request,
      403,
      `wrong public key "${key}": this FakeSentry expects "${rules.publicKey}" (check the DSN)`,
    );
  }
  if (request.project !== rules.project) {
    return refuse(
      request,
      403,
      `wrong project "${request.project}": this FakeSentry serves project "${rules.project}" (check the DSN)`,
    );
  }
  if (parseError) return refuse(request, parseError.status, parseError.message);

  if (request.endpoint === 'otlp-traces') {
    const protobuf = isProtobuf(request);
    return {
      status: 200,
      headers: { 'content-type': protobuf ? 'application/x-protobuf' : 'application/json' },
      // An empty ExportTraceServiceResponse: full success.
      body: protobuf ? new Uint8Array(0) : '{}',
    };
  }
  const eventId = request.envelope?.header.event_id;
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(typeof eventId === 'string' ? { id: eventId } : {}),
  };
}

export function simulatedAnswer(
  status: number,
  options: {
    retryAfter?: number | undefined;
    categories?: string[] | undefined;
    headers?: Record<string, string> | undefined;
    body?: string | undefined;
  },
): Answer {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const retryAfter = options.retryAfter ?? (status === 429 ? 60 : undefined);
  if (retryAfter !== undefined) {
    headers['retry-after'] = String(retryAfter);
    if (status === 429) {
      // Format: retry_after:categories:scope — empty categories means every category.
      headers['x-sentry-rate-limits'] = `${retryAfter}:${(options.categories ?? []).join(';')}:organization`;
    }
  }
  Object.assign(headers, lowerCaseKeys(options.headers ?? {}));
  const body = options.body ?? JSON.stringify({ detail: `FakeSentry: simulated ${status}` });
  return { status, headers, body };
}

class UnsupportedMediaType extends Error {}

function parseBody(request: ReceivedRequest): void {
  if (request.endpoint === 'otlp-traces') {
    const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
    if (isProtobuf(request)) request.spans = tag(decodeOtlpTracesProtobuf(request.body), request.id);
    else if (contentType.startsWith('application/json'))
      request.spans = tag(decodeOtlpTracesJson(request.body), request.id);
    else {
      throw new UnsupportedMediaType(
        `unsupported Content-Type "${contentType}" for OTLP: use application/x-protobuf or application/json`,
      );
    }
    return;
  }
  const parsed: ParsedEnvelope =
    request.endpoint === 'store' ? envelopeFromStoreBody(request.body) : parseEnvelope(request.body);
  request.envelope = { requestId: request.id, header: parsed.header, items: parsed.items };
  addEnvelopeDsnKey(request.auth, parsed.header);
}

function tag<T extends object>(spans: T[], requestId: number): (T & { requestId: number })[] {
  return spans.map((span) => ({ requestId, ...span }));
}

function isProtobuf(request: ReceivedRequest): boolean {
  const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
  return contentType.startsWith('application/x-protobuf') || contentType.startsWith('application/protobuf');
}

function refuse(request: ReceivedRequest, status: number, message: string): Answer {
  request.error = message;
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ detail: message }) };
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
