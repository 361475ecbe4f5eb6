// Promise 2, field by field: every string field of an OpenTelemetry span and of a Sentry event, one row each,
// with a secret in it; the assertion is on the bytes the fake Sentry received. A row per field, so that a field
// the scrubber does not reach (a link's trace state was one) is named by the failing row.
import {
  type Attributes,
  type Context,
  createTraceState,
  ROOT_CONTEXT,
  type SpanContext,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import type { Event } from '@sentry/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OtlpHttpSpanExporter, ScrubbingSpanProcessor, sentryOtlpEndpoint } from '../../src/otel/index.js';
import { createScrubber } from '../../src/scrub/index.js';
import { createModuleReporter, type ModuleReporter } from '../../src/sentry/index.js';
import { FakeSentry } from '../../src/testing/index.js';

const BOT_TOKEN = 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs';
const GUILD = '198622483471925248';
const SECRET = `token ${BOT_TOKEN} guild ${GUILD}`;
const NEEDLES = [BOT_TOKEN, 'ZnCjm1XVW7vRze4b7Cq4se7kKWs', 'Cl2FMQ', GUILD];
const scrubber = createScrubber({ botToken: BOT_TOKEN, env: {} });
const silent = { debug() {}, info() {}, warn() {}, error() {} };

const leaks = (text: string) => NEEDLES.filter((needle) => text.includes(needle));

let sentry: FakeSentry;
beforeAll(async () => {
  sentry = await FakeSentry.start();
});
afterAll(async () => {
  await sentry.close();
});
beforeEach(() => sentry.clear());

// --- spans -------------------------------------------------------------------------------------------------

const REMOTE: SpanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: 1,
  isRemote: true,
  // As a propagated `tracestate` header from another vendor carries it.
  traceState: createTraceState(`vendor=${BOT_TOKEN},guild=${GUILD}`),
};

interface SpanRow {
  field: string;
  resource?: { attributes: Attributes; schemaUrl?: string };
  scope?: { name: string; version?: string; schemaUrl?: string };
  span?: (tracer: Tracer) => void;
}

const plain = (tracer: Tracer, parent: Context = ROOT_CONTEXT) => tracer.startSpan('check-updates', {}, parent);

const spanRows: SpanRow[] = [
  { field: 'name', span: (t) => t.startSpan(SECRET).end() },
  {
    field: 'trace state (of a remote parent)',
    span: (t) => plain(t, trace.setSpanContext(ROOT_CONTEXT, REMOTE)).end(),
  },
  {
    field: 'attribute key',
    span: (t) => t.startSpan('x', { attributes: { [`guild.${GUILD}.${BOT_TOKEN}`]: 1 } }).end(),
  },
  { field: 'attribute value (string)', span: (t) => t.startSpan('x', { attributes: { note: SECRET } }).end() },
  {
    field: 'attribute value (array of strings)',
    span: (t) => t.startSpan('x', { attributes: { notes: ['fine', SECRET] } }).end(),
  },
  {
    field: 'event name',
    span: (t) => {
      const span = plain(t);
      span.addEvent(SECRET);
      span.end();
    },
  },
  {
    field: 'event attribute key and value',
    span: (t) => {
      const span = plain(t);
      span.addEvent('retry', { [`by.${GUILD}`]: SECRET, list: [SECRET] });
      span.end();
    },
  },
  {
    field: 'link trace state',
    span: (t) => {
      const span = plain(t);
      span.addLink({ context: REMOTE });
      span.end();
    },
  },
  {
    field: 'link trace state (given at start)',
    span: (t) => t.startSpan('x', { links: [{ context: REMOTE }] }).end(),
  },
  {
    field: 'link attribute key and value',
    span: (t) => {
      const span = plain(t);
      span.addLink({ context: { ...REMOTE, traceState: undefined }, attributes: { [`g.${GUILD}`]: SECRET } });
      span.end();
    },
  },
  {
    field: 'status message',
    span: (t) => {
      const span = plain(t);
      span.setStatus({ code: SpanStatusCode.ERROR, message: SECRET });
      span.end();
    },
  },
  { field: 'resource attribute value', resource: { attributes: { 'service.name': 'acme', owner: SECRET } } },
  { field: 'resource attribute key', resource: { attributes: { 'service.name': 'acme', [`g.${GUILD}`]: 'x' } } },
  {
    field: 'resource schema URL',
    resource: { attributes: { 'service.name': 'acme' }, schemaUrl: `https://schemas.example/${BOT_TOKEN}` },
  },
  { field: 'instrumentation scope name', scope: { name: SECRET } },
  { field: 'instrumentation scope version', scope: { name: 'acme', version: SECRET } },
  { field: 'instrumentation scope schema URL', scope: { name: 'acme', schemaUrl: `https://s.example/${BOT_TOKEN}` } },
];

