// Sentry down, slow, refusing or rate limiting: the module's calls return at once, nothing is thrown or
// rejected into the bot, memory stays bounded, and the host log gets one line per outage.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSentry } from '../../src/testing/index.js';
import { reporterFor, startSentry } from './support.js';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

const outageLines = (lines: { level: string; message: string }[]) =>
  lines.filter((line) => line.message.includes('cannot reach Sentry'));

function captureMany(reporter: ReturnType<typeof reporterFor>['reporter'], count: number) {
  for (let i = 0; i < count; i++) {
    const result = reporter.captureError(new Error(`failure ${i}`));
    // Synchronous: a plain object, never a promise waiting on the network.
    expect(result).not.toBeInstanceOf(Promise);
    expect(result.status).toBe('queued');
  }
}

describe('outages', () => {
  it('HTTP 500: one warning for many failed sends, drops counted, and re-armed once a send succeeds', async () => {
    const sentry = await startSentry();
    sentry.respondWith({ status: 500 });
    const { reporter, lines } = reporterFor(sentry.dsn, 'errors');
    captureMany(reporter, 10);
    await reporter.flush(2000);
    expect(outageLines(lines)).toEqual([
      { level: 'warn', message: expect.stringMatching(/acme-plugins\/status cannot reach Sentry \(HTTP 500\)/) },
    ]);
    expect(reporter.stats()).toMatchObject({ outage: true, delivered: 0 });
    expect(reporter.stats().dropped).toBeGreaterThanOrEqual(10);
    expect(sentry.events()).toEqual([]);

    sentry.respondNormally();
    reporter.captureError(new Error('Sentry is back'));
    await reporter.flush(2000);
    expect(reporter.stats().outage).toBe(false);
    expect(sentry.events().map((e) => e.exception?.values?.at(-1)?.value)).toEqual(['Sentry is back']);
    expect(outageLines(lines)).toHaveLength(1);

    sentry.respondWith({ status: 503 });
    captureMany(reporter, 3);
    await reporter.flush(2000);
    expect(outageLines(lines)).toHaveLength(2);
    expect(outageLines(lines)[1]?.message).toContain('HTTP 503');
  });

  it('HTTP 429: one warning, and the rate limit is honoured: no more requests until Retry-After', async () => {
    const sentry = await startSentry();
    const { reporter, lines } = reporterFor(sentry.dsn, 'errors');
    await sentry.waitFor('session');
    sentry.respondWith({ status: 429, retryAfter: 600 });
    reporter.captureError(new Error('rate limited'));
    await reporter.flush(2000);
    const requestsAfterLimit = sentry.requests().length;
    captureMany(reporter, 20);
    await reporter.flush(2000);
    expect(sentry.requests()).toHaveLength(requestsAfterLimit);
    expect(outageLines(lines)).toEqual([
      { level: 'warn', message: expect.stringContaining('rate limited (HTTP 429)') },
    ]);
    expect(reporter.stats().dropped).toBeGreaterThanOrEqual(21);
  });

  it('a hanging Sentry: requests are abandoned after requestTimeoutMs, at most maxQueue in flight', async () => {
    const sentry = await startSentry();
    sentry.hang();
    const { reporter, lines } = reporterFor(sentry.dsn, 'manual', { maxQueue: 5, requestTimeoutMs: 200 });
    reporter.setLevel('errors');
    captureMany(reporter, 50);
    // Captures reach the transport a turn later (send-soon); then everything beyond the queue is dropped at once:
    // no growth while Sentry hangs.
    await new Promise((resolve) => setImmediate(resolve));
    expect(reporter.stats().dropped).toBeGreaterThanOrEqual(50 + 2 - 5);
    expect(await reporter.flush(5000)).toBe(true);
    expect(sentry.requests().length).toBeLessThanOrEqual(5);
    expect(sentry.requests().every((r) => r.outcome === 'hanging')).toBe(true);
    expect(outageLines(lines)).toHaveLength(1);
    expect(reporter.stats().dropped).toBe(52);
  });

  it('connections reset: one warning, no retry storm', async () => {
    const sentry = await startSentry();
    sentry.resetConnections();
    const { reporter, lines } = reporterFor(sentry.dsn, 'errors');
    captureMany(reporter, 10);
    await reporter.flush(2000);
    expect(outageLines(lines)).toEqual([{ level: 'warn', message: expect.stringContaining('ECONNRESET') }]);
    expect(sentry.events()).toEqual([]);
    // At most one retry per envelope (on a reused keep-alive socket), so at most two requests each.
    expect(sentry.requests().length).toBeLessThanOrEqual(2 * (10 + 2));
  });

  it('nothing listening at the DSN: one warning, the reporter closes', async () => {
    const gone = await FakeSentry.start();
    const dsn = gone.dsn;
    await gone.close();
    const { reporter, lines } = reporterFor(dsn, 'errors');
    captureMany(reporter, 10);
    expect(await reporter.flush(2000)).toBe(true);
    expect(outageLines(lines)).toEqual([{ level: 'warn', message: expect.stringContaining('ECONNREFUSED') }]);
    expect(reporter.stats().dropped).toBe(12);
    await reporter.close(2000);
  });

  it('a manual send during an outage resolves undefined (the report is kept), without a throw', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'manual', { requestTimeoutMs: 200 });
    const result = reporter.captureError(new Error('by hand'));
    if (result.status !== 'pending') throw new Error('expected a pending report');
    sentry.hang();
    expect(await reporter.sendPrepared(result.report.event)).toBeUndefined();
    sentry.resetConnections();
    expect(await reporter.sendPrepared(result.report.event)).toBeUndefined();
  });

  it('a request Sentry never answers does not keep the bot process alive', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'manual', { requestTimeoutMs: 60_000 });
    const result = reporter.captureError(new Error('sent into the void'));
    if (result.status !== 'pending') throw new Error('expected a pending report');
    const sockets = () => process.getActiveResourcesInfo().filter((type) => type === 'TCPSocketWrap').length;
    const before = sockets();
    sentry.hang();
    const sending = reporter.sendPrepared(result.report.event);
    await sentry.waitFor('request', (r) => r.outcome === 'hanging');
    // One new connection: only the fake's end of it counts, our end is unref'd.
    expect(sockets()).toBe(before + 1);
    sentry.respondNormally();
    expect(await sending).toBe(result.report.event.event_id);
  });
});
