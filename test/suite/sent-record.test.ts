import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelemetry, fileStore, type SentEntry, type Store } from '../../src/index.js';
import { createSentRecord, MAX_SENT_ENTRIES, memoryStore, SENT_TTL_MS } from '../../src/store/index.js';
import { FakeSentry } from '../../src/testing/index.js';
import { captureLogger } from '../support/logger.js';
import { tempDir, waitFor } from '../support/wait.js';
import { expectedEntry } from './support/sent.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let sentry: FakeSentry;
beforeEach(async () => {
  dir = await tempDir();
  sentry = await FakeSentry.start();
});
afterEach(async () => {
  await sentry.close();
  await dir.remove();
});

describe('the record of what was sent', () => {
  it('has one entry per request the fake Sentry received, entry for entry, with titles from what was sent', async () => {
    const logger = captureLogger();
    const telemetry = createTelemetry({
      suite: 'acme',
      dsn: sentry.dsn,
      policyVersion: 1,
      store: fileStore({ dir: dir.path }),
      botToken: () => 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.abcdefghijklmnopqrstuvwxyz0123456789AB',
      env: {},
      logger,
    });
    await telemetry.consent.set('all', { by: 'test' });
    const mod = telemetry.module({ name: 'status', version: '1.0.0' });
    mod.captureError(new Error('lookup failed for 203.0.113.9'));
    await mod.task('check-updates', async () => {});
    await mod.task('check-updates', async () => {});
    const loop = mod.loop('nightly', { every: 3_600_000, checkIn: { monitorSlug: 'nightly' } }, async () => {});
    await waitFor('the loop run', () => loop.status().lastOutcome === 'ok');
    await loop.stop();
    expect(await telemetry.flush()).toBe(true);
    await waitFor(
      'the event, the check-ins and the spans',
      () => sentry.events().length === 1 && sentry.checkIns().length === 2 && sentry.spans().length === 3,
    );

    const entries = await telemetry.sent.list();
    const received = sentry.requests();
    expect(entries).toHaveLength(received.length);
    const byTime = [...entries].reverse();
    for (const request of received) {
      expect(byTime).toContainEqual(expect.objectContaining(expectedEntry(request)));
    }
    const event = entries.find((entry) => entry.kind === 'event');
    expect(event).toMatchObject({
      module: 'status',
      title: 'Error: lookup failed for IP_V4',
      status: 200,
      error: null,
    });
    expect(event?.eventId).toBe(sentry.events()[0]?.event_id);
    const spanTitles = entries.filter((entry) => entry.kind === 'spans').map((entry) => entry.title);
    expect(spanTitles.join(', ').split(', ').sort()).toEqual(['check-updates x2', 'nightly']);
    expect(
      entries
        .filter((entry) => entry.kind === 'check-in')
        .map((entry) => entry.title)
        .sort(),
    ).toEqual(['nightly in_progress', 'nightly ok']);
    expect(entries.find((entry) => entry.kind === 'session')?.title).toMatch(/^session (ok|exited)/);
    // Nothing that was not sent: the raw address never reaches the record.
    expect(await readFile(join(dir.path, 'acme.sent.json'), 'utf8')).not.toContain('203.0.113.9');

    // forget() empties the record; what leaves afterwards (the old session's end, the new one's start) is recorded.
    const before = new Date().toISOString();
    await telemetry.consent.forget();
    const after = await telemetry.sent.list();
    expect(after.filter((entry) => entry.kind !== 'session')).toEqual([]);
    for (const entry of after) expect(entry.time >= before).toBe(true);
    await telemetry.shutdown();
    expect(logger.lines).toEqual([]);
  });

  it('records a refusal and a request that got no answer', async () => {
    const telemetry = createTelemetry({
      suite: 'acme',
      dsn: sentry.dsn,
      policyVersion: 1,
      store: fileStore({ dir: dir.path }),
      env: {},
      logger: captureLogger(),
    });
    await telemetry.consent.set('errors', { by: 'test' });
    const mod = telemetry.module({ name: 'status', version: '1.0.0' });
    await waitFor('the session start', () => sentry.sessions().length === 1);
    sentry.respondWith({ status: 500 });
    mod.captureError(new Error('boom'));
    await telemetry.flush();
    const firstEvent = (entries: SentEntry[]) => entries.find((entry) => entry.kind === 'event');
    expect(firstEvent(await telemetry.sent.list())).toMatchObject({ title: 'Error: boom', status: 500, error: null });
    await sentry.close();
    mod.captureError(new Error('again'));
    await telemetry.flush();
    const again = firstEvent(await telemetry.sent.list());
    expect(again).toMatchObject({ title: 'Error: again', status: null });
    expect(again?.error).toMatch(/^E[A-Z]+$/);
    await telemetry.shutdown();
    sentry = await FakeSentry.start();
  });

  it('keeps at most 200 entries and none older than 7 days, shared by two processes on one store', async () => {
    let now = Date.parse('2026-11-01T00:00:00Z');
    const store = memoryStore();
    const one = createSentRecord({ suite: 's', store, logger: captureLogger(), now: () => now });
    const two = createSentRecord({ suite: 's', store, logger: captureLogger(), now: () => now });
    const entry = (title: string) => ({
      kind: 'event' as const,
      module: 'm',
      eventId: null,
      title,
      bytes: 1,
      status: 200,
      error: null,
    });
    one.recordSent({ ...entry('old'), time: new Date(now - SENT_TTL_MS - 1).toISOString() });
    for (let i = 0; i < 150; i++) {
      now += 1;
      one.recordSent(entry(`one ${i}`));
      two.recordSent(entry(`two ${i}`));
    }
    await Promise.all([one.flush(), two.flush()]);
    const listed = await one.list();
    expect(listed).toHaveLength(MAX_SENT_ENTRIES);
    expect(listed[0]?.title).toMatch(/ 149$/);
    expect(listed.some((e) => e.title === 'old')).toBe(false);
    expect(new Set(listed.map((e) => e.title.split(' ')[0]))).toEqual(new Set(['one', 'two']));
  });

  it('a store that cannot keep the record costs the record only: every report still reaches Sentry', async () => {
    const inner = memoryStore();
    const store: Store = {
      ...inner,
      update: (suite, fn) =>
        suite.endsWith('.sent') ? Promise.reject(new Error('EIO: disk gone')) : inner.update(suite, fn),
    };
    const logger = captureLogger();
    const telemetry = createTelemetry({ suite: 'acme', dsn: sentry.dsn, policyVersion: 1, store, env: {}, logger });
    await telemetry.consent.set('errors', { by: 'test' });
    const mod = telemetry.module({ name: 'status', version: '1.0.0' });
    for (let i = 0; i < 3; i++) mod.captureError(new Error(`failure ${i}`));
    expect(await telemetry.flush()).toBe(true);
    expect(
      sentry
        .events()
        .map((event) => event.exception?.values?.[0]?.value)
        .sort(),
    ).toEqual(['failure 0', 'failure 1', 'failure 2']);
    await expect(telemetry.sent.list()).resolves.toEqual([]);
    await telemetry.shutdown();
    expect(logger.at('warn', 'error')).toEqual([
      expect.stringMatching(/could not save the record of what was sent \(EIO: disk gone\).*sending is not affected/),
    ]);
  });

  it('loses only the record when the store cannot be written, with one log line', async () => {
    const failing: Store = { ...memoryStore(), update: async () => Promise.reject(new Error('EROFS: read-only')) };
    const logger = captureLogger();
    const record = createSentRecord({ suite: 's', store: failing, logger });
    record.recordSent({ kind: 'event', module: 'm', eventId: null, title: 't', bytes: 1, status: 200, error: null });
    await record.flush();
    record.recordSent({ kind: 'event', module: 'm', eventId: null, title: 't', bytes: 1, status: 200, error: null });
    await record.flush();
    expect(logger.lines).toHaveLength(1);
    expect(logger.at('warn')[0]).toMatch(/could not save the record of what was sent.*EROFS.*sending is not affected/);
  });

  it('titles a chained error by the error thrown, not its innermost cause, in the record and in kept reports', async () => {
    const telemetry = createTelemetry({
      suite: 'acme',
      dsn: sentry.dsn,
      store: fileStore({ dir: dir.path }),
      env: {},
      logger: captureLogger(),
    });
    const mod = telemetry.module({ name: 'status', version: '1.0.0' });
    const chained = () => new Error('update check failed', { cause: new Error('socket hang up') });
    mod.captureError(chained());
    await waitFor('the kept report', () => telemetry.reports.list().length === 1);
    expect(telemetry.reports.list()[0]?.title).toBe('Error: update check failed');

    await telemetry.consent.set('errors', { by: 'test' });
    mod.captureError(chained());
    expect(await telemetry.flush()).toBe(true);
    await waitFor('the event', () => sentry.events().length === 1);
    const values = sentry.events()[0]?.exception?.values ?? [];
    expect(values.at(-1)?.value).toBe('update check failed');
    expect((await telemetry.sent.list()).find((entry) => entry.kind === 'event')?.title).toBe(
      'Error: update check failed',
    );
    await telemetry.shutdown();
  });
});
