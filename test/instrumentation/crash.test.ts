import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSentry } from '../../src/testing/index.js';
import { assertBuilt, botDir, outboxFiles, preload, runBot, writeBot } from './support.js';

let sentry: FakeSentry;
beforeAll(assertBuilt);
beforeEach(async () => {
  sentry = await FakeSentry.start();
});
afterEach(() => sentry.close());

const TOKEN = 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs';

const CRASHES = {
  'a throw at top level': `throw new Error('boom at top level with ${TOKEN}');\n`,
  'a throw in a timer': `setTimeout(() => { throw new TypeError('boom in a timer'); }, 1);\n`,
  'an unhandled rejection': `Promise.reject(new RangeError('boom in a promise'));\n`,
  'a non-error rejection': `Promise.reject('just a string');\n`,
  'process.exit(3)': `process.exitCode = 0; setTimeout(() => process.exit(3), 1);\n`,
} as const;

// Crashes once the preload has read the settings, and usually not in the middle of the store's first write: a crash
// between creating the settings lock and writing its owner leaves an empty lock, which the next start breaks after
// INCOMPLETE_LOCK_GRACE_MS (2 s). On a slow machine the 100 ms can be too short; the test is then slower, not red.
const CRASH_WHEN_READY = `const { processMode } = await import(${JSON.stringify(preload)});
await processMode?.ready;
setTimeout(() => { throw new TypeError('boom in a timer'); }, 100);
`;

// Waits until the preload has dealt with the outbox (sent, kept or deleted as consent says), then ends.
const RESTART = `const { processMode } = await import(${JSON.stringify(preload)});
await processMode?.ready;
console.log(processMode ? 'ready' : 'off');
`;

const env = (level: string): Record<string, string> => ({
  CONSENTRY_SUITE: 'acme-bot',
  CONSENTRY_DSN: sentry.dsn,
  CONSENTRY_LEVEL: level,
  CONSENTRY_VERSION: '3.0.0',
  DISCORD_TOKEN: TOKEN,
});

describe('process mode: crashes', () => {
  it.each(Object.entries(CRASHES))('%s: same exit code and stderr with and without the preload', async (_, source) => {
    const plainDir = botDir();
    const plain = await runBot(writeBot(plainDir, 'bot.mjs', source), { cwd: plainDir, env: env('errors') });
    const dir = botDir();
    // Same file name and content, so that stack traces may only differ by the folder.
    const withPreload = await runBot(writeBot(dir, 'bot.mjs', source), { cwd: dir, env: env('errors'), preload: true });
    expect(plain.code).not.toBe(0);
    expect(withPreload.code).toBe(plain.code);
    expect(withPreload.signal).toBe(plain.signal);
    expect(withPreload.stdout).toBe(plain.stdout);
    expect(withPreload.stderr.replaceAll(dir, '<dir>')).toBe(plain.stderr.replaceAll(plainDir, '<dir>'));
    // Nothing is sent while crashing: the report waits in the outbox for the next start.
    expect(sentry.requests()).toEqual([]);
  });

  it('a crash at errors lands in Sentry at the next start, scrubbed, and the outbox is emptied', async () => {
    const dir = botDir();
    const crash = await runBot(writeBot(dir, 'bot.mjs', CRASH_WHEN_READY), {
      cwd: dir,
      env: env('errors'),
      preload: true,
    });
    expect(crash.code).toBe(1);
    expect(outboxFiles(dir, 'acme-bot')).toHaveLength(1);
    expect(sentry.requests()).toEqual([]);

    const restart = await runBot(writeBot(dir, 'restart.mjs', RESTART), {
      cwd: dir,
      env: env('errors'),
      preload: true,
    });
    expect(restart).toMatchObject({ code: 0, stdout: 'ready\n', stderr: '' });
    const event = await sentry.waitFor('event');
    expect(event.level).toBe('fatal');
    expect(event.exception?.values?.[0]).toMatchObject({ type: 'TypeError', value: 'boom in a timer' });
    expect(event.exception?.values?.[0]?.mechanism).toMatchObject({ handled: false });
    expect(event.tags).toMatchObject({ origin: 'uncaughtException', suite: 'acme-bot', module: 'process' });
    expect(event.release).toBe('acme-bot|process@3.0.0');
    const settings = JSON.parse(readFileSync(join(dir, '.consentry', 'acme-bot.json'), 'utf8'));
    expect(event.user).toEqual({ id: settings.userId });
    expect(outboxFiles(dir, 'acme-bot')).toEqual([]);
  });

  it('the bot token in a crash never reaches Sentry; an unhandled rejection is tagged as such', async () => {
    const dir = botDir();
    await runBot(writeBot(dir, 'bot.mjs', CRASHES['a throw at top level']), {
      cwd: dir,
      env: env('all'),
      preload: true,
    });
    await runBot(writeBot(dir, 'bot2.mjs', CRASHES['an unhandled rejection']), {
      cwd: dir,
      env: env('all'),
      preload: true,
    });
    // Every file of the outbox, in name order, each one event of the two crashes.
    const saved = outboxFiles(dir, 'acme-bot').map((name) =>
      readFileSync(join(dir, '.consentry', 'outbox', 'acme-bot', name), 'utf8'),
    );
    expect(saved.map((text) => JSON.parse(text).event?.exception?.values?.[0]?.type).sort()).toEqual([
      'Error',
      'RangeError',
    ]);
    for (const text of saved) expect(text).not.toContain(TOKEN);
    expect(saved.join('\n')).toContain('boom at top level with [BOT-TOKEN]');
    await runBot(writeBot(dir, 'restart.mjs', RESTART), { cwd: dir, env: env('all'), preload: true });
    await sentry.waitFor('event', (e) => e.exception?.values?.[0]?.type === 'RangeError');
    const events = sentry.events();
    expect(events).toHaveLength(2);
    expect(events.find((e) => e.exception?.values?.[0]?.type === 'RangeError')?.tags?.origin).toBe(
      'unhandledRejection',
    );
    expect(events.find((e) => e.exception?.values?.[0]?.type === 'Error')?.exception?.values?.[0]?.value).toBe(
      'boom at top level with [BOT-TOKEN]',
    );
    expect(sentry.received()).not.toContain(TOKEN);
  });

  it('restart at off deletes the waiting report unsent; at manual it is kept', async () => {
    const dir = botDir();
    await runBot(writeBot(dir, 'bot.mjs', CRASHES['a throw in a timer']), {
      cwd: dir,
      env: env('errors'),
      preload: true,
    });
    expect(outboxFiles(dir, 'acme-bot')).toHaveLength(1);
    await runBot(writeBot(dir, 'restart.mjs', RESTART), { cwd: dir, env: env('manual'), preload: true });
    expect(outboxFiles(dir, 'acme-bot')).toHaveLength(1);
    const off = await runBot(join(dir, 'restart.mjs'), { cwd: dir, env: env('off'), preload: true });
    expect(off.stdout).toBe('ready\n');
    expect(outboxFiles(dir, 'acme-bot')).toEqual([]);
    expect(sentry.requests()).toEqual([]);
  });

  it.each(['off', 'manual'])('a crash at %s writes no report at all', async (level) => {
    const dir = botDir();
    // The settings are read before the crash, so the level at the crash is known.
    const crash = await runBot(writeBot(dir, 'bot.mjs', CRASH_WHEN_READY), {
      cwd: dir,
      env: env(level),
      preload: true,
    });
    expect(crash.code).toBe(1);
    expect(outboxFiles(dir, 'acme-bot')).toEqual([]);
    expect(sentry.requests()).toEqual([]);
  });

  it('a crash at manual before the settings were read writes nothing either (see crash-level.test.ts)', async () => {
    const dir = botDir();
    // Crashes at once, before the preload read the settings: the level in force is still known, and it says no.
    await runBot(writeBot(dir, 'bot.mjs', CRASHES['a throw at top level']), {
      cwd: dir,
      env: env('manual'),
      preload: true,
    });
    expect(outboxFiles(dir, 'acme-bot')).toEqual([]);
    await runBot(writeBot(dir, 'restart.mjs', RESTART), { cwd: dir, env: env('errors'), preload: true });
    expect(sentry.requests()).toEqual([]);
  });

  it('a bot that handles uncaught exceptions itself is not crashing: nothing is written', async () => {
    const dir = botDir();
    const source = `process.on('uncaughtException', () => console.log('handled'));\nsetTimeout(() => { throw new Error('x'); }, 1);\n`;
    const exit = await runBot(writeBot(dir, 'bot.mjs', source), { cwd: dir, env: env('errors'), preload: true });
    expect(exit).toMatchObject({ code: 0, stdout: 'handled\n' });
    expect(outboxFiles(dir, 'acme-bot')).toEqual([]);
  });
});

