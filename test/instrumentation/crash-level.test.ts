// Process mode: a crash is judged by the level in force when it happened, never by the level at the next start. The
// deployment: the owner said `off` (or never chose), the bot crashes in its first milliseconds (before the preload
// has read the settings), and later the owner opts in. What happened while they said no must never be sent.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ConsentLevel, createConsent } from '../../src/consent/index.js';
import { fileStore } from '../../src/store/index.js';
import { FakeSentry } from '../../src/testing/index.js';
import { assertBuilt, botDir, outboxFiles, preload, runBot, writeBot } from './support.js';

let sentry: FakeSentry;
beforeAll(assertBuilt);
beforeEach(async () => {
  sentry = await FakeSentry.start();
});
afterEach(() => sentry.close());

const SUITE = 'acme-bot';
const silent = { debug() {}, info() {}, warn() {}, error() {} };
// Throws at once: the preload has not read the settings yet.
const EARLY_CRASH = `throw new Error('boom in the first milliseconds');\n`;
const RESTART = `const { processMode } = await import(${JSON.stringify(preload)});
await processMode?.ready;
console.log(processMode ? 'ready' : 'off');
`;
// No CONSENTRY_LEVEL: the owner's stored choice decides.
const env = (): Record<string, string> => ({ CONSENTRY_SUITE: SUITE, CONSENTRY_DSN: sentry.dsn });

/** The owner's choice, stored as the bot's `/telemetry` command (or the CLI) would store it. */
async function ownerChooses(dir: string, level: ConsentLevel): Promise<void> {
  const store = fileStore({ dir: join(dir, '.consentry'), logger: silent });
  const consent = createConsent({ suite: SUITE, store, env: {}, policyVersion: 1, logger: silent });
  await consent.ready;
  await consent.set(level, { by: 'owner:test' });
  await consent.close();
  await store.close();
}

async function crashThenRestart(dir: string, after: ConsentLevel): Promise<void> {
  const crash = await runBot(writeBot(dir, 'bot.mjs', EARLY_CRASH), { cwd: dir, env: env(), preload: true });
  expect(crash.code).toBe(1);
  await ownerChooses(dir, after);
  const restart = await runBot(writeBot(dir, 'restart.mjs', RESTART), { cwd: dir, env: env(), preload: true });
  expect(restart).toMatchObject({ code: 0, stdout: 'ready\n' });
}

describe('process mode: a crash is judged by the level in force when it happened', () => {
  it.each<ConsentLevel>(['off', 'manual'])(
    'the owner said %s, the bot crashed before the settings were read, then the owner opted in: nothing is sent',
    async (level) => {
      const dir = botDir();
      await ownerChooses(dir, level);
      await crashThenRestart(dir, 'errors');
      expect(sentry.requests()).toEqual([]);
      expect(outboxFiles(dir, SUITE)).toEqual([]);
    },
  );

  it('nobody chose yet (manual), the bot crashed early, then the owner opted in: nothing is sent', async () => {
    const dir = botDir();
    await crashThenRestart(dir, 'all');
    expect(sentry.requests()).toEqual([]);
    expect(outboxFiles(dir, SUITE)).toEqual([]);
  });

  it('the owner said errors and the bot crashed before the settings were read: the crash is sent at the next start', async () => {
    const dir = botDir();
    await ownerChooses(dir, 'errors');
    const crash = await runBot(writeBot(dir, 'bot.mjs', EARLY_CRASH), { cwd: dir, env: env(), preload: true });
    expect(crash.code).toBe(1);
    expect(outboxFiles(dir, SUITE)).toHaveLength(1);
    await runBot(writeBot(dir, 'restart.mjs', RESTART), { cwd: dir, env: env(), preload: true });
    const event = await sentry.waitFor('event');
    expect(event.exception?.values?.[0]?.value).toBe('boom in the first milliseconds');
    expect(outboxFiles(dir, SUITE)).toEqual([]);
  });

  it('a crash at errors, then the owner lowered to manual: kept unsent; raised again: sent', async () => {
    const dir = botDir();
    await ownerChooses(dir, 'errors');
    await runBot(writeBot(dir, 'bot.mjs', EARLY_CRASH), { cwd: dir, env: env(), preload: true });
    await ownerChooses(dir, 'manual');
    await runBot(writeBot(dir, 'restart.mjs', RESTART), { cwd: dir, env: env(), preload: true });
    expect(outboxFiles(dir, SUITE)).toHaveLength(1);
    expect(sentry.requests()).toEqual([]);
    await ownerChooses(dir, 'all');
    await runBot(join(dir, 'restart.mjs'), { cwd: dir, env: env(), preload: true });
    await sentry.waitFor('event');
    expect(outboxFiles(dir, SUITE)).toEqual([]);
  });

  it('an outbox file that records no level (an earlier version wrote it) is deleted, never sent', async () => {
    const dir = botDir();
    await ownerChooses(dir, 'errors');
    const outbox = join(dir, '.consentry', 'outbox', SUITE);
    const event = { event_id: 'a'.repeat(32), level: 'fatal', message: 'written before the level was recorded' };
    mkdirSync(outbox, { recursive: true });
    writeFileSync(join(outbox, `${Date.now()}-0badc0de.json`), JSON.stringify(event));
    await runBot(writeBot(dir, 'restart.mjs', RESTART), { cwd: dir, env: env(), preload: true });
    expect(outboxFiles(dir, SUITE)).toEqual([]);
    expect(sentry.requests()).toEqual([]);
  });
});
