import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Event } from '@sentry/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConsentLevel, Telemetry, TelemetryOptions } from '../../src/index.js';
import { EnvelopeSpanExporter } from '../../src/otel/index.js';
import { FakeSentry, type FakeSentryOptions } from '../../src/testing/index.js';
import { deferred, suiteOn, TOKEN, USER_ID } from '../tasks/support.js';

const WEBHOOK = `https://discord.com/api/webhooks/1122334455667788990/${'Xk3b9QpL2mN8vR5tY7wZ1aC4dF6gH0jK2lM9nP3qS5uV8xB1eT4yU7iO0rW6zE9cQ2'}`;

let sentry: FakeSentry;
let telemetry: Telemetry;
let logger: ReturnType<typeof suiteOn>['logger'];

async function start(fake: FakeSentryOptions, options: Partial<TelemetryOptions>, level: ConsentLevel = 'all') {
  sentry = await FakeSentry.start(fake);
  ({ telemetry, logger } = suiteOn(sentry, options));
  const mod = telemetry.module({ name: 'status', version: '1.4.0' });
  await telemetry.consent.set(level, { by: 'owner:1' });
  return mod;
}
afterEach(async () => {
  await telemetry?.shutdown();
  await sentry?.close();
});

const otlpRequests = () => sentry.requests().filter((request) => request.endpoint === 'otlp-traces');
const envelopeRequests = () => sentry.requests().filter((request) => request.endpoint === 'envelope');
const switchLines = () => logger.at('warn', 'error', 'info').filter((line) => line.includes('transaction envelopes'));
const transaction = (name: string): Event => {
  const found = sentry.transactions().filter((t) => t.transaction === name);
  expect(found, name).toHaveLength(1);
  return found[0] as Event;
};

/** A task with a child, secrets in names, attributes and status messages, and a failing child. */
async function work(mod: Awaited<ReturnType<typeof start>>) {
  await mod.task(`sync ${USER_ID}`, async (span) => {
    span.setAttribute('webhook', WEBHOOK);
    span.setAttribute('token', TOKEN);
    await mod.span(`fetch ${WEBHOOK}`, () => 1, { 'guild.id': USER_ID });
    await mod
      .span('failing-step', () => {
        throw new Error(`no access for ${TOKEN}`);
      })
      .catch(() => {});
  });
}

