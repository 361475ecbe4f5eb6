// Process mode flushes the spans still queued when the bot ends by itself, on `beforeExit`. That flush is network
// work, after which Node emits `beforeExit` again: the bot's own listeners must still run exactly as often as without
// the preload. Child processes, with and without the preload, compared; the spans must still arrive.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSentry } from '../../src/testing/index.js';
import { assertBuilt, botDir, library, runBot, writeBot } from './support.js';

let sentry: FakeSentry;
beforeAll(assertBuilt);
beforeEach(async () => {
  sentry = await FakeSentry.start();
});
afterEach(() => sentry.close());

// A bot that counts its own beforeExit calls (printed at exit), runs a task at level `all` and ends without shutdown():
// its span is still queued when the loop runs empty. `work` is what its listener schedules the first time.
const bot = (work: string) => `
import { createTelemetry } from ${JSON.stringify(library)};
let calls = 0;
process.on('beforeExit', () => {
  calls++;
  if (calls === 1) { ${work} }
});
process.once('beforeExit', () => console.log('once listener ran'));
process.on('exit', () => console.log('beforeExit ran ' + calls + ' time(s)'));
const telemetry = createTelemetry({ suite: 'acme-bot', dsn: process.env.CONSENTRY_DSN, logger: { info() {}, warn() {}, error() {} } });
const mod = telemetry.module({ name: 'updates', version: '2.1.0' });
await telemetry.consent.status();
await mod.task('check-updates', async () => {});
`;

const env = (): Record<string, string> => ({
  CONSENTRY_SUITE: 'acme-bot',
  CONSENTRY_DSN: sentry.dsn,
  CONSENTRY_LEVEL: 'all',
  CONSENTRY_VERSION: '3.0.0',
});

const WORK = {
  'schedules nothing': '',
  'schedules a timer once': 'setTimeout(() => {}, 20);',
  'schedules an immediate once': 'setImmediate(() => {});',
  'awaits a promise, then a timer once': 'Promise.resolve().then(() => setTimeout(() => {}, 5));',
} as const;

describe('process mode: the bot’s own beforeExit listeners', () => {
  it.each(Object.entries(WORK))('its listener %s: same calls with and without the preload', async (_, work) => {
    const plainDir = botDir();
    const plain = await runBot(writeBot(plainDir, 'bot.mjs', bot(work)), { cwd: plainDir, env: env() });
    const dir = botDir();
    const preloaded = await runBot(writeBot(dir, 'bot.mjs', bot(work)), { cwd: dir, env: env(), preload: true });
    expect(plain).toMatchObject({ code: 0, stderr: '' });
    expect(preloaded).toMatchObject({ code: 0, stderr: '' });
    expect(plain.stdout).toMatch(/once listener ran\nbeforeExit ran \d time\(s\)\n$/);
    expect(preloaded.stdout).toBe(plain.stdout);
    // The queued span was flushed by the preload.
    await sentry.waitFor('span', (span) => span.name === 'check-updates');
  });
});
