// The `consentry` command as owners run it: the built bin as a child process, against a real file store and a real
// redis-server, with a bot process of consentry beside it and the fake Sentry receiving what leaves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentEntry } from '../../src/index.js';
import { FakeSentry, type ReceivedRequest } from '../../src/testing/index.js';
import { expectedEntry } from '../suite/support/sent.js';
import { assertBuilt } from '../support/built.js';
import { describeRedis, RedisServer } from '../support/redis.js';
import { tempDir, waitFor } from '../support/wait.js';
import { Bot, type CliResult, consentry } from './support/cli.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function oneLine(result: CliResult): string {
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(result.stdout).toBe('');
  return lines[0] as string;
}

function json<T>(result: CliResult): T {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** Pairs each request the fake received with one entry of the record (same kind, event id, wire size, answer). */
function unmatched(requests: readonly ReceivedRequest[], entries: readonly SentEntry[]): string[] {
  const left = [...entries];
  const missing: string[] = [];
  for (const request of requests) {
    const expected = expectedEntry(request);
    const index = left.findIndex((entry) =>
      Object.entries(expected).every(([key, value]) => entry[key as keyof SentEntry] === value),
    );
    if (index === -1) missing.push(JSON.stringify(expected));
    else left.splice(index, 1);
  }
  return [...missing, ...left.map((entry) => `extra ${JSON.stringify(entry)}`)];
}

interface Status {
  suite: string;
  level: string;
  source: string;
  userId: string;
  keptReports: number;
  decidedAt: string | null;
}

function ownerScenario(kind: 'file' | 'redis', location: () => string) {
  it('set is followed by the running bot; sent lists what Sentry received; reports send works with and without the bot; forget', async () => {
    assertBuilt();
    const sentry = await FakeSentry.start();
    const suite = `acme-${kind}`;
    const store = kind === 'file' ? ['--dir', location()] : ['--redis', location()];
    const run = (...args: string[]) => consentry([...args, '--suite', suite, ...store]);
    let bot = await Bot.start(kind, location(), suite, sentry.dsn);
    try {
      const ready = bot.lines.find((line) => line.ready);
      expect(ready).toMatchObject({ level: 'manual' });
      const status = json<{ suites: Status[] }>(await run('status', '--json')).suites[0];
      expect(status).toMatchObject({ suite, level: 'manual', source: 'default', userId: ready?.userId });

      // set → the bot follows (measured from the command's exit to the bot's own clock when it saw the change).
      const from = bot.lines.length;
      const set = await run('set', 'all');
      expect(set.code).toBe(0);
      expect(set.stdout).toContain('the level is now all');
      const seen = await bot.waitFor('the bot to follow set all', (line) => line.level === 'all', from);
      console.info(
        `[consentry set → bot, ${kind} store] ${(seen.at as number) - set.exitedAt} ms after the command exited`,
      );

      // What leaves, and the record of it, entry for entry.
      await bot.ask('error lookup failed for 203.0.113.9', (line) => line.captured !== undefined);
      await bot.ask('task check-updates', (line) => line.task !== undefined);
      await bot.ask('flush', (line) => line.flushed !== undefined);
      await waitFor('the event and the span', () => sentry.events().length === 1 && sentry.spans().length === 1);
      await bot.ask('flush', (line) => line.flushed !== undefined);
      let entries: SentEntry[] = [];
      await waitFor('the record to match the requests', async () => {
        entries = json<{ entries: SentEntry[] }>(await run('sent', '--json')).entries;
        return unmatched(sentry.requests(), entries).length === 0;
      });
      expect(unmatched(sentry.requests(), entries)).toEqual([]);
      expect(entries.map((entry) => entry.kind).sort()).toEqual(expect.arrayContaining(['event', 'session', 'spans']));
      const table = await run('sent');
      expect(table.stdout).toMatch(/^TIME \(UTC\)\s+KIND\s+MODULE\s+BYTES\s+ANSWER\s+TITLE/);
      expect(table.stdout).toContain('Error: lookup failed for IP_V4');
      expect(table.stdout).not.toContain('203.0.113.9');

      // What the environment decides is refused, and nothing changes.
      for (const [env, variable] of [
        [{ DO_NOT_TRACK: '1' }, 'DO_NOT_TRACK=1'],
        [{ CONSENTRY_LEVEL: 'errors' }, 'CONSENTRY_LEVEL=errors'],
      ] as const) {
        const refused = await consentry(['set', 'off', '--suite', suite, ...store], env);
        expect(refused.code).toBe(1);
        expect(oneLine(refused)).toMatch(
          new RegExp(`${variable}.*Remove ${variable.split('=')[0]} from the environment`),
        );
      }
      expect(json<{ suites: Status[] }>(await run('status', '--json')).suites[0]).toMatchObject({
        level: 'all',
        decidedAt: status?.decidedAt === null ? expect.any(String) : status?.decidedAt,
      });
      expect(bot.lines.at(-1)).not.toMatchObject({ level: 'off' });

      // manual: errors are kept; the command lists, previews and sends them while the bot runs.
      const before = bot.lines.length;
      expect((await run('set', 'manual')).code).toBe(0);
      await bot.waitFor('the bot to follow set manual', (line) => line.level === 'manual', before);
      const kept = await bot.ask('error kept while manual', (line) => line.captured !== undefined);
      const code = (kept.captured as { code: string }).code;
      const listed = await waitFor('the kept report', async () => {
        const reports = json<{ reports: Array<{ code: string; title: string }> }>(
          await run('reports', '--json'),
        ).reports;
        return reports.find((report) => report.code === code);
      });
      expect(listed.title).toBe('Error: kept while manual');
      const preview = json<{ event_id: string; exception: unknown }>(
        await run('reports', 'preview', code.toLowerCase()),
      );
      const sendWhileRunning = await run('reports', 'send', code);
      expect(sendWhileRunning.code).toBe(0);
      expect(sendWhileRunning.stdout).toContain(`event ${preview.event_id}`);
      expect(sentry.events().map((event) => event.event_id)).toContain(preview.event_id);
      expect((await run('reports', 'send', code)).code).toBe(1);

      // …and without the bot.
      const second = await bot.ask('error kept for later', (line) => line.captured !== undefined);
      const third = await bot.ask('error to drop', (line) => line.captured !== undefined);
      await bot.ask('flush', (line) => line.flushed !== undefined);
      await bot.stop();
      const secondCode = (second.captured as { code: string }).code;
      const sendStopped = json<{ eventId: string }>(await run('reports', 'send', secondCode, '--json'));
      expect(sentry.events().find((event) => event.event_id === sendStopped.eventId)?.exception).toMatchObject({
        values: [{ value: 'kept for later' }],
      });
      expect((await run('reports', 'drop', (third.captured as { code: string }).code)).code).toBe(0);
      expect(json<{ reports: unknown[] }>(await run('reports', '--json')).reports).toEqual([]);
      const afterSends = json<{ entries: SentEntry[] }>(await run('sent', '--json')).entries;
      expect(unmatched(sentry.requests(), afterSends)).toEqual([]);
      expect(afterSends[0]).toMatchObject({ kind: 'event', eventId: sendStopped.eventId, status: 200 });

      // forget: a new identity, which a running bot adopts; reports and record dropped.
      bot = await Bot.start(kind, location(), suite, sentry.dsn);
      const oldId = bot.lines.find((line) => line.ready)?.userId;
      const forgot = json<{ userId: string }>(await run('forget', '--json'));
      expect(forgot.userId).toMatch(UUID);
      expect(forgot.userId).not.toBe(oldId);
      await bot.waitFor('the bot to adopt the new id', (line) => line.userId === forgot.userId);
      expect(json<{ entries: unknown[] }>(await run('sent', '--json')).entries).toEqual([]);
      expect(json<{ suites: Status[] }>(await run('status', '--json')).suites[0]).toMatchObject({
        userId: forgot.userId,
        keptReports: 0,
        level: 'manual',
      });
    } finally {
      await bot.stop();
      await sentry.close();
    }
  });
}

describe('consentry with the file store', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(async () => {
    await dir.remove();
  });
  ownerScenario('file', () => dir.path);
});

describeRedis('consentry with Redis', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    await server?.stop();
  });
  ownerScenario('redis', () => server.url);
});
