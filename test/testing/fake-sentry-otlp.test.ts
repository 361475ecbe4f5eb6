// OTLP traces: bytes produced by the installed official OpenTelemetry serializers and exporters, decoded
// by FakeSentry; JSON and protobuf must give the same spans.
import { gzipSync } from 'node:zlib';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as OTLPJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { getOtlpTracesEndpoint } from '@sentry/node';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSentry, type ReceivedSpan } from '../../src/testing/index.js';

const open: FakeSentry[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((sentry) => sentry.close()));
});
async function start(): Promise<FakeSentry> {
  const sentry = await FakeSentry.start();
  open.push(sentry);
  return sentry;
}

/** Runs a small traced workload through a real SDK provider and returns the finished spans. */
async function recordSpans(exporter: SpanExporter = new InMemorySpanExporter()): Promise<ReadableSpan[]> {
  const memory = exporter instanceof InMemorySpanExporter ? exporter : new InMemorySpanExporter();
  const processors = [new SimpleSpanProcessor({ exporter: memory })];
  if (exporter !== memory) processors.push(new SimpleSpanProcessor({ exporter }));
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'acme-plugins', 'consentry.suite': 'acme', 'process.pid': 42 }),
    spanProcessors: processors,
  });
  const tracer = provider.getTracer('consentry', '0.1.0');
  const linked = tracer.startSpan('linked', { root: true });
  linked.end();
  const root = tracer.startSpan('task check-updates', {
    root: true,
    kind: SpanKind.SERVER,
    attributes: {
      'task.name': 'check-updates',
      'task.attempt': 3,
      'task.negative': -7,
      'task.ratio': 0.25,
      'task.ok': false,
      'task.tags': ['a', 'b'],
      'task.counts': [1, 2, 3],
      'task.big': 2 ** 53 + 10,
    },
    links: [{ context: linked.spanContext(), attributes: { 'link.why': 'follows' } }],
  });
  root.addEvent('retry', { 'retry.delay_ms': 250, 'retry.reason': 'timeout' });
  // An explicit parent context: no global context manager is registered in these tests.
  const child = tracer.startSpan('fetch releases', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, root));
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'HTTP 503' });
  child.end();
  root.setStatus({ code: SpanStatusCode.OK });
  root.end();
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

function withoutRequest(spans: ReceivedSpan[]): Omit<ReceivedSpan, 'requestId'>[] {
  return spans.map(({ requestId: _requestId, ...span }) => span);
}

