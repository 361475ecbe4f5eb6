// Each consent level against a real fake Sentry: what arrives on the wire, and that nothing does when it must not.
import type { Event } from '@sentry/core';
import { describe, expect, it, vi } from 'vitest';
import { REPORT_CODE } from '../../src/sentry/index.js';
import { reporterFor, sessionStates, startSentry } from './support.js';

describe('level off', () => {
  it('sends nothing on any path: errors, breadcrumbs, sessions, flush and close', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'off');
    reporter.addBreadcrumb({ message: 'before the error' });
    expect(reporter.captureError(new Error('boom'))).toEqual({ status: 'dropped', reason: 'off' });
    expect(await reporter.flush(500)).toBe(true);
    expect(await reporter.close(500)).toBe(true);
    expect(sentry.requests()).toEqual([]);
  });

  it('turning off drops what has not left yet, sends no session end, and forgets breadcrumbs', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'errors');
    await sentry.waitFor('session', (s) => s.init === true);
    sentry.hang();
    reporter.addBreadcrumb({ message: 'crumb from before off' });
    for (let i = 0; i < 40; i++) expect(reporter.captureError(new Error(`queued ${i}`)).status).toBe('queued');
    // Sentry's node transport opens at most 30 sockets: 30 requests (29 events and the session's error
    // update) hang at the fake, the other 11 envelopes wait on our side.
    const hanging = () => sentry.requests().filter((r) => r.outcome === 'hanging');
    await vi.waitFor(() => expect(hanging()).toHaveLength(30));
    const eventsOnTheWire = hanging().filter((r) => r.envelope?.items.some((item) => item.type === 'event')).length;
    reporter.setLevel('off');
    sentry.respondNormally();
    reporter.setLevel('errors');
    const canary = reporter.captureError(new Error('after consent came back'));
    const canaryId = canary.status === 'queued' ? canary.eventId : '';
    const received = await sentry.waitFor('event', (e) => e.event_id === canaryId);
    await reporter.flush(2000);

    expect(eventsOnTheWire).toBe(29);
    expect(sentry.events()).toHaveLength(eventsOnTheWire + 1);
    expect(received.breadcrumbs).toBeUndefined();
    // A session per consent, each errored once; the one abandoned at `off` got no end.
    expect(sessionStates(sentry).map((s) => [s.status, s.init, s.errors])).toEqual([
      ['ok', true, 0],
      ['ok', false, 1],
      ['ok', true, 0],
      ['ok', false, 1],
    ]);
  });
});

describe('level manual', () => {
  it('turns each error into a pending report and sends nothing by itself', async () => {
    const sentry = await startSentry();
    const { reporter, userId } = reporterFor(sentry.dsn, 'manual');
    reporter.addBreadcrumb({ message: 'loaded config' });
    const result = reporter.captureError(new Error('manual boom'), { extra: { attempt: 2 } });
    expect(result.status).toBe('pending');
    if (result.status !== 'pending') return;
    const { report } = result;
    expect(report.code).toMatch(REPORT_CODE);
    expect(report.module).toBe('status');
    expect(typeof report.createdAt).toBe('number');
    expect(report.event.exception?.values?.at(-1)?.value).toBe('manual boom');
    expect(report.event.extra).toEqual({ attempt: 2 });
    expect(report.event.user).toEqual({ id: userId });
    expect(report.event.breadcrumbs?.map((b) => b.message)).toEqual(['loaded config']);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);

    await reporter.flush(500);
    await reporter.close(500);
    expect(sentry.requests()).toEqual([]);
  });

  it('sends a report by hand exactly as previewed, once, even when asked twice', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'manual');
    const result = reporter.captureError(new Error('send me by hand'));
    if (result.status !== 'pending') throw new Error(`expected a pending report, got ${result.status}`);
    // The suite stores reports as JSON (possibly on another shard): send what comes back from storage.
    const stored = JSON.parse(JSON.stringify(result.report.event)) as Event;

    const [first, second] = await Promise.all([reporter.sendPrepared(stored), reporter.sendPrepared(stored)]);
    expect(first).toBe(stored.event_id);
    expect(second).toBe(stored.event_id);
    expect(await reporter.sendPrepared(stored)).toBe(stored.event_id);

    expect(sentry.events()).toEqual([result.report.event]);
    expect(sentry.envelopes()[0]?.header.event_id).toBe(stored.event_id);
    expect(sentry.sessions()).toEqual([]);
    expect(sentry.requests()).toHaveLength(1);
  });

  it('sends a stored report by hand at any level, also from another reporter of the same module', async () => {
    const sentry = await startSentry();
    const { reporter: shardA, userId } = reporterFor(sentry.dsn, 'manual');
    const result = shardA.captureError(new Error('from shard A'));
    if (result.status !== 'pending') throw new Error('expected a pending report');
    // Shards of one bot share its identity (a report kept under a forgotten one leaves under the current one).
    const { reporter: shardB } = reporterFor(sentry.dsn, 'off', { userId });
    expect(await shardB.sendPrepared(result.report.event)).toBe(result.report.event.event_id);
    expect(sentry.events()).toEqual([result.report.event]);
    await shardB.flush(500);
    expect(sentry.requests()).toHaveLength(1);
  });

  it('returns undefined when Sentry refuses a report, so it can be kept and sent again', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'manual');
    const result = reporter.captureError(new Error('refused once'));
    if (result.status !== 'pending') throw new Error('expected a pending report');
    sentry.respondWith({ status: 500 });
    expect(await reporter.sendPrepared(result.report.event)).toBeUndefined();
    sentry.respondNormally();
    expect(await reporter.sendPrepared(result.report.event)).toBe(result.report.event.event_id);
    expect(sentry.events()).toEqual([result.report.event]);
  });

  it('rejects something that is not a prepared event, naming what to pass', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'manual');
    await expect(reporter.sendPrepared({ message: 'x' } as Event)).rejects.toThrow(/the `event` of a pending report/);
  });
});

