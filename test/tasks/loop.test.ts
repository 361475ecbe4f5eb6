import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsentLevel, Telemetry } from '../../src/index.js';
import { FakeSentry } from '../../src/testing/index.js';
import { deferred, suiteOn, TOKEN, until } from './support.js';

let sentry: FakeSentry;
let telemetry: Telemetry;
const stops: Array<() => Promise<void>> = [];

beforeEach(async () => {
  sentry = await FakeSentry.start();
  ({ telemetry } = suiteOn(sentry));
});
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
  await telemetry.shutdown();
  await sentry.close();
});

async function at(level: ConsentLevel) {
  const mod = telemetry.module({ name: 'status', version: '1.4.0' });
  await telemetry.consent.set(level, { by: 'owner:1' });
  return mod;
}

describe('mod.loop()', () => {
  it('never overlaps itself: an iteration slower than `every` delays the next one', async () => {
    const mod = await at('all');
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const loop = mod.loop('slow', { every: 1 }, async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 15));
      await new Promise((resolve) => setImmediate(resolve));
      active--;
    });
    stops.push(loop.stop);
    // runNow() while an iteration runs joins it instead of starting a second one.
    await until(() => loop.status().running, 'the first iteration');
    void loop.runNow();
    void loop.runNow();
    await until(() => runs >= 6, 'six iterations');
    await loop.stop();
    expect(maxActive).toBe(1);
    expect(loop.status().iterations).toBe(runs);
  });

  it('survives failing iterations; status() tells iterations, failures, times and the scrubbed last error', async () => {
    const mod = await at('errors');
    let runs = 0;
    const loop = mod.loop('flaky', { every: 1 }, () => {
      runs++;
      if (runs % 2 === 1) throw new Error(`login with ${TOKEN} failed (run ${runs})`);
    });
    stops.push(loop.stop);
    await until(() => loop.status().iterations >= 4 && !loop.status().running, 'four iterations');
    await loop.stop();
    const status = loop.status();
    expect(status.name).toBe('flaky');
    expect(status.failures).toBe(Math.ceil(status.iterations / 2));
    expect(status.lastError).toMatch(/^Error: login with \[BOT-TOKEN\] failed \(run \d+\)$/);
    expect(status.lastError).not.toContain(TOKEN);
    expect(status.stopped).toBe(true);
    expect(status.running).toBe(false);
    expect(status.nextRun).toBeUndefined();
    expect(status.lastStart).toBeInstanceOf(Date);
    expect(status.lastEnd).toBeInstanceOf(Date);
    expect((status.lastEnd as Date).getTime()).toBeGreaterThanOrEqual((status.lastStart as Date).getTime());
    expect(status.lastDuration).toBe((status.lastEnd as Date).getTime() - (status.lastStart as Date).getTime());
    expect(status.lastOutcome).toBe(runs % 2 === 1 ? 'error' : 'ok');
    // Each failure was captured through the module.
    await until(() => sentry.events().length >= status.failures, 'the captured failures');
    expect(sentry.events().every((e) => e.tags?.loop === 'flaky')).toBe(true);
    expect(sentry.received()).not.toContain(TOKEN);
  });

  it('stop() waits for the running iteration and nothing starts after it', async () => {
    const mod = await at('all');
    const release = deferred();
    let runs = 0;
    let finished = false;
    const loop = mod.loop('held', { every: 1 }, async () => {
      runs++;
      await release.promise;
      finished = true;
    });
    await until(() => loop.status().running, 'the iteration to start');
    let stopped = false;
    const stopping = loop.stop().then(() => {
      stopped = true;
    });
    // Cannot flake: the iteration is held by a promise only this test resolves, so a correct stop() cannot settle
    // before it. The 20 ms only give a wrong stop() (one that does not wait) time to show itself.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    release.resolve();
    await stopping;
    expect(finished).toBe(true);
    // Timers fire in the order they are due: a next iteration wrongly scheduled `every: 1` ms after the stop would be
    // due before this 20 ms timer and run first, however loaded the machine.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(runs).toBe(1);
    expect(loop.status()).toMatchObject({ iterations: 1, running: false, stopped: true, nextRun: undefined });
    await loop.runNow();
    expect(runs).toBe(1);
  });

  it('runAtStart: false waits first; nextRun says when; runNow() runs at once', async () => {
    const mod = await at('manual');
    let runs = 0;
    const before = Date.now();
    const loop = mod.loop('daily', { every: 86_400_000, runAtStart: false, jitter: 0.1 }, () => {
      runs++;
    });
    const after = Date.now();
    stops.push(loop.stop);
    const next = loop.status().nextRun?.getTime() ?? 0;
    expect(next).toBeGreaterThanOrEqual(before + 86_400_000);
    expect(next).toBeLessThanOrEqual(after + 86_400_000 * 1.1);
    expect(loop.status().iterations).toBe(0);
    await loop.runNow();
    expect(runs).toBe(1);
    expect(loop.status()).toMatchObject({ iterations: 1, lastOutcome: 'ok', running: false });
    expect(loop.status().nextRun).toBeInstanceOf(Date);
  });

  it('at all: one root span per iteration, with the iteration number', async () => {
    const mod = await at('all');
    const loop = mod.loop('poll', { every: 1 }, () => undefined);
    await until(() => loop.status().iterations >= 3, 'three iterations');
    await loop.stop();
    const count = loop.status().iterations;
    await telemetry.shutdown();
    const spans = sentry.spans().filter((s) => s.name === 'poll');
    expect(spans).toHaveLength(count);
    expect(spans.map((s) => s.attributes['consentry.loop.iteration']).sort()).toEqual(
      Array.from({ length: count }, (_, i) => i + 1),
    );
    for (const span of spans) {
      expect(span.parentSpanId).toBeUndefined();
      expect(span.attributes).toMatchObject({ 'consentry.kind': 'loop', 'consentry.loop.every_ms': 1 });
    }
  });

  it.each([
    [{ every: 0 }, /`every`/],
    [{ every: -5 }, /`every`/],
    [{ every: Number.NaN }, /`every`/],
    [{ every: Number.POSITIVE_INFINITY }, /`every`/],
    [{ every: '1000' }, /`every`/],
    [{ every: 2 ** 31 }, /`every`.*24\.8 days/],
    [{ every: 1000, jitter: 1.5 }, /`jitter`.*fraction/],
    [{ every: 1000, jitter: -0.1 }, /`jitter`/],
    [{ every: 1000, runAtStart: 'yes' }, /`runAtStart`/],
    [{ every: 1000, checkIn: { monitorSlug: '' } }, /`checkIn`/],
    [undefined, /options must be an object/],
  ])(
    'bad options %j: one log line naming the option and a loop that does not run; strict throws',
    async (options, message) => {
      const lenient = suiteOn(sentry);
      const loop = lenient.telemetry
        .module({ name: 'status', version: '1.4.0' })
        .loop('bad', options as never, () => 1);
      expect(loop.status()).toMatchObject({ stopped: true, iterations: 0, lastError: expect.stringMatching(message) });
      expect(lenient.logger.at('error').filter((line) => message.test(line))).toHaveLength(1);
      await lenient.telemetry.shutdown();

      const strict = suiteOn(sentry, { strict: true });
      const mod = strict.telemetry.module({ name: 'status', version: '1.4.0' });
      expect(() => mod.loop('bad', options as never, () => 1)).toThrow(message);
      await strict.telemetry.shutdown();
    },
  );
});

