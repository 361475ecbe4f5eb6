// Four shard processes on one real Redis: a toggle on one shard reaches every shard, a report made on one shard
// is sent from another, exactly once, and each owner notice is sent once. The propagation time is printed
// (measured, not asserted).
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, FakeSentry } from '../../src/testing/index.js';
import { assertBuilt } from '../store/support/dist.js';
import { RedisServer, redisAvailability } from '../store/support/redis-server.js';

const { available, mustFail } = redisAvailability();
const SHARDS = 4;

interface Line {
  shard: number;
  event: string;
  [key: string]: unknown;
}

class Shard {
  readonly lines: Line[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = '';

  constructor(
    redisUrl: string,
    dsn: string,
    readonly id: number,
  ) {
    const script = join(import.meta.dirname, 'support', 'shard.mjs');
    this.child = spawn(process.execPath, [script, redisUrl, dsn, 'shard-suite', String(id)], { stdio: 'pipe' });
    this.child.stdout.on('data', (chunk) => {
      this.buffer += chunk;
      let newline = this.buffer.indexOf('\n');
      while (newline >= 0) {
        this.lines.push(JSON.parse(this.buffer.slice(0, newline)));
        this.buffer = this.buffer.slice(newline + 1);
        newline = this.buffer.indexOf('\n');
      }
    });
  }

  send(command: string): void {
    this.child.stdin.write(`${command}\n`);
  }

  async next(predicate: (line: Line) => boolean, what: string, from = 0): Promise<Line> {
    for (let waited = 0; waited < 20_000; waited += 10) {
      const found = this.lines.slice(from).find(predicate);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`shard ${this.id}: timed out waiting for ${what}; got ${JSON.stringify(this.lines)}`);
  }

  async ask(command: string, event: string): Promise<Line> {
    const from = this.lines.length;
    this.send(command);
    return this.next((line) => line.event === event || line.event === 'error', `${event} after '${command}'`, from);
  }

  kill(): void {
    this.child.kill();
  }
}

describe.skipIf(!available && !mustFail)('four shard processes on one Redis', () => {
  let redis: RedisServer;
  let sentry: FakeSentry;
  const shards: Shard[] = [];

  beforeAll(async () => {
    assertBuilt();
    redis = await RedisServer.start();
    sentry = await FakeSentry.start();
    for (let id = 0; id < SHARDS; id++) shards.push(new Shard(redis.url, sentry.dsn, id));
    await Promise.all(shards.map((shard) => shard.next((line) => line.event === 'ready', 'ready')));
  });
  afterAll(async () => {
    for (const shard of shards) shard.kill();
    await sentry?.close();
    await redis?.stop();
  });

  it('a toggle on one shard is seen by every shard', async () => {
    const [first] = shards as [Shard];
    const set = await first.ask('set errors', 'set');
    const seen = await Promise.all(
      shards.map((shard) => shard.next((line) => line.event === 'level' && line.level === 'errors', 'level errors')),
    );
    const slowest = Math.max(...seen.map((line) => (line.at as number) - (set.at as number)));
    console.log(`consentry: a toggle reached all ${SHARDS} shards within ${slowest} ms`);
    expect(seen).toHaveLength(SHARDS);
  });

  it('a report made on one shard is sent from another, once', async () => {
    const [first, second, third, fourth] = shards as [Shard, Shard, Shard, Shard];
    await fourth.ask('set manual', 'set');
    await Promise.all(
      shards.map((shard) => shard.next((line) => line.event === 'level' && line.level === 'manual', 'level manual')),
    );
    const captured = await second.ask('capture failure on shard one', 'captured');
    const outcome = captured.outcome as { status: string; code: string };
    expect(outcome.status).toBe('pending');
    for (let tries = 0; ; tries++) {
      const listed = await third.ask('list', 'list');
      if ((listed.codes as string[]).includes(outcome.code)) break;
      if (tries > 200) throw new Error('the report never reached shard 2');
    }
    const sent = await third.ask(`send ${outcome.code}`, 'sent');
    expect(sent.event).toBe('sent');
    const again = await first.ask(`send ${outcome.code}`, 'sent');
    expect(again).toMatchObject({ event: 'error', message: expect.stringContaining('no pending report') });
    const event = await sentry.waitFor('event', (e) => e.event_id === sent.eventId);
    expect(event.exception?.values?.[0]?.value).toBe('failure on shard one');
    expect(sentry.events()).toHaveLength(1);
  });
});

describe.skipIf(!available && !mustFail)('four discord.js shard processes on one Redis', () => {
  async function runShards(redisUrl: string, discord: FakeDiscord, dsn: string, modules: string[]): Promise<void> {
    const script = join(import.meta.dirname, 'support', 'discord-shard.mjs');
    const children = Array.from({ length: SHARDS }, (_, shard) =>
      spawn(
        process.execPath,
        [script, redisUrl, dsn, discord.apiUrl, discord.token, String(shard), String(SHARDS), modules.join(',')],
        { stdio: ['pipe', 'pipe', 'inherit'] },
      ),
    );
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve, reject) => {
            child.stdout.on('data', (chunk) => {
              if (String(chunk).includes('"idle"')) resolve();
            });
            child.once('exit', (code) => reject(new Error(`a shard exited with ${code} before it was idle`)));
          }),
      ),
    );
    await Promise.all(
      children.map((child) => {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.stdin.write('quit\n');
        return exited;
      }),
    );
  }

  it('each owner notice is sent exactly once, on the first run and after a restart with new modules', async () => {
    assertBuilt();
    const redis = await RedisServer.start();
    const discord = await FakeDiscord.start({
      guilds: Array.from({ length: SHARDS }, (_, i) => ({ name: `guild ${i}` })),
    });
    const sentry = await FakeSentry.start();
    try {
      await runShards(redis.url, discord, sentry.dsn, ['status', 'notes']);
      expect(discord.dms(discord.ownerId)).toHaveLength(1);
      expect(discord.requests({ method: 'POST', path: '/applications/:app/commands' })).toHaveLength(1);

      await runShards(redis.url, discord, sentry.dsn, ['status', 'notes', 'polls']);
      const texts = discord.dms(discord.ownerId).map((message) => message.content);
      expect(texts).toHaveLength(2);
      expect(texts.filter((text) => text.includes('**polls**'))).toHaveLength(1);
      expect(sentry.requests()).toEqual([]);
    } finally {
      await discord.close();
      await sentry.close();
      await redis.stop();
    }
  });
});
