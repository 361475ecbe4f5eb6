// Promise 5 against hostile values: whatever a module throws or attaches, capture returns at once, never throws,
// and what reaches Sentry is bounded and marked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelemetry, memoryStore, type Telemetry, type TelemetryModule } from '../../src/index.js';
import { FakeSentry, type SentryEvent } from '../../src/testing/index.js';
import { captureLogger } from '../support/logger.js';

let sentry: FakeSentry;
let telemetry: Telemetry;
let mod: TelemetryModule;
let counter = 0;

beforeAll(async () => {
  sentry = await FakeSentry.start();
  telemetry = createTelemetry({
    suite: 'hostile',
    dsn: sentry.dsn,
    store: memoryStore(),
    logger: captureLogger(),
    env: {},
  });
  mod = telemetry.module({ name: 'victim', version: '1.0.0' });
  await telemetry.consent.set('errors', { by: 'test' });
});
afterAll(async () => {
  await telemetry.shutdown();
  await sentry.close();
});

/** Captures with a unique tag and returns the event as received, or undefined when the capture was dropped. */
async function roundTrip(thrown: unknown, extra?: Record<string, unknown>): Promise<SentryEvent> {
  const id = `case-${++counter}`;
  const outcome = mod.captureError(thrown, { ...(extra ? { extra } : {}), tags: { case: id } });
  expect(outcome.status).toBe('queued');
  return sentry.waitFor('event', (event) => event.tags?.case === id, 10_000);
}

const size = (event: SentryEvent) => Buffer.byteLength(JSON.stringify(event));
const deep = (levels: number) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = { next: value };
  return value;
};

describe('hostile input to captureError', () => {
  it('a 10 MB message and 10 MB of extra data arrive cut, with a marker', async () => {
    const huge = 'a'.repeat(10_000_000);
    const event = await roundTrip(new Error(huge), { blob: huge, list: Array(100_000).fill('x') });
    expect(size(event)).toBeLessThan(200_000);
    expect(JSON.stringify(event)).toContain('[Truncated');
  });

  it('10,000 levels of nesting and cycles arrive bounded and marked', async () => {
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    const event = await roundTrip(new Error('deep'), { deep: deep(10_000), cycle });
    const text = JSON.stringify(event.extra);
    expect(text).toContain('[Truncated]');
    expect(text).toContain('[Circular]');
    expect(size(event)).toBeLessThan(50_000);
  });

  it('throwing getters, revoked and trapping proxies, BigInt and Symbols are read safely', async () => {
    const getter = Object.defineProperty({}, 'boom', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    const trapping = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('ownKeys');
        },
      },
    );
    const event = await roundTrip(new Error('odd values'), {
      getter,
      revoked: revocable.proxy,
      trapping,
      big: 123456789012345678901234567890n,
      symbol: Symbol('sym'),
    });
    expect(event.extra).toMatchObject({
      getter: { boom: '[Unreadable]' },
      revoked: '[Unreadable]',
      trapping: '[Unreadable]',
      big: '123456789012345678901234567890',
      symbol: 'Symbol(sym)',
    });
  });

  it('an error whose message getter throws still arrives', async () => {
    const error = new Error('placeholder');
    Object.defineProperty(error, 'message', {
      get() {
        throw new Error('message getter');
      },
    });
    const event = await roundTrip(error);
    expect(event.exception?.values?.[0]).toMatchObject({
      type: 'UnreadableThrownValue',
      value: '[Unreadable] a thrown Error whose properties could not be read',
    });
  });

  it.each([
    ['a string', 'plain string thrown'],
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a plain object', { code: 'E_WEIRD', detail: 'object thrown' }],
    [
      'an object with a throwing toString',
      {
        toString: () => {
          throw new Error('no');
        },
      },
    ],
    [
      'a Proxy that throws on every access',
      new Proxy(
        {},
        {
          get: () => {
            throw new Error('trap');
          },
        },
      ),
    ],
  ])('%s thrown instead of an Error arrives as an event', async (_label, thrown) => {
    const event = await roundTrip(thrown);
    expect(event.exception?.values?.[0]?.value).toEqual(expect.any(String));
  });
});
