import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelemetry, memoryStore, type Telemetry } from '../../src/index.js';
import { FakeSentry } from '../../src/testing/index.js';
import { captureLogger } from '../support/logger.js';

let sentry: FakeSentry;
let telemetry: Telemetry;

beforeEach(async () => {
  sentry = await FakeSentry.start();
  telemetry = createTelemetry({
    suite: 'acme',
    dsn: sentry.dsn,
    store: memoryStore(),
    logger: captureLogger(),
    env: {},
  });
});
afterEach(async () => {
  await telemetry.shutdown();
  await sentry.close();
});

describe('module task and handler wrappers', () => {
  it('mod.task() at level all: the run is a root span received by Sentry, its result returned', async () => {
    const mod = telemetry.module({ name: 'status', version: '1.4.0' });
    await telemetry.consent.set('all', { by: 'owner:1' });
    expect(await mod.task('check-updates', () => 42)).toBe(42);
    await telemetry.shutdown();
    const span = await sentry.waitFor('span', (s) => s.name === 'check-updates');
    expect(span.parentSpanId).toBeUndefined();
    expect(span.resource).toMatchObject({ 'service.name': 'acme' });
  });

  it('mod.task(): an error is captured through the module and rethrown', async () => {
    const mod = telemetry.module({ name: 'status', version: '1.4.0' });
    await telemetry.consent.set('errors', { by: 'owner:1' });
    await expect(mod.task('migrate', () => Promise.reject(new Error('task broke')))).rejects.toThrow('task broke');
    const event = await sentry.waitFor('event');
    expect(event.exception?.values?.[0]?.value).toBe('task broke');
    expect(sentry.spans()).toHaveLength(0);
  });

  it('mod.command() and mod.listener() hand errors on unchanged after capturing them', async () => {
    const mod = telemetry.module({ name: 'notes', version: '2.0.0' });
    await telemetry.consent.set('errors', { by: 'owner:1' });
    const thrown = new Error('command broke');
    const command = mod.command(async (_interaction: unknown) => {
      throw thrown;
    });
    await expect(command({})).rejects.toBe(thrown);
    const listener = mod.listener((value: number) => {
      if (value > 1) throw new RangeError('listener broke');
      return value;
    });
    expect(listener(1)).toBe(1);
    expect(() => listener(2)).toThrow(RangeError);
    await sentry.waitFor('event', (e) => e.exception?.values?.[0]?.value === 'listener broke');
    await sentry.waitFor('event', (e) => e.exception?.values?.[0]?.value === 'command broke');
  });
});

describe('telemetry.flush()', () => {
  it('sends queued spans now instead of at the next 5-second batch, and reports success', async () => {
    const mod = telemetry.module({ name: 'status', version: '1.4.0' });
    await telemetry.consent.set('all', { by: 'owner:1' });
    await mod.task('flushed-now', () => 1);
    expect(sentry.spans()).toHaveLength(0);
    expect(await telemetry.flush()).toBe(true);
    expect(sentry.spans().map((span) => span.name)).toEqual(['flushed-now']);
  });

  it('sends nothing at off', async () => {
    const mod = telemetry.module({ name: 'status', version: '1.4.0' });
    await telemetry.consent.set('off', { by: 'owner:1' });
    await mod.task('not-sent', () => 1);
    mod.captureError(new Error('not sent'));
    expect(await telemetry.flush()).toBe(true);
    expect(sentry.requests()).toEqual([]);
  });
});
