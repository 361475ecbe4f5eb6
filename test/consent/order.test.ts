import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsent } from '../../src/consent/index.js';
import { fileStore, memoryStore, redisStore, type Store } from '../../src/store/index.js';
import { assertBuilt } from '../support/built.js';
import { startNode } from '../support/child.js';
import { captureLogger } from '../support/logger.js';
import { describeRedis, RedisServer } from '../support/redis.js';
import { tempDir } from '../support/wait.js';
import { hammer, orderProblems, recordingStore } from './support/flip-hammer.mjs';

// After forget() nothing may carry the old user id again, and an id must be one the store holds: the ids each
// subscriber is given never go back to an earlier one, and never include one that was not stored.

const ROUNDS = 40;
const flip = join(import.meta.dirname, 'support', 'flip.mjs');

async function hammerInProcess(stores: Store[], rounds = ROUNDS): Promise<void> {
  const recorded = stores.map((store) => recordingStore(store));
  const consents = recorded.map(({ store }) =>
    createConsent({ suite: 'flip', store, env: {}, policyVersion: 1, logger: captureLogger() }),
  );
  try {
    const delivered = await Promise.all(consents.map((consent) => hammer(consent, rounds)));
    const history = new Set(recorded.flatMap(({ history }) => [...history]));
    for (const ids of delivered) {
      expect(ids.length).toBeGreaterThan(rounds);
      const problems = orderProblems(ids, history);
      expect(problems, problems.slice(0, 5).join('\n')).toEqual([]);
    }
  } finally {
    await Promise.all(consents.map((consent) => consent.close()));
    await Promise.all(stores.map((store) => store.close()));
  }
}

async function hammerInProcesses(kind: 'file' | 'redis', location: string): Promise<void> {
  assertBuilt();
  const children = [0, 1].map(() => startNode([flip, kind, location, 'flip', String(ROUNDS)], { stdin: true }));
  for (const child of children) child.process.stdin.end('go\n');
  const outputs = await Promise.all(children.map((child) => child.succeeded()));
  const results = outputs.map((output) => JSON.parse(output.trim()) as { delivered: string[]; history: string[] });
  const history = new Set(results.flatMap((result) => result.history));
  for (const { delivered } of results) {
    expect(delivered.length).toBeGreaterThan(ROUNDS);
    const problems = orderProblems(delivered, history);
    expect(problems, problems.slice(0, 5).join('\n')).toEqual([]);
  }
}

/** A fresh suite, many times over: the store's first answer races the first write; only the stored id may be seen. */
async function expectOnlyStoredIds(store: Store): Promise<void> {
  try {
    for (let i = 0; i < 20; i++) {
      const consent = createConsent({ suite: `fresh-${i}`, store, env: {}, policyVersion: 1, logger: captureLogger() });
      const seen: Array<string | null> = [];
      consent.subscribe((status) => seen.push(status.userId));
      const { userId } = await consent.status();
      await consent.set('errors', { by: 'owner' });
      await consent.close();
      expect((await store.read(`fresh-${i}`))?.userId).toBe(userId);
      expect(seen.filter((id) => id !== null && id !== userId)).toEqual([]);
    }
  } finally {
    await store.close();
  }
}

describe('consent.subscribe never delivers an older user id, nor one that was never stored', () => {
  it('reports no user id before the file store has one', async () => {
    const dir = await tempDir();
    try {
      await expectOnlyStoredIds(fileStore({ dir: dir.path, pollIntervalMs: 5, logger: captureLogger() }));
    } finally {
      await dir.remove();
    }
  });

  it('on the memory store, with forget() and set() racing', async () => {
    await hammerInProcess([memoryStore()]);
  });

  it('on the file store, two stores on one folder in this process', async () => {
    const dir = await tempDir();
    try {
      const open = () => fileStore({ dir: dir.path, pollIntervalMs: 5, logger: captureLogger() });
      await hammerInProcess([open(), open()]);
    } finally {
      await dir.remove();
    }
  });

  it('on the file store, two processes on one folder', async () => {
    const dir = await tempDir();
    try {
      await hammerInProcesses('file', dir.path);
    } finally {
      await dir.remove();
    }
  });

  describeRedis('on Redis', () => {
    let server: RedisServer;
    beforeAll(async () => {
      server = await RedisServer.start();
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('reports no user id before Redis has one', async () => {
      await expectOnlyStoredIds(redisStore({ url: server.url, logger: captureLogger() }));
    });

    it('two processes on one redis-server', async () => {
      await hammerInProcesses('redis', server.url);
    });
  });
});