describe.each(['protobuf', 'json'] as const)('every string of a span, over OTLP %s', (encoding) => {
  it.each(spanRows)('$field: the span arrives, the secret does not', async (row) => {
    const endpoint = sentryOtlpEndpoint(sentry.dsn);
    const exporter = new OtlpHttpSpanExporter({ url: endpoint.url, headers: endpoint.headers, encoding });
    const processor = new ScrubbingSpanProcessor({ scrubber, exporter, logger: silent });
    const { attributes, schemaUrl } = row.resource ?? { attributes: { 'service.name': 'acme' } };
    const provider = new TracerProvider({
      resource: resourceFromAttributes(attributes, schemaUrl === undefined ? {} : { schemaUrl }),
      spanProcessors: [processor],
    });
    const scope = row.scope ?? { name: 'acme/status' };
    const tracer = provider.getTracer(
      scope.name,
      scope.version,
      scope.schemaUrl === undefined ? {} : { schemaUrl: scope.schemaUrl },
    );
    (row.span ?? plain)(tracer)?.end?.();
    await provider.shutdown();

    expect(sentry.spans()).toHaveLength(1);
    const received = sentry.received();
    expect(leaks(received)).toEqual([]);
    // The field itself was sent, scrubbed (not merely left out).
    expect(received).toMatch(/\[BOT-TOKEN\]|\[SHORTENED-ID-\d{4}\]/);
  });
});

// --- events ------------------------------------------------------------------------------------------------

type Row = { field: string; set: (event: Event) => void };
const frame = (event: Event) => {
  const frames = event.exception?.values?.[0]?.stacktrace?.frames;
  if (!frames?.[0]) throw new Error('the prepared event has no stack frame');
  return frames[0] as Record<string, unknown>;
};
const exception = (event: Event) => {
  const value = event.exception?.values?.[0];
  if (!value) throw new Error('the prepared event has no exception');
  return value;
};
const at = (event: Event) => event as Record<string, unknown>;

/** Every string field of a Sentry event (and of what it nests), as a pending report or outbox file may hold it. */
const eventRows: Row[] = [
  { field: 'message', set: (e) => (e.message = SECRET) },
  { field: 'logentry.message and params', set: (e) => (e.logentry = { message: SECRET, params: [SECRET] }) },
  { field: 'exception value', set: (e) => (exception(e).value = SECRET) },
  { field: 'exception type', set: (e) => (exception(e).type = SECRET) },
  { field: 'exception module', set: (e) => (exception(e).module = SECRET) },
  {
    field: 'exception mechanism',
    set: (e) => (exception(e).mechanism = { type: SECRET, handled: true, data: { why: SECRET } }),
  },
  { field: 'frame filename', set: (e) => (frame(e).filename = `/srv/${BOT_TOKEN}/${GUILD}.js`) },
  { field: 'frame abs_path', set: (e) => (frame(e).abs_path = `/srv/${BOT_TOKEN}/${GUILD}.js`) },
  { field: 'frame function', set: (e) => (frame(e).function = SECRET) },
  { field: 'frame module', set: (e) => (frame(e).module = SECRET) },
  { field: 'frame context_line', set: (e) => (frame(e).context_line = SECRET) },
  {
    field: 'frame pre_context, post_context',
    set: (e) => Object.assign(frame(e), { pre_context: [SECRET], post_context: [SECRET] }),
  },
  { field: 'frame vars (keys and values)', set: (e) => (frame(e).vars = { token: BOT_TOKEN, [`g-${GUILD}`]: SECRET }) },
  {
    field: 'breadcrumbs (message, category, type, data)',
    set: (e) =>
      (e.breadcrumbs = [{ message: SECRET, category: SECRET, type: SECRET, data: { [`k-${GUILD}`]: SECRET } }]),
  },
  { field: 'tag value', set: (e) => (e.tags = { ...e.tags, module: SECRET }) },
  { field: 'tag key', set: (e) => (e.tags = { ...e.tags, [`g-${GUILD}`]: 'x' }) },
  { field: 'extra (keys and values)', set: (e) => (e.extra = { [`g-${GUILD}`]: SECRET, list: [SECRET] }) },
  {
    field: 'contexts (kept ones)',
    set: (e) => (e.contexts = { app: { app_name: SECRET, app_version: SECRET }, os: { name: SECRET } }),
  },
  { field: 'contexts (other ones)', set: (e) => (e.contexts = { ...e.contexts, device: { name: SECRET } }) },
  {
    field: 'user',
    set: (e) => (e.user = { id: SECRET, username: SECRET, email: `${GUILD}@x.example`, ip_address: '203.0.113.77' }),
  },
  {
    field: 'request',
    set: (e) => (e.request = { url: `https://x.example/${BOT_TOKEN}`, headers: { authorization: BOT_TOKEN } }),
  },
  { field: 'transaction', set: (e) => (e.transaction = SECRET) },
  { field: 'fingerprint', set: (e) => (e.fingerprint = ['{{ default }}', SECRET]) },
  { field: 'modules', set: (e) => (e.modules = { [`m-${GUILD}`]: SECRET }) },
  {
    field: 'sdk (name, version, integrations, packages)',
    set: (e) =>
      (e.sdk = {
        name: SECRET,
        version: SECRET,
        integrations: [SECRET],
        packages: [{ name: SECRET, version: SECRET }],
      }),
  },
  { field: 'release', set: (e) => (e.release = SECRET) },
  { field: 'environment', set: (e) => (e.environment = SECRET) },
  { field: 'dist', set: (e) => (e.dist = SECRET) },
  { field: 'server_name', set: (e) => (e.server_name = SECRET) },
  { field: 'logger', set: (e) => (e.logger = SECRET) },
  { field: 'timestamp (a string where a number belongs)', set: (e) => (at(e).timestamp = SECRET) },
  { field: 'an unknown top-level field', set: (e) => (at(e).threads = { values: [{ name: SECRET }] }) },
];

