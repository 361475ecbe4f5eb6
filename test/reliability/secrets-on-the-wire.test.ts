// Promise 2, proven on the wire: over 100,000 generated secrets placed in error messages, causes, extra data, tags,
// log lines (breadcrumbs), task names and span attributes; every byte the fake Sentry receives is searched.
// CONSENTRY_FUZZ_EVENTS raises the count for a longer, nightly-style run (see scripts/fuzz-nightly.sh).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelemetry, memoryStore, type Telemetry } from '../../src/index.js';
import { FakeSentry } from '../../src/testing/index.js';
import { captureLogger } from '../support/logger.js';
import { findNeedles } from './support/needles.js';
import { BOT_TOKEN, textWithSecret, valueWithSecret } from './support/secrets.js';

const EVENTS = Number(process.env.CONSENTRY_FUZZ_EVENTS ?? 2_000);
const SPANS = Math.ceil(EVENTS / 2);
const BATCH = 32;
const SEED = Number(process.env.CONSENTRY_FUZZ_SEED ?? Date.now() % 2 ** 31);

let sentry: FakeSentry;
let telemetry: Telemetry;
const needles = new Set<string>();
let items = 0;

const sample = <T>(arbitrary: fc.Arbitrary<T>, count: number, offset: number) =>
  fc.sample(arbitrary, { numRuns: count, seed: SEED + offset });

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 30_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  sentry = await FakeSentry.start({ maxRequests: 1_000_000 });
  telemetry = createTelemetry({
    suite: 'fuzz-suite',
    dsn: sentry.dsn,
    store: memoryStore(),
    botToken: BOT_TOKEN,
    logger: captureLogger(),
    env: {},
  });
  await telemetry.consent.set('all', { by: 'test' });
});
afterAll(async () => {
  await telemetry.shutdown();
  await sentry.close();
});

describe(`no secret reaches Sentry (seed ${SEED})`, () => {
  it(`errors, causes, extra data, tags and log lines: ${EVENTS} events of 50 generated secrets each`, async () => {
    const mod = telemetry.module({ name: 'errors', version: '1.0.0' });
    for (let start = 0; start < EVENTS; start += BATCH) {
      const count = Math.min(BATCH, EVENTS - start);
      const texts = sample(textWithSecret, count * 30, start);
      const values = sample(valueWithSecret, count * 20, start + 1e7);
      for (let e = 0; e < count; e++) {
        const t = texts.slice(e * 30, e * 30 + 30);
        const v = values.slice(e * 20, e * 20 + 20);
        for (const item of [...t, ...v]) needles.add(item.needle);
        items += t.length + v.length;
        for (const line of t.slice(5, 30)) mod.logger.info(line.text);
        const [message, cause, tagA, tagB, tagC] = t as [
          (typeof t)[0],
          (typeof t)[0],
          (typeof t)[0],
          (typeof t)[0],
          (typeof t)[0],
        ];
        const error = new Error(message.text, { cause: new TypeError(cause.text) });
        mod.captureError(error, {
          extra: Object.fromEntries(v.map((item, i) => [`field${i}`, item.value])),
          tags: { a: tagA.text, b: tagB.text, c: tagC.text },
        });
      }
      await until(() => sentry.events().length >= start + count, `${start + count} events`);
    }
    expect(sentry.events()).toHaveLength(EVENTS);
    expect(sentry.requests().every((request) => request.status === 200)).toBe(true);
  });

  it(`task names and span attributes: ${SPANS} task spans of 9 generated secrets each`, async () => {
    const mod = telemetry.module({ name: 'spans', version: '1.0.0' });
    const texts = sample(textWithSecret, SPANS * 9, 2e7);
    for (let s = 0; s < SPANS; s++) {
      const [name, ...attributes] = texts.slice(s * 9, s * 9 + 9);
      for (const item of [name, ...attributes]) if (item) needles.add(item.needle);
      items += 9;
      await mod.task(name?.text ?? 'task', (span) => {
        attributes.forEach((item, i) => {
          span?.setAttribute(i % 2 ? item.text : `attr.${i}`, i % 2 ? i : item.text);
        });
      });
    }
    await telemetry.shutdown();
    await until(() => sentry.spans().length >= SPANS, `${SPANS} spans`);
    expect(sentry.spans()).toHaveLength(SPANS);
  });

  it('none of the generated secrets appears in any byte received', () => {
    expect(items).toBeGreaterThanOrEqual(EVENTS * 50 + SPANS * 9);
    if (EVENTS >= 2_000) expect(items).toBeGreaterThanOrEqual(100_000);
    const received = sentry.received();
    expect(received.length).toBeGreaterThan(EVENTS * 1_000);
    expect(findNeedles(received, needles)).toEqual([]);
  });
});
