// A capture is scrubbed and copied in the caller's turn and handed to Sentry's client in the next (send-soon.ts),
// so a large capture does not block the event loop for its whole cost. What was captured in that gap must be neither
// lost (flush or close right after) nor sent against consent (off right after), and nothing the caller changes once
// captureError has returned may reach Sentry.
import { describe, expect, it } from 'vitest';
import { reporterFor, sessionStates, startSentry } from './support.js';

const messages = (sentry: Awaited<ReturnType<typeof startSentry>>) =>
  sentry.events().flatMap((event) => event.exception?.values?.map((value) => value.value ?? '') ?? []);

describe('captures handed to Sentry one turn later', () => {
  it('flush right after captureError, in the same turn, delivers the event', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'errors');
    expect(reporter.captureError(new Error('flushed in the same turn')).status).toBe('queued');
    expect(await reporter.flush(2000)).toBe(true);
    expect(messages(sentry)).toEqual(['flushed in the same turn']);
  });

  it('close right after captureError, in the same turn, delivers the event', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'errors');
    reporter.captureError(new Error('closed in the same turn'));
    expect(await reporter.close(2000)).toBe(true);
    expect(messages(sentry)).toEqual(['closed in the same turn']);
  });

  it('consent off in the same turn: the event never leaves (a reporter still at errors proves the receiver works)', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'errors');
    reporter.captureError(new Error('captured then withdrawn'));
    reporter.setLevel('off');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await reporter.flush(2000)).toBe(true);

    const canary = reporterFor(sentry.dsn, 'errors').reporter;
    canary.captureError(new Error('canary'));
    expect(await canary.flush(2000)).toBe(true);
    expect(messages(sentry)).toEqual(['canary']);
    expect(sentry.received()).not.toContain('captured then withdrawn');
  });

  it('consent lowered or changed twice in the same turn: the error still counts in the session it happened in', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'errors');
    reporter.captureError(new Error('before lowering'));
    reporter.setLevel('manual');
    reporter.setLevel('errors');
    expect(await reporter.close(2000)).toBe(true);
    expect(messages(sentry)).toEqual(['before lowering']);
    const [first, ...later] = [...new Set(sessionStates(sentry).map((s) => s.sid))];
    const states = (sid: string | undefined) => sessionStates(sentry).filter((s) => s.sid === sid);
    // The first session (abandoned by 'manual') carries the error; the one 'errors' started again has none.
    expect(states(first).some((s) => s.errors === 1)).toBe(true);
    expect(later).toHaveLength(1);
    expect(states(later[0]).every((s) => (s.errors ?? 0) === 0)).toBe(true);
  });

  it('what the caller changes after captureError returns never reaches Sentry', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'errors');
    const error = new Error('as captured');
    const extra = { note: 'as captured', nested: { list: ['as captured'] } };
    reporter.captureError(error, { extra });
    error.message = 'changed afterwards';
    extra.note = 'changed afterwards';
    extra.nested.list.push('changed afterwards');
    expect(await reporter.flush(2000)).toBe(true);
    expect(messages(sentry)).toEqual(['as captured']);
    expect(sentry.received()).toContain('as captured');
    expect(sentry.received()).not.toContain('changed afterwards');
  });
});
