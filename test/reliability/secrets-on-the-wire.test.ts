// Promise 2, proven on the wire: over 100,000 generated secrets placed in error messages, causes, extra data, tags,
// log lines (breadcrumbs), task names and span attributes; every byte the fake Sentry receives is searched.
// CONSENTRY_FUZZ_EVENTS raises the count for a longer, nightly-style run (see scripts/fuzz-nightly.sh).
// Each test stands alone: it starts its own fake Sentry and telemetry, plants its own needles and searches the bytes
// its own receiver got, so any one of them can run by itself (`-t`) or be added to.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTelemetry, memoryStore, type Telemetry } from '../../src/index.js';
import { FakeSentry } from '../../src/testing/index.js';
import { captureLogger } from '../support/logger.js';
import { waitFor } from '../support/wait.js';
import { findNeedles } from './support/needles.js';
import { BOT_TOKEN, textWithSecret, valueWithSecret } from './support/secrets.js';

const EVENTS = Number(process.env.CONSENTRY_FUZZ_EVENTS ?? 2_000);
const SPANS = Math.ceil(EVENTS / 2);
const BATCH = 32;
const SEED = Number(process.env.CONSENTRY_FUZZ_SEED ?? Date.now() % 2 ** 31);

const sample = <T>(arbitrary: fc.Arbitrary<T>, count: number, offset: number) =>
  fc.sample(arbitrary, { numRuns: count, seed: SEED + offset });

interface Fuzz {
  sentry: FakeSentry;
  telemetry: Telemetry;
  /** Records a secret that must not appear in anything received. */
  plant(needle: string): void;
}

/** Runs `body` against a fresh fake Sentry and telemetry at `all`; returns the needles it planted and what arrived. */
async function fuzz(body: (fuzz: Fuzz) => Promise<void>): Promise<{ needles: Set<string>; received: string }> {
  const sentry = await FakeSentry.start({ maxRequests: 1_000_000 });
  const telemetry = createTelemetry({
    suite: 'fuzz-suite',
    dsn: sentry.dsn,
    store: memoryStore(),
    botToken: BOT_TOKEN,
    logger: captureLogger(),
    env: {},
  });
  const needles = new Set<string>();
  try {
    await telemetry.consent.set('all', { by: 'test' });
    await body({ sentry, telemetry, plant: (needle) => needles.add(needle) });
    await telemetry.shutdown();
    expect(sentry.droppedRequests).toBe(0);
    return { needles, received: sentry.received() };
  } finally {
    await telemetry.shutdown();
    await sentry.close();
  }
}

describe(`no secret reaches Sentry (seed ${SEED})`, () => {
  it(`errors, causes, extra data, tags and log lines: ${EVENTS} events of 50 generated secrets each`, async () => {
    const { needles, received } = await fuzz(async ({ sentry, telemetry, plant }) => {
      const mod = telemetry.module({ name: 'errors', version: '1.0.0' });
      for (let start = 0; start < EVENTS; start += BATCH) {
        const count = Math.min(BATCH, EVENTS - start);
        const texts = sample(textWithSecret, count * 30, start);
        const values = sample(valueWithSecret, count * 20, start + 1e7);
        for (let e = 0; e < count; e++) {
          const t = texts.slice(e * 30, e * 30 + 30);
          const v = values.slice(e * 20, e * 20 + 20);
          for (const item of [...t, ...v]) plant(item.needle);
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
        await waitFor(`${start + count} events`, () => sentry.events().length >= start + count, 30_000);
      }
      expect(sentry.events()).toHaveLength(EVENTS);
      expect(sentry.requests().every((request) => request.status === 200)).toBe(true);
    });
    // Distinct needles, not generated items: random generation repeats some (the bot token, short invites).
    expect(needles.size).toBeGreaterThan(EVENTS * 10);
    expect(received.length).toBeGreaterThan(EVENTS * 1_000);
    expect(findNeedles(received, needles)).toEqual([]);
  });

  it(`task names and span attributes: ${SPANS} task spans of 9 generated secrets each`, async () => {
    const { needles, received } = await fuzz(async ({ sentry, telemetry, plant }) => {
      const mod = telemetry.module({ name: 'spans', version: '1.0.0' });
      const texts = sample(textWithSecret, SPANS * 9, 2e7);
      for (let s = 0; s < SPANS; s++) {
        const [name, ...attributes] = texts.slice(s * 9, s * 9 + 9);
        for (const item of [name, ...attributes]) if (item) plant(item.needle);
        await mod.task(name?.text ?? 'task', (span) => {
          attributes.forEach((item, i) => {
            span?.setAttribute(i % 2 ? item.text : `attr.${i}`, i % 2 ? i : item.text);
          });
        });
      }
      await telemetry.shutdown();
      await waitFor(`${SPANS} spans`, () => sentry.spans().length >= SPANS, 30_000);
      expect(sentry.spans()).toHaveLength(SPANS);
    });
    expect(needles.size).toBeGreaterThan(SPANS * 4);
    expect(received.length).toBeGreaterThan(SPANS * 500);
    expect(findNeedles(received, needles)).toEqual([]);
  });

  it('the search finds a needle that did arrive (so an empty result means something)', async () => {
    const { received } = await fuzz(async ({ sentry, telemetry }) => {
      telemetry.module({ name: 'canary', version: '1.0.0' }).captureError(new Error('canary-1234567 reached Sentry'));
      await waitFor('the canary event', () => sentry.events().length >= 1);
    });
    expect(findNeedles(received, ['canary-1234567', 'never-sent-7654321'])).toEqual(['canary-1234567']);
  });
});