describe('FakeSentry: OTLP traces', () => {
  it('JSON and protobuf bodies from the official serializers decode to the same spans', async () => {
    const sentry = await start();
    const spans = await recordSpans();
    const json = JsonTraceSerializer.serializeRequest(spans);
    const protobuf = ProtobufTraceSerializer.serializeRequest(spans);
    if (!json || !protobuf) throw new Error('serializer returned nothing');
    const { headers } = getOtlpTracesEndpoint(sentry.dsn) ?? { headers: {} };

    const jsonResponse = await fetch(sentry.otlpTracesUrl, {
      method: 'POST',
      body: json,
      headers: { ...headers, 'content-type': 'application/json' },
    });
    const protobufResponse = await fetch(sentry.otlpTracesUrl.replace(/\/$/, ''), {
      method: 'POST',
      body: gzipSync(protobuf),
      headers: { ...headers, 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
    });
    expect([jsonResponse.status, protobufResponse.status]).toEqual([200, 200]);

    const [jsonRequest, protobufRequest] = sentry.requests();
    const fromJson = sentry.spans().filter((span) => span.requestId === jsonRequest?.id);
    const fromProtobuf = sentry.spans().filter((span) => span.requestId === protobufRequest?.id);
    expect(fromJson).toHaveLength(3);
    expect(withoutRequest(fromProtobuf)).toEqual(withoutRequest(fromJson));
    expect(protobufRequest?.body.equals(Buffer.from(protobuf))).toBe(true);
  });

  it('decodes every field to what the SDK recorded', async () => {
    const sentry = await start();
    const spans = await recordSpans();
    const body = ProtobufTraceSerializer.serializeRequest(spans);
    const response = await fetch(sentry.otlpTracesUrl, {
      method: 'POST',
      body: body ?? new Uint8Array(),
      headers: { 'content-type': 'application/x-protobuf', 'x-sentry-auth': `Sentry sentry_key=${sentry.publicKey}` },
    });
    expect(response.status).toBe(200);

    const sdkRoot = spans.find((span) => span.name === 'task check-updates');
    const sdkChild = spans.find((span) => span.name === 'fetch releases');
    const sdkLinked = spans.find((span) => span.name === 'linked');
    const root = await sentry.waitFor('span', (span) => span.name === 'task check-updates');
    const child = await sentry.waitFor('span', (span) => span.name === 'fetch releases');

    expect(root).toMatchObject({
      traceId: sdkRoot?.spanContext().traceId,
      spanId: sdkRoot?.spanContext().spanId,
      kind: 'server',
      status: { code: 'ok' },
      resource: { 'service.name': 'acme-plugins', 'consentry.suite': 'acme', 'process.pid': 42 },
      scope: { name: 'consentry', version: '0.1.0', attributes: {} },
      attributes: {
        'task.name': 'check-updates',
        'task.attempt': 3,
        'task.negative': -7,
        'task.ratio': 0.25,
        'task.ok': false,
        'task.tags': ['a', 'b'],
        'task.counts': [1, 2, 3],
        'task.big': String(2 ** 53 + 10),
      },
    });
    expect(root.parentSpanId).toBeUndefined();
    expect(root.events).toEqual([
      {
        name: 'retry',
        timeUnixNano: hrToNanos(sdkRoot?.events[0]?.time),
        attributes: { 'retry.delay_ms': 250, 'retry.reason': 'timeout' },
        droppedAttributesCount: 0,
      },
    ]);
    expect(root.links).toEqual([
      expect.objectContaining({
        traceId: sdkLinked?.spanContext().traceId,
        spanId: sdkLinked?.spanContext().spanId,
        attributes: { 'link.why': 'follows' },
      }),
    ]);
    expect(root.startTimeUnixNano).toBe(hrToNanos(sdkRoot?.startTime));
    expect(root.endTimeUnixNano).toBe(hrToNanos(sdkRoot?.endTime));
    expect(BigInt(root.endTimeUnixNano) >= BigInt(root.startTimeUnixNano)).toBe(true);

    expect(child).toMatchObject({
      traceId: root.traceId,
      parentSpanId: root.spanId,
      spanId: sdkChild?.spanContext().spanId,
      kind: 'client',
      status: { code: 'error', message: 'HTTP 503' },
    });
  });

  it('receives spans from the real OTLP exporters (protobuf with gzip, and JSON) with Sentry auth', async () => {
    const sentry = await start();
    const endpoint = getOtlpTracesEndpoint(sentry.dsn);
    if (!endpoint) throw new Error('no endpoint');
    await recordSpans(new OTLPProtoExporter({ ...endpoint, compression: 'gzip' } as never));
    await recordSpans(new OTLPJsonExporter({ ...endpoint } as never));

    const requests = sentry.requests();
    expect(requests.map((r) => [r.endpoint, r.status, r.headers['content-type']])).toEqual(
      expect.arrayContaining([
        ['otlp-traces', 200, 'application/x-protobuf'],
        ['otlp-traces', 200, 'application/json'],
      ]),
    );
    expect(requests.some((r) => r.headers['content-encoding'] === 'gzip')).toBe(true);
    expect(requests.every((r) => r.auth.publicKey === sentry.publicKey)).toBe(true);
    const names = sentry.spans().map((span) => span.name);
    expect(names.filter((name) => name === 'task check-updates')).toHaveLength(2);
    expect(sentry.received()).toContain('check-updates');
  });

  it('refuses an unknown content type with 415 and a wrong key with 403', async () => {
    const sentry = await start();
    const auth = `Sentry sentry_key=${sentry.publicKey}`;
    const text = await fetch(sentry.otlpTracesUrl, {
      method: 'POST',
      body: 'x',
      headers: { 'content-type': 'text/plain', 'x-sentry-auth': auth },
    });
    const wrongKey = await fetch(sentry.otlpTracesUrl, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json', 'x-sentry-auth': 'Sentry sentry_key=other' },
    });
    expect([text.status, wrongKey.status]).toEqual([415, 403]);
    expect(sentry.requests()[0]?.error).toMatch(/application\/x-protobuf or application\/json/);
  });
  it('otlp: false answers the OTLP route 404 (as GlitchTip and Spotlight), keeps the request, still takes envelopes', async () => {
    const sentry = await FakeSentry.start({ otlp: false });
    open.push(sentry);
    const body = JsonTraceSerializer.serializeRequest(await recordSpans()) as Uint8Array;
    const otlp = await fetch(sentry.otlpTracesUrl, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-sentry-auth': `Sentry sentry_key=${sentry.publicKey}` },
    });
    const envelope = await fetch(`${sentry.url}/api/1/envelope/?sentry_key=${sentry.publicKey}`, {
      method: 'POST',
      body: `{}\n{"type":"transaction"}\n{"type":"transaction","transaction":"t"}\n`,
      headers: { 'content-type': 'application/x-sentry-envelope' },
    });
    expect([otlp.status, envelope.status]).toEqual([404, 200]);
    expect(sentry.requests()[0]).toMatchObject({ endpoint: 'otlp-traces', status: 404, outcome: 'rejected' });
    expect(sentry.spans()).toEqual([]);
    expect(sentry.transactions().map((t) => t.transaction)).toEqual(['t']);
    await expect(FakeSentry.start({ otlp: 'no' as never })).rejects.toThrow(/otlp must be true or false/);
  });
});

function hrToNanos(time: [number, number] | undefined): string {
  if (!time) return 'missing';
  return (BigInt(time[0]) * 1_000_000_000n + BigInt(time[1])).toString();
}