describe('mod.loop() cron check-ins', () => {
  it.each(['errors', 'all'] as const)(
    'at %s: in_progress then ok/error per iteration, same check-in id',
    async (level) => {
      const mod = await at(level);
      let runs = 0;
      const loop = mod.loop('nightly', { every: 1, checkIn: { monitorSlug: 'nightly-sync' } }, () => {
        runs++;
        if (runs === 2) throw new Error('second run fails');
      });
      await until(() => loop.status().iterations >= 2 && !loop.status().running, 'two iterations');
      await loop.stop();
      const iterations = loop.status().iterations;
      await until(() => sentry.checkIns().length >= 2 * iterations, 'two check-ins per iteration');
      const checkIns = sentry.checkIns();
      // Envelopes travel in parallel: group by check-in id rather than trusting the arrival order.
      const ids = [...new Set(checkIns.map((c) => c.check_in_id))];
      const of = (id: string | undefined) =>
        checkIns
          .filter((c) => c.check_in_id === id)
          .map((c) => c.status)
          .sort();
      expect(ids).toHaveLength(iterations);
      const outcomes = ids.map(of);
      expect(outcomes.filter((statuses) => statuses.join() === 'error,in_progress')).toHaveLength(1);
      expect(outcomes.filter((statuses) => statuses.join() === 'in_progress,ok')).toHaveLength(iterations - 1);
      const first = ids[0];
      for (const checkIn of checkIns) {
        expect(checkIn.monitor_slug).toBe('nightly-sync');
        expect(checkIn.release).toBe('acme-plugins|status@1.4.0');
        if (checkIn.status !== 'in_progress') expect(checkIn.duration).toBeGreaterThanOrEqual(0);
      }
      if (level === 'all') {
        await telemetry.shutdown();
        const spans = sentry.spans().filter((s) => s.name === 'nightly');
        const linked = checkIns.find((c) => c.check_in_id === first)?.contexts?.trace?.trace_id;
        expect(spans.map((s) => s.traceId)).toContain(linked);
      }
    },
  );

  it.each(['off', 'manual'] as const)('at %s: no check-in leaves', async (level) => {
    const mod = await at(level);
    const loop = mod.loop('nightly', { every: 1, checkIn: { monitorSlug: 'nightly-sync' } }, () => undefined);
    await until(() => loop.status().iterations >= 3, 'three iterations');
    await loop.stop();
    await telemetry.shutdown();
    expect(sentry.checkIns()).toHaveLength(0);
    expect(sentry.requests()).toHaveLength(0);
  });

  it('without the checkIn option no check-in is sent, even at all', async () => {
    const mod = await at('all');
    const loop = mod.loop('quiet', { every: 1 }, () => undefined);
    await until(() => loop.status().iterations >= 2, 'two iterations');
    await loop.stop();
    await telemetry.shutdown();
    expect(sentry.checkIns()).toHaveLength(0);
    expect(sentry.spans().length).toBeGreaterThanOrEqual(2);
  });
});