function reporter(level: 'manual' | 'errors' = 'manual'): ModuleReporter {
  return createModuleReporter({
    dsn: sentry.dsn,
    suite: 'acme-plugins',
    module: 'status',
    version: '1.4.0',
    userId: '2c4f1a9e-0d3b-4c8a-9e1f-7b6d5a4c3b2a',
    sessionId: '8f1e2d3c-4b5a-4697-8a1b-2c3d4e5f6a7b',
    scrubber,
    logger: silent,
    level,
  });
}

describe('every string of an event sent as prepared (a pending report, a crash outbox file)', () => {
  it.each(eventRows)('$field: the event arrives, the secret does not', async ({ set }) => {
    const mod = reporter();
    try {
      const event = mod.prepareEvent(new Error('update check failed'));
      if (!event) throw new Error('no event prepared');
      set(event);
      expect(leaks(JSON.stringify(event))).not.toEqual([]); // the secret is really in the event handed over
      const id = await mod.sendPrepared(event);
      expect(id).toBe(event.event_id);
      expect(sentry.events().map((e) => e.event_id)).toEqual([event.event_id]);
      expect(leaks(sentry.received())).toEqual([]);
    } finally {
      await mod.close(500);
    }
  });
});

describe('a thrown value that is not an Error', () => {
  const thrown: { what: string; value: unknown; expected: Record<string, unknown> }[] = [
    {
      what: 'a plain object holding a typed array',
      value: { payload: new Uint8Array([66, 111, 116, 32, 116, 111, 107]) },
      expected: { payload: '[Uint8Array: 7 bytes]' },
    },
    {
      what: 'a plain object holding a Buffer, an ArrayBuffer and a DataView',
      value: { buffer: Buffer.from(BOT_TOKEN), raw: new ArrayBuffer(4), view: new DataView(new ArrayBuffer(2)) },
      expected: { buffer: '[Buffer: 59 bytes]', raw: '[ArrayBuffer: 4 bytes]', view: '[DataView: 2 bytes]' },
    },
    {
      what: 'a plain object with secrets deeper than Sentry normalizes',
      value: { a: { b: { c: { d: { token: BOT_TOKEN, note: SECRET } } } } },
      expected: { a: { b: { c: { d: { token: '[Filtered]', note: scrubber.string(SECRET) } } } } },
    },
    {
      what: 'a plain object holding an Error',
      value: { error: new Error(SECRET), bytes: new Uint16Array(3) },
      expected: { bytes: '[Uint16Array: 6 bytes]' },
    },
  ];

  it.each(thrown)('$what is serialized by the scrubber, not by Sentry', async ({ value, expected }) => {
    const mod = reporter('errors');
    try {
      expect(mod.captureError(value).status).toBe('queued');
      const event = await sentry.waitFor('event', () => true);
      const serialized = (event.extra as Record<string, unknown> | undefined)?.__serialized__;
      expect(serialized).toMatchObject(expected);
      const received = sentry.received();
      expect(received).not.toMatch(/"0":\s*66/);
      expect(received).not.toMatch(/"0":\s*0,\s*"1":\s*0/);
      expect(leaks(received)).toEqual([]);
    } finally {
      await mod.close(500);
    }
  });
});