describe("spanTransport 'auto' against a server without an OTLP route", () => {
  it('switches to transaction envelopes with one log line; transactions carry their children, scrubbed, tied to the events', async () => {
    const mod = await start({ otlp: false }, {});
    await work(mod);
    await telemetry.flush();
    await work(mod);
    // A command's trace never leaves, by either transport.
    await mod.command(async () => mod.span('inside-a-command', () => 1))();
    mod.captureError(new Error('boom'));
    await telemetry.flush();

    // One OTLP attempt (answered 404), then envelopes only; the refused batch is not lost.
    expect(otlpRequests()).toHaveLength(1);
    expect(otlpRequests()[0]?.status).toBe(404);
    expect(switchLines()).toHaveLength(1);
    expect(switchLines()[0]).toMatch(/acme-plugins.*HTTP 404.*rest of the process/);
    expect(logger.at('warn', 'error').filter((line) => line.includes('could not be sent'))).toEqual([]);
    const transactions = sentry.transactions();
    expect(transactions).toHaveLength(2);

    const event = await sentry.waitFor('event');
    for (const tx of transactions) {
      expect(tx.transaction).toMatch(/^sync \[SHORTENED-ID-\d{4}\]$/);
      expect(tx.release).toBe(event.release);
      expect(tx.release).toBe('acme-plugins|status@1.4.0');
      expect(tx.environment).toBe(event.environment);
      expect(tx.user?.id).toBe(event.user?.id);
      expect(tx.tags?.session).toBe(event.tags?.session);
      const traceContext = tx.contexts?.trace as Record<string, unknown>;
      expect(traceContext.op).toBe('task');
      expect(traceContext.trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(traceContext.span_id).toMatch(/^[0-9a-f]{16}$/);
      expect((traceContext.data as Record<string, unknown>)['sentry.release']).toBe(event.release);
      expect(tx.start_timestamp).toBeLessThanOrEqual(tx.timestamp as number);
      const spans = tx.spans ?? [];
      expect(spans.map((span) => span.op)).toEqual(['function', 'function']);
      for (const span of spans) {
        expect(span.parent_span_id).toBe(traceContext.span_id);
        expect(span.trace_id).toBe(traceContext.trace_id);
        expect(span.data?.['user.id']).toBe(event.user?.id);
      }
      expect(spans.find((span) => span.description === 'failing-step')?.status).toBe('internal_error');
    }
    // Scrubbed: names, attributes, descriptions, data, status messages. Checked on every byte received.
    const wire = sentry.received();
    for (const secret of [
      TOKEN,
      USER_ID,
      WEBHOOK,
      'Xk3b9QpL2mN8vR5tY7wZ1aC4dF6gH0jK2lM9nP3qS5uV8xB1eT4yU7iO0rW6zE9cQ2',
    ]) {
      expect(wire).not.toContain(secret);
    }
    expect(wire).toContain('[SHORTENED-ID-');
    expect(wire).not.toContain('inside-a-command');
    expect(transactions.map((tx) => tx.transaction)).not.toContain('command');
    // Every envelope says what it is (Spotlight ignores envelopes without it).
    for (const request of envelopeRequests()) {
      expect(request.headers['content-type']).toBe('application/x-sentry-envelope');
    }
  });

  it.each([405, 415])('switches on HTTP %i from the OTLP route too', async (status) => {
    const mod = await start({}, {});
    sentry.respondWith({ status }, { only: 'otlp' });
    await work(mod);
    await telemetry.flush();
    expect(switchLines()).toEqual([expect.stringContaining(`HTTP ${status}`)]);
    expect(sentry.transactions()).toHaveLength(1);
    await work(mod);
    await telemetry.flush();
    expect(otlpRequests()).toHaveLength(1);
    expect(sentry.transactions()).toHaveLength(2);
  });

  it('5xx and 429 on the OTLP route stay outages: no switch, no transaction', async () => {
    const mod = await start({}, {});
    sentry.respondWith({ status: 503 }, { only: 'otlp' });
    await work(mod);
    await telemetry.flush();
    sentry.respondWith({ status: 429, retryAfter: 1 }, { only: 'otlp' });
    await work(mod);
    await telemetry.flush();
    expect(otlpRequests().length).toBeGreaterThan(0);
    expect(sentry.transactions()).toEqual([]);
    expect(switchLines()).toEqual([]);
    expect(logger.at('warn').some((line) => line.includes('HTTP 503'))).toBe(true);
  });

  it.each(['off', 'manual', 'errors'] as const)(
    'at %s: no span request on either route, no transaction',
    async (level) => {
      const mod = await start({ otlp: false }, {}, level);
      await work(mod);
      await telemetry.flush();
      await telemetry.shutdown();
      expect(otlpRequests()).toEqual([]);
      expect(sentry.transactions()).toEqual([]);
      expect(sentry.items('transaction')).toEqual([]);
      if (level !== 'errors') expect(sentry.requests()).toEqual([]);
    },
  );

  it('a level lowered while a task runs: its transaction never leaves', async () => {
    const mod = await start({ otlp: false }, { spanTransport: 'envelope' });
    const hold = deferred();
    const running = mod.task('long', async () => {
      await mod.span('step', () => 1);
      await hold.promise;
    });
    await telemetry.flush(); // the child waits for its root in the exporter
    await telemetry.consent.set('errors', { by: 'owner:1' });
    hold.resolve();
    await running;
    await telemetry.consent.set('all', { by: 'owner:1' });
    await telemetry.flush();
    expect(sentry.transactions()).toEqual([]);
  });
});

describe("spanTransport 'envelope'", () => {
  it('makes no OTLP request at all; a transaction per task', async () => {
    const mod = await start({}, { spanTransport: 'envelope' });
    await work(mod);
    await mod.task('second', () => 1);
    await telemetry.flush();
    expect(otlpRequests()).toEqual([]);
    expect(sentry.spans()).toEqual([]);
    expect(sentry.transactions()).toHaveLength(2);
    expect(transaction('second').spans).toEqual([]);
    expect(switchLines()).toEqual([]);
  });

  it.each(['envelope', 'auto'] as const)(
    "spanTransport '%s': a task that ended just before shutdown() (no flush) still leaves, as over OTLP",
    async (spanTransport) => {
      const mod = await start({ otlp: spanTransport === 'envelope' }, { spanTransport });
      if (spanTransport === 'auto') {
        await mod.task('first', () => 1);
        await telemetry.flush(); // the 404 that switches to envelopes
      }
      await mod.task('last-before-exit', () => 1);
      await telemetry.shutdown();
      expect(transaction('last-before-exit').spans).toEqual([]);
    },
  );

  it('drops command traces, and children that end after their root', async () => {
    const mod = await start({}, { spanTransport: 'envelope' });
    const late = deferred();
    let lateDone: Promise<unknown> | undefined;
    await mod.task('parent-task', () => {
      lateDone = mod.span('late-step', () => late.promise);
    });
    late.resolve();
    await lateDone;
    await mod.command(async () => 'replied')();
    await telemetry.flush();
    expect(transaction('parent-task').spans).toEqual([]);
    expect(sentry.transactions().map((t) => t.transaction)).toEqual(['parent-task']);
    for (const request of sentry.requests()) expect(request.body.toString(), request.path).not.toContain('late-step');
  });

  it('rejects a wrong value with a clear line naming the option', async () => {
    sentry = await FakeSentry.start();
    expect(() => suiteOn(sentry, { spanTransport: 'grpc' as never, strict: true })).toThrow(
      /spanTransport.*'auto', 'otlp', 'envelope'/,
    );
  });
});

describe('EnvelopeSpanExporter', () => {
  it('bounds the spans waiting for an open root, counts what it drops, and sends the root with what it kept', async () => {
    const sent: Event[] = [];
    const exporter = new EnvelopeSpanExporter({
      send: (event) => sent.push(event) > 0,
      maxBufferedSpans: 3,
      logger: { warn() {} },
    });
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    const tracer = provider.getTracer('test');
    const root = tracer.startSpan('root', { root: true, attributes: { 'consentry.module': 'status' } });
    const context = trace.setSpan(ROOT_CONTEXT, root);
    // Two tasks waiting: when the buffer is full the older one's children make room; then the new child is dropped
    // rather than its own task's older children.
    const other = tracer.startSpan('other-root', { root: true });
    tracer.startSpan('other-child', {}, trace.setSpan(ROOT_CONTEXT, other)).end();
    for (let i = 0; i < 4; i++) tracer.startSpan(`child-${i}`, {}, context).end();
    await exporter.forceFlush();
    expect(exporter.bufferedSpans).toBeLessThanOrEqual(3);
    expect(exporter.dropped).toBe(2);
    root.end();
    await exporter.forceFlush();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.spans?.map((span) => span.description)).toEqual(['child-0', 'child-1', 'child-2']);
    expect(exporter.bufferedSpans).toBe(0);
    // A child of a sent root that ends later is dropped.
    tracer.startSpan('too-late', {}, context).end();
    await exporter.forceFlush();
    expect(exporter.dropped).toBe(3);
    expect(exporter.bufferedSpans).toBe(0);
  });
});
