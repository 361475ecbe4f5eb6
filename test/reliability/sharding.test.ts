// Four shard processes on one real Redis: a toggle on one shard reaches every shard, a report made on one shard
// is sent from another, exactly once, and each owner notice is sent once. The propagation time is printed
// (measured, not asserted).
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeDiscord, FakeSentry } from '../../src/testing/index.js';
import { assertBuilt } from '../support/built.js';
import { type Child, startNode } from '../support/child.js';
import { describeRedis, RedisServer } from '../support/redis.js';
import { waitFor } from '../support/wait.js';

const SHARDS = 4;

interface Line {
  shard: number;
  event: string;
  [key: string]: unknown;
}

class Shard {
  readonly lines: Line[] = [];
  private readonly child: Child;
  private buffer = '';

  constructor(
    redisUrl: string,
    dsn: string,
    readonly id: number,
  ) {
    const script = join(import.meta.dirname, 'support', 'shard.mjs');
    this.child = startNode([script, redisUrl, dsn, 'shard-suite', String(id)], { stdin: true });
    this.child.process.stdout.on('data', (chunk) => {
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
    this.child.process.stdin.write(`${command}\n`);
  }

  async next(predicate: (line: Line) => boolean, what: string, from = 0): Promise<Line> {
    const found = await this.seen(predicate, from);
    if (found) return found;
    throw new Error(`shard ${this.id}: timed out waiting for ${what}; got ${JSON.stringify(this.lines)}`);
  }

  /** The first line from `from` on that matches, or undefined if none came within 20 s (a generous bound, not a
   * timing assertion: the caller asserts on what each shard saw). */
  async seen(predicate: (line: Line) => boolean, from = 0): Promise<Line | undefined> {
    for (let waited = 0; waited < 20_000; waited += 10) {
      const found = this.lines.slice(from).find(predicate);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return undefined;
  }

  async ask(command: string, event: string): Promise<Line> {
    const from = this.lines.length;
    this.send(command);
    return this.next((line) => line.event === event || line.event === 'error', `${event} after '${command}'`, from);
  }

  kill(): void {
    this.child.process.kill();
  }
}

describeRedis('four shard processes on one Redis', () => {
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
    const before = shards.map((shard) => shard.lines.length);
    const set = await first.ask('set errors', 'set');
    expect(set).toMatchObject({ event: 'set', level: 'errors' });
    const seen = await Promise.all(
      shards.map((shard, i) => shard.seen((line) => line.event === 'level' && line.level === 'errors', before[i])),
    );
    // Each shard, by its own id, printed that its level became `errors`, and now reports it from the store.
    expect(seen.map((line) => line && { shard: line.shard, level: line.level })).toEqual(
      shards.map((shard) => ({ shard: shard.id, level: 'errors' })),
    );
    const statuses = await Promise.all(shards.map((shard) => shard.ask('status', 'status')));
    expect(statuses.map(({ shard, level, source }) => ({ shard, level, source }))).toEqual(
      shards.map((shard) => ({ shard: shard.id, level: 'errors', source: 'owner' })),
    );
    const slowest = Math.max(...seen.map((line) => (line?.at as number) - (set.at as number)));
    console.log(`consentry: a toggle reached all ${SHARDS} shards within ${slowest} ms`);
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

describeRedis('four discord.js shard processes on one Redis', () => {
  async function runShards(redisUrl: string, discord: FakeDiscord, dsn: string, modules: string[]): Promise<void> {
    const script = join(import.meta.dirname, 'support', 'discord-shard.mjs');
    const children = Array.from({ length: SHARDS }, (_, shard) =>
      startNode(
        [script, redisUrl, dsn, discord.apiUrl, discord.token, String(shard), String(SHARDS), modules.join(',')],
        { stdin: true },
      ),
    );
    try {
      await Promise.all(
        children.map((child) =>
          Promise.race([
            waitFor('a shard to be idle', () => child.stdout.includes('"idle"'), 30_000),
            child.exit.then((exit) => {
              throw new Error(`a shard exited with ${exit.code} before it was idle: ${exit.stderr}`);
            }),
          ]),
        ),
      );
      for (const child of children) child.process.stdin.write('quit\n');
      for (const exit of await Promise.all(children.map((child) => child.exit))) {
        expect(exit, exit.stderr).toMatchObject({ code: 0 });
      }
    } finally {
      for (const child of children) child.process.kill();
    }
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
