import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSentry } from '../../src/testing/index.js';
import { otlpRequests, tracingFor, watchUnhandledRejections } from './helpers.js';

let sentry: FakeSentry;
let rejections: ReturnType<typeof watchUnhandledRejections>;
beforeEach(async () => {
  sentry = await FakeSentry.start();
  rejections = watchUnhandledRejections();
});
afterEach(async () => {
  // Let any stray rejection surface before checking.
  await new Promise((resolve) => setImmediate(resolve));
  rejections.stop();
  await sentry.close();
  expect(rejections.seen).toEqual([]);
});

type Outage = { name: string; start: (s: FakeSentry) => void; logged: RegExp };
const outages: Outage[] = [
  { name: 'HTTP 500', start: (s) => s.respondWith({ status: 500 }), logged: /HTTP 500/ },
  { name: '429 without pause', start: (s) => s.respondWith({ status: 429, retryAfter: 0 }), logged: /rate limited/ },
  { name: 'a hanging server', start: (s) => s.hang(), logged: /no answer within 200 ms/ },
  { name: 'connection resets', start: (s) => s.resetConnections(), logged: /ECONNRESET|socket hang up/ },
];

describe.each(outages)('Sentry down ($name)', ({ start, logged }) => {
  it('drops spans, logs exactly one line per outage, never rejects, and recovers', async () => {
    const { tracing, log } = tracingFor(sentry, 'all', { limits: { exportTimeoutMillis: 200 } });
    const tracer = tracing.tracer('t');
    start(sentry);
    for (let round = 0; round < 3; round++) {
      tracer.startSpan(`lost ${round}`).end();
      await tracing.forceFlush();
    }
    expect(otlpRequests(sentry).length).toBe(3);
    expect(log.at('warn', 'error')).toHaveLength(1);
    expect(log.at('warn', 'error')[0]).toMatch(logged);
    expect(log.at('warn', 'error')[0]).toContain('logged once per outage');

    sentry.respondNormally();
    tracer.startSpan('after recovery').end();
    await tracing.forceFlush();
    expect(sentry.spans().map((s) => s.name)).toContain('after recovery');
    // Failed batches are dropped, never sent again.
    const carrying = (name: string) => otlpRequests(sentry).filter((r) => r.spans?.some((s) => s.name === name));
    for (const name of ['lost 0', 'lost 1', 'lost 2']) expect(carrying(name)).toHaveLength(1);

    // A new outage is a new line.
    start(sentry);
    tracer.startSpan('second outage').end();
    await tracing.forceFlush();
    expect(log.at('warn', 'error')).toHaveLength(2);
    sentry.respondNormally();
    await tracing.shutdown();
  });
});

describe('rate limits', () => {
  it('honours Retry-After of a 429: no request until it passes', async () => {
    const { tracing, log } = tracingFor(sentry, 'all');
    const tracer = tracing.tracer('t');
    sentry.respondWith({ status: 429, retryAfter: 60 });
    tracer.startSpan('first').end();
    await tracing.forceFlush();
    sentry.respondNormally();
    for (let i = 0; i < 3; i++) {
      tracer.startSpan(`paused ${i}`).end();
      await tracing.forceFlush();
    }
    expect(otlpRequests(sentry)).toHaveLength(1);
    expect(log.at('warn', 'error')).toHaveLength(1);
    expect(log.at('warn', 'error')[0]).toMatch(/rate limited \(HTTP 429\), pausing for 60 s/);
    await tracing.shutdown();
  });
});

describe('bounded queue', () => {
  it('keeps at most maxQueueSize spans while an export hangs, drops the rest with one line, then sends the kept ones', async () => {
    const { tracing, log } = tracingFor(sentry, 'all', {
      limits: { maxQueueSize: 4, maxExportBatchSize: 2, exportTimeoutMillis: 600_000 },
    });
    const tracer = tracing.tracer('t');
    sentry.hang();
    for (let i = 1; i <= 10; i++) tracer.startSpan(`span ${i}`).end();
    await sentry.waitFor('request');
    expect(log.at('warn', 'error')).toHaveLength(1);
    expect(log.at('warn', 'error')[0]).toMatch(/queue is full \(4 spans waiting\)/);
    sentry.respondNormally();
    await tracing.forceFlush();
    await tracing.shutdown();
    expect(
      sentry
        .spans()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['span 1', 'span 2', 'span 3', 'span 4', 'span 5', 'span 6']);
    expect(log.at('warn', 'error')).toHaveLength(1);
  });
});

describe('consent lowered while spans wait', () => {
  it('all → off drops queued spans: nothing is sent even if all comes back before the flush', async () => {
    const { tracing, level, log } = tracingFor(sentry, 'all');
    const tracer = tracing.tracer('t');
    for (let i = 0; i < 5; i++) tracer.startSpan(`queued ${i}`).end();
    level.set('off');
    await tracing.levelChanged();
    level.set('all');
    await tracing.levelChanged();
    await tracing.forceFlush();
    expect(sentry.requests()).toHaveLength(0);
    tracer.startSpan('new at all').end();
    await tracing.shutdown();
    expect(sentry.spans().map((s) => s.name)).toEqual(['new at all']);
    expect(log.at('warn', 'error')).toHaveLength(0);
  });

  it('all → off aborts a request held by a hanging Sentry instead of waiting for its timeout', async () => {
    // Not a speed threshold: the flush must settle before a timer of 1/20 of the export timeout. Aborted, it settles
    // within milliseconds even on a loaded machine; not aborted, it would wait the full 600 s. The 30 s in between is
    // thousands of times what an abort takes and 20 times shorter than what a missing abort costs.
    const EXPORT_TIMEOUT = 600_000;
    const { tracing, level, log } = tracingFor(sentry, 'all', { limits: { exportTimeoutMillis: EXPORT_TIMEOUT } });
    sentry.hang();
    tracing.tracer('t').startSpan('in flight').end();
    const flushed = tracing.forceFlush();
    await sentry.waitFor('request');
    level.set('off');
    await tracing.levelChanged();
    let timer: NodeJS.Timeout | undefined;
    const winner = await Promise.race([
      flushed.then(() => 'flush settled'),
      new Promise((resolve) => {
        timer = setTimeout(resolve, EXPORT_TIMEOUT / 20, 'export still waiting');
      }),
    ]);
    clearTimeout(timer);
    sentry.respondNormally();
    expect(winner).toBe('flush settled');
    await tracing.shutdown();
    expect(log.at('warn', 'error')).toHaveLength(0);
  }, 45_000);

  it.each(['off', 'manual'] as const)('shutdown at %s sends nothing that was queued at all', async (lowered) => {
    const { tracing, level } = tracingFor(sentry, 'all');
    tracing.tracer('t').startSpan('queued').end();
    level.set(lowered);
    await tracing.shutdown();
    expect(sentry.requests()).toHaveLength(0);
  });
});
