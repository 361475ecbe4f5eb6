import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelemetry, memoryStore, type Telemetry, type TelemetryModule } from '../../src/index.js';
import { FakeSentry } from '../../src/testing/index.js';
import { captureLogger } from '../support/logger.js';
import { suiteOn, until } from './support.js';

// Promise 3: anything that starts while a command or listener runs (in its async context) is part of that command
// and never leaves, whichever module or suite started it; the same work outside commands still does.

let sentry: FakeSentry;
let telemetry: Telemetry;
const cleanups: Array<() => Promise<unknown>> = [];

beforeEach(async () => {
  sentry = await FakeSentry.start();
  ({ telemetry } = suiteOn(sentry));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await telemetry.shutdown();
  await sentry.close();
});

async function moduleAtAll(): Promise<TelemetryModule> {
  const mod = telemetry.module({ name: 'status', version: '1.4.0' });
  await telemetry.consent.set('all', { by: 'owner:1' });
  return mod;
}

/** Names of the spans that reached Sentry, after everything queued was sent. */
async function exported(): Promise<string[]> {
  await telemetry.shutdown();
  return sentry
    .spans()
    .map((span) => span.name)
    .sort();
}

function expectNothingOf(marker: string) {
  expect(sentry.received()).not.toContain(marker);
  expect(sentry.checkIns().map((c) => c.monitor_slug)).not.toContain(marker);
}

describe('work started from a command is part of it (plugin mode, on the wire)', () => {
  it('command -> task (with a child span): nothing leaves; the same task outside a command does', async () => {
    const mod = await moduleAtAll();
    const handler = mod.command(async () => {
      await mod.task('in-command-sync', async () => {
        await mod.span('in-command-child', () => undefined);
      });
      return 'replied';
    });
    expect(await handler()).toBe('replied');
    await mod.task('outside-sync', () => mod.span('outside-child', () => undefined));
    expect(await exported()).toEqual(['outside-child', 'outside-sync']);
    expectNothingOf('in-command');
  });

  it('listener -> task, and a synchronous handler that starts a task without awaiting it', async () => {
    const mod = await moduleAtAll();
    let started: Promise<unknown> | undefined;
    await mod.listener(async () => {
      await mod.task('in-listener-task', () => undefined);
    })();
    mod.command(() => {
      started = mod.task('in-command-unawaited', () => new Promise((resolve) => setTimeout(resolve, 5)));
    })();
    await started;
    await mod.task('outside-task', () => undefined);
    expect(await exported()).toEqual(['outside-task']);
    expectNothingOf('in-listener');
    expectNothingOf('in-command');
  });

  it('work a command left behind (a timer that fires after it replied) is still part of it', async () => {
    const mod = await moduleAtAll();
    let later: Promise<unknown> | undefined;
    const fired = new Promise<void>((resolve) => {
      mod.command(() => {
        setTimeout(() => {
          later = mod.task('in-command-later', () => undefined);
          resolve();
        }, 1);
      })();
    });
    await fired;
    await later;
    await mod.task('outside-task', () => undefined);
    expect(await exported()).toEqual(['outside-task']);
    expectNothingOf('in-command');
  });

  it('command -> migration: nothing leaves; outside a command it does', async () => {
    const mod = await moduleAtAll();
    await mod.command(() => mod.migration('in-command-migration', { from: 1, to: 2 }, () => undefined))();
    await mod.migration('outside-migration', { from: 2, to: 3 }, () => undefined);
    expect(await exported()).toEqual(['outside-migration']);
    expectNothingOf('in-command');
  });

  it('command -> loop.runNow(): that iteration (span and check-in) never leaves; scheduled iterations do', async () => {
    const mod = await moduleAtAll();
    const kinds: string[] = [];
    let scheduled = 0;
    const loop = mod.loop(
      'poll',
      { every: 3_600_000, runAtStart: true, checkIn: { monitorSlug: 'poll-monitor' } },
      async (span) => {
        const fromCommand = kinds.length > 0 && kinds.at(-1) === 'command';
        span.setAttribute('origin', fromCommand ? 'in-command-run' : 'scheduled-run');
        if (!fromCommand) scheduled++;
        await mod.span(fromCommand ? 'in-command-step' : 'scheduled-step', () => undefined);
      },
    );
    cleanups.push(() => loop.stop());
    await until(() => scheduled === 1 && !loop.status().running, 'the scheduled first iteration');
    await until(() => sentry.checkIns().length === 2, 'its two check-ins');
    await mod.command(() => {
      kinds.push('command');
      return loop.runNow();
    })();
    expect(loop.status().iterations).toBe(2);
    await loop.stop();
    expect(await exported()).toEqual(['poll', 'scheduled-step']);
    expect(sentry.spans().find((s) => s.name === 'poll')?.attributes.origin).toBe('scheduled-run');
    expect(sentry.checkIns().map((c) => c.status)).toEqual(['in_progress', 'ok']);
    expectNothingOf('in-command');
  });

  it('a loop created inside a command still exports its scheduled iterations (a schedule is not the command)', async () => {
    const mod = await moduleAtAll();
    let runs = 0;
    const created = await mod.command(async () =>
      mod.loop('nightly', { every: 1, checkIn: { monitorSlug: 'nightly' } }, () => {
        runs++;
      }),
    )();
    cleanups.push(() => created.stop());
    await until(() => runs >= 3 && !created.status().running, 'three scheduled iterations');
    await created.stop();
    const spans = await exported();
    expect(spans.length).toBe(created.status().iterations);
    expect(new Set(spans)).toEqual(new Set(['nightly']));
    expect(sentry.checkIns().length).toBe(2 * created.status().iterations);
  });
});

describe('any module of any suite', () => {
  it.each<[string, { dsn?: boolean; level?: 'off' | 'all' }]>([
    ['without a DSN', {}],
    ['at level off', { dsn: true, level: 'off' }],
    ['at level all', { dsn: true, level: 'all' }],
  ])("suite B's task inside suite A's command (A %s) never leaves", async (_, options) => {
    const other = createTelemetry({
      suite: 'other-plugins',
      store: memoryStore(),
      logger: captureLogger(),
      env: {},
      ...(options.dsn ? { dsn: sentry.dsn } : {}),
      ...(options.level ? { level: options.level } : {}),
    });
    cleanups.push(() => other.shutdown());
    const a = other.module({ name: 'moderation', version: '0.1.0' });
    await other.consent.status();
    const b = await moduleAtAll();
    await a.command(async () => {
      await b.task('in-command-of-a', () => b.span('in-command-of-a-child', () => undefined));
      await b.migration('in-command-of-a-migration', { from: 1, to: 2 }, () => undefined);
    })();
    await a.listener(() => b.task('in-listener-of-a', () => undefined))();
    await b.task('outside-task', () => undefined);
    await other.shutdown();
    expect(await exported()).toEqual(['outside-task']);
    expectNothingOf('in-command');
    expectNothingOf('in-listener');
  });

  it('a command of another module of the same suite', async () => {
    const mod = await moduleAtAll();
    const admin = telemetry.module({ name: 'admin', version: '2.0.0' });
    await admin.command(() => mod.task('in-command-of-admin', () => undefined))();
    await mod.task('outside-task', () => undefined);
    expect(await exported()).toEqual(['outside-task']);
    expectNothingOf('in-command');
  });
});
