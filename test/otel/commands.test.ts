import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { AlwaysOnSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  COMMAND_KIND,
  CONSENTRY_KIND,
  CommandTraces,
  OtlpHttpSpanExporter,
  ScrubbingSpanProcessor,
  suiteResource,
} from '../../src/otel/index.js';
import { FakeSentry } from '../../src/testing/index.js';
import { scrubber, tracingFor } from './helpers.js';

const command = { attributes: { [CONSENTRY_KIND]: COMMAND_KIND } };

let sentry: FakeSentry;
beforeEach(async () => {
  sentry = await FakeSentry.start();
});
afterEach(async () => {
  await sentry.close();
});

describe('command traces in plugin mode (createTracing)', () => {
  it('sends nothing of a command trace, children included, and still sends tasks', async () => {
    const { tracing } = tracingFor(sentry, 'all');
    const tracer = tracing.tracer('acme-plugins/status');
    const http = tracing.tracer('@opentelemetry/instrumentation-http');
    await tracer.startActiveSpan('command /status', command, async (root) => {
      tracer.startSpan('command child').end();
      http.startSpan('GET /api/v10/channels', { kind: SpanKind.CLIENT }).end();
      root.end();
    });
    const detached = tracer.startSpan('command detached', command);
    http.startSpan('late request', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, detached)).end();
    detached.end();
    tracer.startSpan('check-updates').end();
    await tracing.shutdown();
    expect(sentry.spans().map((s) => s.name)).toEqual(['check-updates']);
    expect(sentry.received()).not.toContain('command');
    expect(sentry.received()).not.toContain('/api/v10');
  });
});

/** Process mode: a provider that records everything (no consent sampler), so only the processor drops. */
function recordingEverything(maxTrackedTraces?: number) {
  const exporter = new OtlpHttpSpanExporter({ url: sentry.otlpTracesUrl, headers: authHeader(), logger: {} });
  const processor = new ScrubbingSpanProcessor({
    scrubber,
    exporter,
    scheduledDelayMillis: 600_000,
    ...(maxTrackedTraces === undefined ? {} : { maxTrackedTraces }),
  });
  const provider = new TracerProvider({
    sampler: new AlwaysOnSampler(),
    resource: suiteResource({ suite: 'acme-plugins' }),
    spanProcessors: [processor],
  });
  return { processor, provider, tracer: provider.getTracer('acme'), http: provider.getTracer('http') };
}

function authHeader() {
  return { 'X-Sentry-Auth': `Sentry sentry_version=7, sentry_key=${sentry.publicKey}` };
}

describe('ScrubbingSpanProcessor drops command traces', () => {
  it('drops the root, its children, and spans started under it after it ended', async () => {
    const { provider, tracer, http } = recordingEverything();
    const root = tracer.startSpan('command /poll', command);
    const inside = trace.setSpan(ROOT_CONTEXT, root);
    const child = tracer.startSpan('handler', {}, inside);
    const grandchild = http.startSpan('POST /interactions/callback', {}, trace.setSpan(ROOT_CONTEXT, child));
    grandchild.end();
    child.end();
    root.end();
    // An HTTP request still running when the command's span ended: started later under its context.
    http.startSpan('PATCH /webhooks/original', {}, inside).end();
    tracer.startSpan('task after').end();
    await provider.forceFlush();
    await provider.shutdown();
    expect(sentry.spans().map((s) => s.name)).toEqual(['task after']);
  });

  it('drops a trace whose root was marked a command after start, and its spans ending later', async () => {
    const { provider, tracer } = recordingEverything();
    const root = tracer.startSpan('interaction');
    const child = tracer.startSpan('reply', {}, trace.setSpan(ROOT_CONTEXT, root));
    root.setAttribute(CONSENTRY_KIND, COMMAND_KIND);
    root.end();
    child.end();
    tracer.startSpan('late child', {}, trace.setSpan(ROOT_CONTEXT, root)).end();
    tracer.startSpan('unrelated').end();
    await provider.shutdown();
    expect(sentry.spans().map((s) => s.name)).toEqual(['unrelated']);
  });

  it('drops a whole trace that contains a command span, not only the span', async () => {
    const { provider, tracer } = recordingEverything();
    const task = tracer.startSpan('task');
    const nested = tracer.startSpan('command inside', command, trace.setSpan(ROOT_CONTEXT, task));
    tracer.startSpan('under command', {}, trace.setSpan(ROOT_CONTEXT, nested)).end();
    nested.end();
    task.end();
    tracer.startSpan('other task').end();
    await provider.shutdown();
    expect(sentry.spans().map((s) => s.name)).toEqual(['other task']);
  });

  it('keeps dropping while many command traces are open at once', async () => {
    const { provider, tracer } = recordingEverything(8);
    const roots = Array.from({ length: 6 }, (_, i) => tracer.startSpan(`command ${i}`, command));
    for (const root of roots) tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root)).end();
    for (const root of roots) root.end();
    tracer.startSpan('kept').end();
    await provider.shutdown();
    expect(sentry.spans().map((s) => s.name)).toEqual(['kept']);
  });
});

describe('CommandTraces memory', () => {
  it('stays bounded when command spans never end', () => {
    const traces = new CommandTraces(4);
    for (let i = 0; i < 100; i++) traces.started(`leaked-${i}`);
    expect(traces.size).toBeLessThanOrEqual(4);
    expect(traces.has('leaked-99')).toBe(true);
    expect(traces.has('leaked-0')).toBe(false);
  });

  it('forgets finished traces oldest first, and counts open spans per trace', () => {
    const traces = new CommandTraces(2);
    traces.started('a');
    traces.started('a');
    traces.ended('a');
    expect(traces.has('a')).toBe(true);
    traces.ended('a');
    expect(traces.has('a')).toBe(true); // recently finished: late spans are still dropped
    traces.markFinished('b');
    traces.markFinished('c');
    expect(traces.has('a')).toBe(false);
    expect(traces.has('b') && traces.has('c')).toBe(true);
    expect(traces.size).toBe(2);
  });
});
