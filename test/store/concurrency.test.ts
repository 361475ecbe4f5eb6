import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStore, redisStore, type Store } from '../../src/store/index.js';
import { assertBuilt } from '../support/built.js';
import { startNode } from '../support/child.js';
import { captureLogger } from '../support/logger.js';
import { describeRedis, RedisServer } from '../support/redis.js';
import { tempDir } from '../support/wait.js';

const PROCESSES = 8;
const UPDATES = 500;
const LANES = 5;
const hammer = join(import.meta.dirname, 'support', 'hammer.mjs');

/** Starts every worker, releases them together, and returns the claims each one won. */
async function runWorkers(kind: 'file' | 'redis', location: string, suite: string): Promise<number[][]> {
  assertBuilt();
  const children = Array.from({ length: PROCESSES }, (_, id) =>
    startNode([hammer, kind, location, suite, String(UPDATES), String(LANES), String(id)], { stdin: true }),
  );
  for (const child of children) child.process.stdin.end('go\n');
  const outputs = await Promise.all(children.map((child) => child.succeeded()));
  return outputs.map((output) => JSON.parse(output.trim()).wins as number[]);
}

async function expectNoLostUpdateAndSingleWinners(store: Store, suite: string, wins: number[][]): Promise<void> {
  const document = await store.read(suite);
  expect(document?.counter).toBe(PROCESSES * UPDATES);
  for (let id = 0; id < PROCESSES; id++) expect(document?.[`worker${id}`], `worker${id}`).toBe(UPDATES);
  const all = wins.flat().sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: UPDATES }, (_, i) => i));
}

describe(`${PROCESSES} processes × ${UPDATES} concurrent updates and claims`, () => {
  it('against one file store: no lost update, every claim won exactly once', async () => {
    const dir = await tempDir();
    try {
      const wins = await runWorkers('file', dir.path, 'hammered');
      const store = fileStore({ dir: dir.path, logger: captureLogger() });
      await expectNoLostUpdateAndSingleWinners(store, 'hammered', wins);
      await store.close();
      const left = await readdir(dir.path);
      expect(left.filter((name) => name.endsWith('.lock') || name.endsWith('.tmp'))).toEqual([]);
      expect((await readdir(join(dir.path, 'hammered.claims'))).length).toBe(UPDATES);
    } finally {
      await dir.remove();
    }
  });

  describeRedis('against one Redis', () => {
    let server: RedisServer;
    beforeAll(async () => {
      server = await RedisServer.start();
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('no lost update, every claim won exactly once', async () => {
      const wins = await runWorkers('redis', server.url, 'hammered');
      const store = redisStore({ url: server.url, logger: captureLogger() });
      try {
        await expectNoLostUpdateAndSingleWinners(store, 'hammered', wins);
      } finally {
        await store.close();
      }
    });
  });
});
