// Promise 5 under Sentry faults: while Sentry answers 500, 429, hangs, resets connections or is absent, failing
// commands keep being handled: no unhandled rejection, bounded requests, one log line, and recovery afterwards.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelemetry, memoryStore, type Telemetry } from '../../src/index.js';
import { FakeSentry } from '../../src/testing/index.js';
import { captureLogger } from '../support/logger.js';
import { waitFor } from '../support/wait.js';

const COMMANDS = 300;
let rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);
beforeEach(() => {
  rejections = [];
  process.on('unhandledRejection', onRejection);
});
afterEach(() => {
  process.off('unhandledRejection', onRejection);
});

type Mode = '500' | '429' | 'hang' | 'reset' | 'absent';

async function faultySentry(mode: Mode): Promise<{ sentry: FakeSentry; dsn: string }> {
  const sentry = await FakeSentry.start();
  if (mode === '500') sentry.respondWith({ status: 500 });
  if (mode === '429') sentry.respondWith({ status: 429, retryAfter: 5 }); // 5 s: the check below must stay inside the window on a loaded machine
  if (mode === 'hang') sentry.hang();
  if (mode === 'reset') sentry.resetConnections();
  // Absent: a loopback port where nothing listens.
  return { sentry, dsn: mode === 'absent' ? 'http://public@127.0.0.1:9/1' : sentry.dsn };
}

async function failingCommands(telemetry: Telemetry, count: number): Promise<number> {
  const mod = telemetry.module({ name: 'tickets', version: '1.0.0' });
  const command = mod.command(async (n: number) => {
    throw new Error(`ticket ${n} broke`);
  });
  let handedOn = 0;
  for (let n = 0; n < count; n++) {
    await command(n).catch(() => {
      handedOn++;
    });
    if (n % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return handedOn;
}

describe.each(['500', '429', 'hang', 'reset', 'absent'] as const)('Sentry %s', (mode) => {
  it('commands keep failing normally, nothing rejects unhandled, requests stay bounded, one log line', async () => {
    const { sentry, dsn } = await faultySentry(mode);
    const logger = captureLogger();
    const telemetry = createTelemetry({ suite: 'faults', dsn, store: memoryStore(), logger, env: {} });
    await telemetry.consent.set('errors', { by: 'test' });

    expect(await failingCommands(telemetry, COMMANDS)).toBe(COMMANDS);
    // The failure was seen and handled (its one line is there); then one turn lets any rejection it left surface.
    await waitFor('the line about Sentry', () => logger.at('warn', 'error').some((line) => /sentry/i.test(line)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(rejections).toEqual([]);
    // The client keeps at most 64 envelopes in flight and drops the rest.
    expect(sentry.requests().length).toBeLessThanOrEqual(COMMANDS / 2);
    if (mode === '429') {
      // Once a 429 has been seen, nothing more is sent until Retry-After has passed. Counted once the requests that
      // were already on their way when the first 429 came back have arrived (flush resolves true: none in flight).
      expect(await telemetry.flush(30_000)).toBe(true);
      const sent = sentry.requests().length;
      await failingCommands(telemetry, 50);
      expect(sentry.requests().length).toBe(sent);
    }
    expect(logger.at('warn', 'error').filter((line) => /sentry/i.test(line))).toHaveLength(1);

    if (mode !== 'absent') {
      sentry.respondNormally();
      sentry.clear();
      // After a 429 nothing is sent until its Retry-After (5 s) has passed: the poll below waits for that too.
      const mod = telemetry.module({ name: 'tickets', version: '1.0.0' });
      await expect
        .poll(
          async () => {
            mod.captureError(new Error('after the outage'));
            return sentry.events().some((event) => event.exception?.values?.[0]?.value === 'after the outage');
          },
          { timeout: 30_000, interval: 500 },
        )
        .toBe(true);
    }
    await telemetry.shutdown();
    await sentry.close();
    expect(rejections).toEqual([]);
  });
});
