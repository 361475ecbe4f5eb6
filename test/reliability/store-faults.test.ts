// Store faults while a bot runs: a corrupted settings file, a full disk, Redis killed and restarted. Each fails
// closed with one log line, the bot keeps working, and nothing written before the fault is lost.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelemetry, fileStore, redisStore, type Telemetry } from '../../src/index.js';
import { FakeSentry } from '../../src/testing/index.js';
import { faultyFileSystem } from '../store/support/faulty-fs.js';
import { captureLogger } from '../support/logger.js';
import { itRedis, RedisServer } from '../support/redis.js';
import { tempDir } from '../support/wait.js';

let sentry: FakeSentry;
let dir: Awaited<ReturnType<typeof tempDir>>;
const open: Telemetry[] = [];
beforeEach(async () => {
  sentry = await FakeSentry.start();
  dir = await tempDir();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((telemetry) => telemetry.shutdown()));
  await sentry.close();
  await dir.remove();
});

describe('store faults during a run', () => {
  it('a settings file corrupted mid-run: fails closed to manual, one log line, the unreadable file kept aside', async () => {
    const logger = captureLogger();
    const telemetry = createTelemetry({
      suite: 'acme',
      dsn: sentry.dsn,
      store: fileStore({ dir: dir.path, pollIntervalMs: 50 }),
      logger,
      env: {},
    });
    open.push(telemetry);
    const mod = telemetry.module({ name: 'status', version: '1.0.0' });
    await telemetry.consent.set('errors', { by: 'owner:1' });
    expect(mod.captureError(new Error('before')).status).toBe('queued');
    const corrupt = '{"version": 2, "level": "err';
    await writeFile(join(dir.path, 'acme.json'), corrupt);
    await expect.poll(async () => (await telemetry.consent.status()).level, { timeout: 10_000 }).toBe('manual');
    expect(mod.captureError(new Error('after')).status).toBe('pending');

    const copies = (await readdir(dir.path)).filter((name) => name.startsWith('acme.json.corrupt-'));
    expect(copies).toHaveLength(1);
    const lines = logger.at('warn', 'error').filter((line) => line.includes('corrupt'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(copies[0]);
    // The unreadable file itself is kept aside for the owner, byte for byte.
    expect(await readFile(join(dir.path, copies[0] as string), 'utf8')).toBe(corrupt);
    await sentry.waitFor('event', (event) => event.exception?.values?.[0]?.value === 'before');
    expect(sentry.events().map((event) => event.exception?.values?.[0]?.value)).toEqual(['before']);
  });

  it("a full disk: the owner's choice still applies in memory, one log line, and is saved once writing works", async () => {
    const logger = captureLogger();
    const fs = faultyFileSystem();
    const telemetry = createTelemetry({
      suite: 'acme',
      dsn: sentry.dsn,
      store: fileStore({ dir: dir.path, fs, logger }),
      logger,
      env: {},
    });
    open.push(telemetry);
    const mod = telemetry.module({ name: 'status', version: '1.0.0' });
    await telemetry.consent.status();
    fs.failWith = 'ENOSPC';
    await telemetry.consent.set('errors', { by: 'owner:1' }).catch(() => undefined);
    expect((await telemetry.consent.status()).level).toBe('errors');
    expect(mod.captureError(new Error('on a full disk')).status).toBe('queued');
    expect(logger.at('warn', 'error').filter((line) => /ENOSPC|full|space/i.test(line))).toHaveLength(1);

    fs.failWith = undefined;
    await expect
      .poll(async () => JSON.parse(await readFile(join(dir.path, 'acme.json'), 'utf8')).level, { timeout: 15_000 })
      .toBe('errors');
  });

  itRedis(
    'Redis killed and restarted: the last known level applies meanwhile, one log line, nothing written is lost',
    async () => {
      const data = await tempDir();
      const redis = await RedisServer.start({ persistDir: data.path });
      try {
        const logger = captureLogger();
        const telemetry = createTelemetry({
          suite: 'acme',
          dsn: sentry.dsn,
          store: redisStore({ url: redis.url }),
          logger,
          env: {},
        });
        open.push(telemetry);
        const mod = telemetry.module({ name: 'status', version: '1.0.0' });
        await telemetry.consent.set('all', { by: 'owner:1' });
        const { userId } = await telemetry.consent.status();

        await redis.kill();
        expect(mod.captureError(new Error('during the outage')).status).toBe('queued');
        await sentry.waitFor('event', (event) => event.exception?.values?.[0]?.value === 'during the outage');
        await expect.poll(() => logger.at('warn').filter((line) => /Redis/.test(line)).length).toBe(1);

        await redis.restart();
        await expect
          .poll(() => logger.at('info').some((line) => /reachable again/.test(line)), { timeout: 15_000 })
          .toBe(true);
        expect(await telemetry.consent.status()).toMatchObject({ level: 'all', source: 'owner', userId });
        expect(logger.at('warn').filter((line) => /Redis/.test(line))).toHaveLength(1);
      } finally {
        await redis.stop();
        await data.remove();
      }
    },
  );
});
