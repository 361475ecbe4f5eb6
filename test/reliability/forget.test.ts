// `forget()` on the wire: an owner starts over with a new identity while the bot runs. Nothing that leaves after it
// may carry the old user id, the old session id or an old session's sid: the old session is dropped, not ended.
import { afterEach, describe, expect, it } from 'vitest';
import { type CaptureOutcome, createTelemetry, memoryStore, type Telemetry } from '../../src/index.js';
import { internalsOf } from '../../src/suite/internals.js';
import { FakeSentry } from '../../src/testing/index.js';
import { captureLogger } from '../support/logger.js';

let sentry: FakeSentry | undefined;
let telemetry: Telemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  await sentry?.close();
});

const sessionOf = (telemetry: Telemetry) => internalsOf(telemetry)?.sessionId;

describe('forget()', () => {
  it('after it, no byte carries the old user id, session id or sid; the old session is not ended', async () => {
    sentry = await FakeSentry.start();
    telemetry = createTelemetry({
      suite: 'acme-plugins',
      dsn: sentry.dsn,
      store: memoryStore(),
      logger: captureLogger(),
      env: {},
    });
    const mod = telemetry.module({ name: 'status', version: '1.4.0' });
    const before = await telemetry.consent.set('errors', { by: 'test' });
    const oldUser = before.userId as string;
    const oldSession = sessionOf(telemetry) as string;

    // Under the old identity: an error sent, and one kept at `manual` for the owner to send by hand later.
    mod.captureError(new Error('before forget'));
    await sentry.waitFor('event', (event) => event.exception?.values?.[0]?.value === 'before forget');
    await telemetry.consent.set('manual', { by: 'test' });
    const kept = mod.captureError(new Error('kept before forget')) as Extract<CaptureOutcome, { status: 'pending' }>;
    expect(kept.status).toBe('pending');
    await telemetry.consent.set('errors', { by: 'test' });
    expect(await telemetry.flush()).toBe(true);
    const oldSids = new Set(sentry.sessions().map((session) => session.sid));
    expect(oldSids.has(oldSession)).toBe(true);
    const cut = sentry.received().length;
    const sessionsBefore = sentry.sessions().length;

    const after = await telemetry.consent.forget();
    const newUser = after.userId as string;
    expect(newUser).not.toBe(oldUser);
    const newSession = sessionOf(telemetry) as string;
    expect(newSession).not.toBe(oldSession);

    // The report kept under the old identity is dropped with it: it can never leave.
    expect(telemetry.reports.list().map((report) => report.code)).not.toContain(kept.code);
    await expect(telemetry.reports.send(kept.code)).rejects.toThrow(/no pending report/);
    mod.captureError(new Error('after forget'));
    await telemetry.shutdown();

    const afterForget = sentry.received().slice(cut);
    expect(afterForget.length).toBeGreaterThan(0);
    expect(afterForget).not.toContain(oldUser);
    expect(afterForget).not.toContain(oldSession);
    for (const sid of oldSids) expect(afterForget).not.toContain(sid);

    // The old session was never ended (an `exited` update would link it to the time of the forget).
    const later = sentry.sessions().slice(sessionsBefore);
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((session) => session.did === newUser && !oldSids.has(session.sid))).toBe(true);
    expect(later.find((session) => session.init)?.sid).toBe(newSession);

    const events = sentry.events().filter((event) => /after forget/.test(String(event.exception?.values?.[0]?.value)));
    expect(events.map((event) => event.exception?.values?.[0]?.value)).toEqual(['after forget']);
    for (const event of events) {
      expect(event.user).toEqual({ id: newUser });
      expect(event.tags?.session).toBe(newSession);
    }
  });
});
