// The process-mode variant of the example bot: `node --import consentry/instrumentation examples/bot/process-mode.mjs`,
// offline (no DISCORD_TOKEN: a fake Discord in the bot's process, a few update checks, a clean exit).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSentry } from '../../src/testing/index.js';
import { assertBuilt, cleanEnv, run } from './support.js';

let sentry: FakeSentry;
let dir: string;
beforeAll(assertBuilt);
beforeEach(async () => {
  sentry = await FakeSentry.start();
  dir = mkdtempSync(join(tmpdir(), 'consentry-process-mode-'));
});
afterEach(async () => {
  await sentry.close();
  rmSync(dir, { recursive: true, force: true });
});

const start = (level: string) =>
  run(
    'examples/bot/process-mode.mjs',
    cleanEnv({
      CONSENTRY_SUITE: 'acme-plugins',
      CONSENTRY_DSN: sentry.dsn,
      CONSENTRY_DIR: dir,
      CONSENTRY_LEVEL: level,
      ACME_ITERATIONS: '3',
    }),
    ['--import', 'consentry/instrumentation'],
  );

describe('examples/bot/process-mode.mjs with --import consentry/instrumentation', () => {
  it('starts, runs its update checks and exits cleanly; at all, the HTTP request of each check is a child span', async () => {
    const exit = await start('all');
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('[bot] offline run: 3 update checks at level all, process mode on; stopping');

    const spans = await sentry.waitFor('span', (span) => span.name === 'GET').then(() => sentry.spans());
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const requests = spans.filter((span) => span.name === 'GET');
    expect(requests.length).toBeGreaterThanOrEqual(3);
    for (const request of requests) {
      expect(request.attributes['url.path']).toBe('/status/latest.json');
      const fetchLatest = byId.get(request.parentSpanId ?? '');
      expect(fetchLatest?.name).toBe('fetch-latest');
      expect(byId.get(fetchLatest?.parentSpanId ?? '')?.attributes['consentry.kind']).toBe('loop');
    }
    // discord.js's own requests (login, commands, DMs) are outside any task: not traced.
    expect(spans.every((span) => span.name !== 'GET' || span.attributes['url.path'] === '/status/latest.json')).toBe(
      true,
    );
    expect(spans.filter((span) => span.name === 'POST')).toEqual([]);
  });

  it('at manual (nobody chose), it exits cleanly and nothing is sent', async () => {
    const exit = await start('manual');
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('update checks at level manual, process mode on');
    expect(sentry.requests()).toEqual([]);
  });
});
