// Release-health sessions of a module client, as Sentry receives them.
import { describe, expect, it, vi } from 'vitest';
import { reporterFor, sessionStates, startSentry } from './support.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('release health', () => {
  it('a session per module: did = user UUID, sid = the per-process session id, release and environment', async () => {
    const sentry = await startSentry();
    const { reporter, userId, sessionId } = reporterFor(sentry.dsn, 'errors', { environment: 'staging' });
    await reporter.close(2000);
    expect(sessionStates(sentry)).toMatchObject([
      {
        sid: sessionId,
        did: userId,
        init: true,
        status: 'ok',
        errors: 0,
        release: 'acme-plugins|status@1.4.0',
        environment: 'staging',
      },
      { sid: sessionId, did: userId, init: false, status: 'exited', errors: 0 },
    ]);
  });

  it('counts errors: the first is sent at once (errored), the total with the end', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'errors');
    for (let i = 0; i < 3; i++) reporter.captureError(new Error(`error ${i}`));
    await reporter.close(2000);
    expect(sessionStates(sentry).map((s) => [s.status, s.errors])).toEqual([
      ['ok', 0],
      ['ok', 1],
      ['exited', 3],
    ]);
    expect(sentry.events()).toHaveLength(3);
  });

  it('a crash marks the session crashed at once, and the event fatal and unhandled', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'errors');
    reporter.captureError(new Error('handled first'));
    reporter.captureError(new Error('the process dies'), { crashed: true });
    await reporter.flush(2000);
    expect(sessionStates(sentry).map((s) => [s.status, s.errors])).toEqual([
      ['ok', 0],
      ['ok', 1],
      ['crashed', 2],
    ]);
    const fatal = sentry.events().find((e) => e.level === 'fatal');
    expect(fatal?.exception?.values?.at(-1)).toMatchObject({
      value: 'the process dies',
      mechanism: { type: 'consentry', handled: false },
    });
    await reporter.close(2000);
    // A crashed session stays crashed when it ends.
    expect(sessionStates(sentry).at(-1)).toMatchObject({ status: 'crashed', errors: 2 });
  });

  it('rotates: the session ends (exited, with its errors) and a new one starts with a fresh sid', async () => {
    const sentry = await startSentry();
    const { reporter, userId, sessionId } = reporterFor(sentry.dsn, 'errors', { sessionRotateMs: 30 });
    reporter.captureError(new Error('in the first session'));
    const next = await sentry.waitFor('session', (s) => s.init === true && s.sid !== sessionId);
    expect(next.sid).toMatch(UUID);
    expect(next.did).toBe(userId);
    expect(next.release).toBe('acme-plugins|status@1.4.0');
    const first = await sentry.waitFor('session', (s) => s.sid === sessionId && s.status === 'exited');
    expect(first.errors).toBe(1);
    await reporter.close(2000);
    // Every session that started also ended, each with its own sid.
    const sessions = sentry.sessions();
    const started = new Set(sessions.filter((s) => s.init).map((s) => s.sid));
    const ended = new Set(sessions.filter((s) => s.status === 'exited').map((s) => s.sid));
    expect(ended).toEqual(started);
    expect(started.size).toBeGreaterThanOrEqual(2);
  });

  it('consent lowered to manual: the session is dropped unsent; raised again: a new session, fresh sid', async () => {
    const sentry = await startSentry();
    const { reporter, sessionId, userId } = reporterFor(sentry.dsn, 'errors');
    reporter.captureError(new Error('counted'));
    await reporter.flush(2000);
    reporter.setLevel('manual');
    reporter.setLevel('errors');
    await reporter.close(2000);
    const states = sessionStates(sentry);
    expect(states.map((s) => [s.sid === sessionId, s.did, s.init, s.status, s.errors])).toEqual([
      [true, userId, true, 'ok', 0],
      [true, userId, false, 'ok', 1],
      [false, userId, true, 'ok', 0],
      [false, userId, false, 'exited', 0],
    ]);
  });

  it('no session at manual or off, not even at close', async () => {
    const sentry = await startSentry();
    const { reporter: manual } = reporterFor(sentry.dsn, 'manual');
    const { reporter: off } = reporterFor(sentry.dsn, 'off');
    manual.captureError(new Error('kept'));
    await Promise.all([manual.close(2000), off.close(2000)]);
    expect(sentry.requests()).toEqual([]);
  });

  it('the rotation timer does not keep the process alive and stops with the session', async () => {
    const sentry = await startSentry();
    const spy = vi.spyOn(globalThis, 'setInterval');
    const { reporter } = reporterFor(sentry.dsn, 'errors', { sessionRotateMs: 3_600_000 });
    const timer = spy.mock.results.at(-1)?.value as NodeJS.Timeout;
    spy.mockRestore();
    expect(timer.hasRef()).toBe(false);
    reporter.setLevel('manual');
    expect(timer.hasRef()).toBe(false);
    expect((timer as unknown as { _destroyed: boolean })._destroyed).toBe(true);
  });
});
