import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsentStatus, createTelemetry, fileStore, redisStore, type Store } from '../../src/index.js';
import { assertBuilt } from '../support/built.js';
import { runNode } from '../support/child.js';
import { captureLogger } from '../support/logger.js';
import { describeRedis, RedisServer } from '../support/redis.js';
import { tempDir, waitFor } from '../support/wait.js';

const toggle = join(import.meta.dirname, '..', 'store', 'support', 'toggle.mjs');

/** A toggle in a child process (another shard) reaches a subscriber in this process. */
async function expectToggleSeen(store: Store, kind: 'file' | 'redis', location: string): Promise<void> {
  assertBuilt();
  const telemetry = createTelemetry({ suite: 'shared', store, env: {}, logger: captureLogger(), strict: true });
  try {
    const first = await telemetry.consent.status();
    expect(first.source).toBe('default');
    const seen: ConsentStatus[] = [];
    telemetry.consent.subscribe((status) => seen.push(status));

    for (const level of ['all', 'off'] as const) {
      const exit = await runNode([toggle, kind, location, 'shared', level]);
      expect(exit, exit.stderr).toMatchObject({ code: 0 });
      const output = exit.stdout;
      const childPid = JSON.parse(output).decidedBy;
      await waitFor(`the toggle to '${level}' from the other process`, () => seen.at(-1)?.level === level);
      expect(seen.at(-1)).toMatchObject({ level, source: 'owner', decidedBy: childPid, userId: first.userId });
    }
  } finally {
    await telemetry.shutdown();
  }
}

describe('a toggle in another process is seen by subscribers here', () => {
  it('with the file store', async () => {
    const dir = await tempDir();
    try {
      await expectToggleSeen(fileStore({ dir: dir.path, pollIntervalMs: 100 }), 'file', dir.path);
    } finally {
      await dir.remove();
    }
  });

  describeRedis('with Redis', () => {
    let server: RedisServer;
    beforeAll(async () => {
      server = await RedisServer.start();
    });
    afterAll(async () => {
      await server?.stop();
    });
    it('with the Redis store', async () => {
      await expectToggleSeen(redisStore({ url: server.url }), 'redis', server.url);
    });
  });
});