describe.each(['errors', 'all'] as const)('level %s', (level) => {
  it('sends each error at once, with a release-health session', async () => {
    const sentry = await startSentry();
    const { reporter, userId, sessionId } = reporterFor(sentry.dsn, level);
    const result = reporter.captureError(new Error(`sent at ${level}`));
    expect(result.status).toBe('queued');
    const eventId = result.status === 'queued' ? result.eventId : '';
    const event = await sentry.waitFor('event', (e) => e.event_id === eventId);
    expect(event.exception?.values?.at(-1)?.value).toBe(`sent at ${level}`);
    expect(event.release).toBe('acme-plugins|status@1.4.0');
    expect(event.user).toEqual({ id: userId });
    expect(event.tags?.session).toBe(sessionId);
    await reporter.close(2000);
    expect(sessionStates(sentry).map((s) => [s.sid, s.did, s.status, s.errors])).toEqual([
      [sessionId, userId, 'ok', 0],
      [sessionId, userId, 'ok', 1],
      [sessionId, userId, 'exited', 1],
    ]);
  });
});

describe('level changes', () => {
  it('lowering to manual stops automatic sending at once, the session end included', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'errors');
    reporter.captureError(new Error('while errors'));
    await reporter.flush(2000);
    const before = sentry.requests().length;
    reporter.setLevel('manual');
    expect(reporter.captureError(new Error('while manual')).status).toBe('pending');
    await reporter.close(2000);
    expect(sentry.requests()).toHaveLength(before);
    expect(sentry.events().map((e) => e.exception?.values?.at(-1)?.value)).toEqual(['while errors']);
  });

  it('raising from manual to errors starts sending, a new session first', async () => {
    const sentry = await startSentry();
    const { reporter, userId } = reporterFor(sentry.dsn, 'manual');
    reporter.captureError(new Error('kept as a report'));
    reporter.setLevel('errors');
    reporter.captureError(new Error('sent automatically'));
    await reporter.close(2000);
    expect(sentry.events().map((e) => e.exception?.values?.at(-1)?.value)).toEqual(['sent automatically']);
    expect(sessionStates(sentry).map((s) => [s.did, s.status, s.init])).toEqual([
      [userId, 'ok', true],
      [userId, 'ok', false],
      [userId, 'exited', false],
    ]);
  });

  it('all and errors behave the same for errors: a switch between them keeps the session', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'errors');
    reporter.setLevel('all');
    reporter.captureError(new Error('at all'));
    await reporter.close(2000);
    expect(sentry.sessions().filter((s) => s.init)).toHaveLength(1);
    expect(sentry.events()).toHaveLength(1);
  });

  it('rejects an unknown level and keeps the current one', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'manual');
    expect(() => reporter.setLevel('everything' as never)).toThrow(/'off', 'manual', 'errors' or 'all'/);
    expect(reporter.level).toBe('manual');
  });

  it('after close nothing is captured or sent', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'errors');
    await reporter.close(2000);
    const count = sentry.requests().length;
    expect(reporter.captureError(new Error('too late'))).toEqual({ status: 'dropped', reason: 'closed' });
    reporter.setLevel('all');
    expect(await reporter.flush(200)).toBe(true);
    expect(sentry.requests()).toHaveLength(count);
  });
});
