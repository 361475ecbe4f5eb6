import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Telemetry } from '../../src/index.js';
import { FakeSentry, type ReceivedSpan } from '../../src/testing/index.js';
import { deferred, suiteOn } from '../tasks/support.js';

let sentry: FakeSentry;
let telemetry: Telemetry;

beforeEach(async () => {
  sentry = await FakeSentry.start();
  ({ telemetry } = suiteOn(sentry, { level: 'all' }));
});
afterEach(async () => {
  await telemetry.shutdown();
  await sentry.close();
});

const otlpRequests = () => sentry.requests().filter((request) => request.endpoint === 'otlp-traces');
const named = (name: string) => sentry.spans().filter((span) => span.name === name);
const one = (name: string): ReceivedSpan => {
  const spans = named(name);
  expect(spans, name).toHaveLength(1);
  return spans[0] as ReceivedSpan;
};

describe("Sentry's span attributes", () => {
  it("every span carries sentry.op, the release, environment, user and session of the same module's error events", async () => {
    const status = telemetry.module({ name: 'status', version: '1.4.0' });
    const notes = telemetry.module({ name: 'notes', version: '2.0.1' });
    await telemetry.consent.status();
    await status.task('check-updates', () => status.span('fetch-releases', () => 1));
    await expect(
      status.task('failing-task', () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const loop = notes.loop('sweep', { every: 3_600_000 }, () => 1);
    await loop.runNow();
    await loop.stop();
    await notes.migration('config', { from: 1, to: 2 }, () => 1);
    await notes.span('outside-a-task', () => 1); // no span: outside a run
    await telemetry.flush();

    const event = await sentry.waitFor('event', (e) => e.exception?.values?.[0]?.value === 'boom');
    expect(event.release).toBe('acme-plugins|status@1.4.0');
    const statusSpans = [one('check-updates'), one('fetch-releases'), one('failing-task')];
    for (const span of statusSpans) {
      expect(span.attributes['sentry.release']).toBe(event.release);
      expect(span.attributes['sentry.environment']).toBe(event.environment);
      expect(span.attributes['user.id']).toBe(event.user?.id);
      expect(span.attributes['session.id']).toBe(event.tags?.session);
    }
    expect(one('check-updates').attributes['sentry.op']).toBe('task');
    expect(one('fetch-releases').attributes['sentry.op']).toBe('function');
    expect(one('fetch-releases').parentSpanId).toBe(one('check-updates').spanId);
    expect(one('sweep').attributes['sentry.op']).toBe('loop');
    expect(one('config').attributes['sentry.op']).toBe('migration');
    // The other module's spans carry its own release, the same user and session.
    for (const span of [one('sweep'), one('config')]) {
      expect(span.attributes['sentry.release']).toBe('acme-plugins|notes@2.0.1');
      expect(span.attributes['sentry.environment']).toBe('production');
      expect(span.attributes['user.id']).toBe(event.user?.id);
      expect(span.attributes['session.id']).toBe(event.tags?.session);
      expect(span.attributes['consentry.module']).toBe('notes');
    }
    expect(named('outside-a-task')).toHaveLength(0);
    // The consentry.* attributes are kept.
    expect(one('check-updates').attributes).toMatchObject({
      'consentry.suite': 'acme-plugins',
      'consentry.module': 'status',
      'consentry.version': '1.4.0',
      'consentry.kind': 'task',
    });
  });

  it('a child given its own attributes may set its op, never another release or user', async () => {
    const status = telemetry.module({ name: 'status', version: '1.4.0' });
    const { userId } = await telemetry.consent.status();
    await status.task('sync', () =>
      status.span('query', () => 1, { 'sentry.op': 'db', 'sentry.release': 'forged', 'user.id': 'someone', rows: 3 }),
    );
    await telemetry.flush();
    expect(one('query').attributes).toMatchObject({
      'sentry.op': 'db',
      'sentry.release': 'acme-plugins|status@1.4.0',
      'user.id': userId,
      rows: 3,
    });
  });

  it('after forget(): new spans carry the new user id, and nothing carries the old one (not even a span open across it)', async () => {
    const status = telemetry.module({ name: 'status', version: '1.4.0' });
    const before = (await telemetry.consent.status()).userId as string;
    await status.task('queued-before', () => 1); // queued, not yet sent
    const hold = deferred();
    const across = status.task('open-across', () => hold.promise);
    const after = (await telemetry.consent.forget()).userId as string;
    expect(after).not.toBe(before);
    hold.resolve();
    await across;
    await status.task('after-forget', () => 1);
    await telemetry.flush();
    expect(one('after-forget').attributes['user.id']).toBe(after);
    expect(named('queued-before')).toHaveLength(0);
    expect(named('open-across')).toHaveLength(0);
    // (Sessions sent before forget() carry the old id as their `did`; no span does.)
    expect(otlpRequests().length).toBeGreaterThan(0);
    for (const request of otlpRequests()) expect(request.body.toString('latin1')).not.toContain(before);
  });
});

describe('one span pipeline per suite', () => {
  it('40 modules, one task each, one flush: one OTLP request, every module its own release', async () => {
    const modules = Array.from({ length: 40 }, (_, i) =>
      telemetry.module({ name: `module-${i}`, version: `1.0.${i}` }),
    );
    await telemetry.consent.status();
    await Promise.all(modules.map((mod) => mod.task('check-updates', () => 1)));
    await telemetry.flush();
    expect(otlpRequests()).toHaveLength(1);
    const spans = named('check-updates');
    expect(spans).toHaveLength(40);
    expect(new Set(spans.map((span) => span.attributes['sentry.release']))).toEqual(
      new Set(modules.map((_, i) => `acme-plugins|module-${i}@1.0.${i}`)),
    );
    // The resource describes the suite only: the release lives on each span.
    expect(spans[0]?.resource['service.name']).toBe('acme-plugins');
    expect(spans[0]?.resource['consentry.module']).toBeUndefined();
  });
});