describe('process mode: configuration', () => {
  it('a bad configuration gives one line and the bot runs as without the preload', async () => {
    const dir = botDir();
    const source = `console.log('bot ran');\n`;
    const exit = await runBot(writeBot(dir, 'bot.mjs', source), {
      cwd: dir,
      env: { CONSENTRY_SUITE: 'acme-bot', CONSENTRY_DSN: 'not a dsn' },
      preload: true,
    });
    expect(exit.code).toBe(0);
    expect(exit.stdout).toBe('bot ran\n');
    const lines = exit.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /consentry\/instrumentation: CONSENTRY_DSN: dsn is not a valid Sentry DSN.*process mode is off/,
    );
  });

  it('reads consentry.config.json in the working directory (env overrides it)', async () => {
    const dir = botDir();
    writeBot(dir, 'consentry.config.json', JSON.stringify({ suite: 'from-file', dsn: sentry.dsn, version: '9.9.9' }));
    const crash = await runBot(writeBot(dir, 'bot.mjs', CRASH_WHEN_READY), {
      cwd: dir,
      env: { CONSENTRY_LEVEL: 'errors' },
      preload: true,
    });
    expect(crash.code).toBe(1);
    expect(outboxFiles(dir, 'from-file')).toHaveLength(1);
    await runBot(writeBot(dir, 'restart.mjs', RESTART), {
      cwd: dir,
      env: { CONSENTRY_LEVEL: 'errors' },
      preload: true,
    });
    const event = await sentry.waitFor('event');
    expect(event.release).toBe('from-file|process@9.9.9');
  });

  it('a bad config file is named in the one line', async () => {
    const dir = botDir();
    writeBot(dir, 'consentry.config.json', '{ "suite": ');
    const exit = await runBot(writeBot(dir, 'bot.mjs', `console.log('bot ran');\n`), {
      cwd: dir,
      env: {},
      preload: true,
    });
    expect(exit.stdout).toBe('bot ran\n');
    expect(exit.stderr).toMatch(/consentry\.config\.json is not a JSON object/);
    expect(exit.stderr.trim().split('\n')).toHaveLength(1);
  });
});
