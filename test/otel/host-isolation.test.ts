import { context, propagation, type Span, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSentry, type ReceivedSpan } from '../../src/testing/index.js';
import { tracingFor } from './helpers.js';

const API_KEY = Symbol.for('opentelemetry.js.api.1');
const HOST_ENV = {
  OTEL_TRACES_EXPORTER: 'otlp',
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer HOST-SECRET',
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-host-token=HOST-SECRET-TRACES',
  OTEL_NODE_RESOURCE_DETECTORS: 'none',
};

let sentry: FakeSentry;
let hostCollector: FakeSentry;
const savedEnv: Record<string, string | undefined> = {};

beforeEach(async () => {
  sentry = await FakeSentry.start();
  hostCollector = await FakeSentry.start();
  const env = {
    ...HOST_ENV,
    OTEL_EXPORTER_OTLP_ENDPOINT: hostCollector.url,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${hostCollector.otlpTracesUrl}?sentry_key=${hostCollector.publicKey}`,
  };
  for (const [key, value] of Object.entries(env)) {
    savedEnv[key] = process.env[key];
    process.env[key] = value;
  }
});

afterEach(async () => {
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  trace.disable();
  context.disable();
  propagation.disable();
  await sentry.close();
  await hostCollector.close();
});

const hostSpans = (): ReceivedSpan[] => hostCollector.requests().flatMap((r) => r.spans ?? []);

describe('a host with its own NodeSDK, active spans and OTEL_EXPORTER_OTLP_* headers', () => {
  it('our spans are roots of our own traces, the host sees only its spans, and its headers never reach us', async () => {
    const host = new NodeSDK({ resourceDetectors: [], instrumentations: [] });
    host.start();
    const hostTracer = trace.getTracer('host-bot');
    const { tracing } = tracingFor(sentry, 'all');
    const ours = tracing.tracer('acme-plugins/status');
    let hostSpanSeen: Span | undefined;
    let activeInsideOurTask: Span | undefined;

    await hostTracer.startActiveSpan('host request', async (hostSpan) => {
      hostSpanSeen = hostSpan;
      ours.startSpan('our plain').end();
      await ours.startActiveSpan('our task', async (task) => {
        activeInsideOurTask = trace.getActiveSpan();
        await Promise.resolve();
        hostTracer.startSpan('host inner').end();
        ours.startSpan('our child').end();
        task.end();
      });
      ours.startSpan('our explicit', {}, context.active()).end();
      ours.startSpan('our root option', { root: false }).end();
      hostSpan.end();
    });
    await tracing.shutdown();
    await host.shutdown();

    // Host context untouched: inside our task the host's own span is still the active one.
    expect(activeInsideOurTask).toBe(hostSpanSeen);

    const received = sentry.spans();
    const byName = new Map(received.map((s) => [s.name, s]));
    expect([...byName.keys()].sort()).toEqual([
      'our child',
      'our explicit',
      'our plain',
      'our root option',
      'our task',
    ]);
    const hostTraceId = hostSpanSeen?.spanContext().traceId;
    for (const name of ['our plain', 'our task', 'our explicit', 'our root option']) {
      expect(byName.get(name)?.parentSpanId).toBeUndefined();
      expect(byName.get(name)?.traceId).not.toBe(hostTraceId);
    }
    expect(byName.get('our child')?.parentSpanId).toBe(byName.get('our task')?.spanId);

    // The host's exporter got exactly its own two spans, unchanged, with its env headers (so the env was live).
    const host2 = hostSpans();
    expect(host2.map((s) => s.name).sort()).toEqual(['host inner', 'host request']);
    const hostRequest = host2.find((s) => s.name === 'host request');
    expect(host2.find((s) => s.name === 'host inner')?.parentSpanId).toBe(hostRequest?.spanId);
    expect(hostRequest?.parentSpanId).toBeUndefined();
    expect(hostCollector.received()).toContain('HOST-SECRET');

    // Nothing of the host reached our endpoint: not its headers, not its spans.
    const ourBytes = sentry.received();
    expect(ourBytes).not.toContain('HOST-SECRET');
    expect(ourBytes).not.toContain('host request');
    expect(ourBytes).not.toContain('host inner');
    for (const request of sentry.requests()) {
      expect(request.headers.authorization).toBeUndefined();
      expect(request.headers['x-host-token']).toBeUndefined();
    }
  });

  it('touches no OpenTelemetry global: tracer provider, context manager, propagator, diag', async () => {
    const registry = (globalThis as Record<symbol, unknown>)[API_KEY];
    const before = registry === undefined ? undefined : { ...(registry as object) };
    const { tracing } = tracingFor(sentry, 'all');
    const tracer = tracing.tracer('t');
    await tracer.startActiveSpan('a', async (span) => {
      tracer.startSpan('b').end();
      span.end();
    });
    await tracing.shutdown();
    const after = (globalThis as Record<symbol, unknown>)[API_KEY];
    expect(after === undefined ? undefined : { ...(after as object) }).toEqual(before);
    expect(trace.getActiveSpan()).toBeUndefined();
    expect(sentry.spans()).toHaveLength(2);
    expect(hostCollector.requests()).toHaveLength(0);
  });
});
