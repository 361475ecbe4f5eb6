import { expect, it } from 'vitest';
import { type ConsentStatus, createTelemetry, redisStore } from '../../src/index.js';
import { captureLogger } from '../support/logger.js';
import { describeRedis, RedisServer } from '../support/redis.js';
import { waitFor } from '../support/wait.js';

describeRedis('consent on Redis through an outage', () => {
  it('keeps the last known level while Redis is down, refuses changes, logs once, and follows again after', async () => {
    const server = await RedisServer.start();
    const logger = captureLogger();
    const shard = createTelemetry({ suite: 'acme', store: redisStore({ url: server.url }), env: {}, logger });
    const other = createTelemetry({
      suite: 'acme',
      store: redisStore({ url: server.url }),
      env: {},
      logger: captureLogger(),
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const seen: ConsentStatus[] = [];
      shard.consent.subscribe((status) => seen.push(status));
      const { userId } = await shard.consent.status();
      await other.consent.set('errors', { by: 'owner' });
      await waitFor('the shard to follow', () => seen.at(-1)?.level === 'errors');

      await server.kill();
      await expect(shard.consent.set('all', { by: 'owner' })).rejects.toThrow(/Redis at .* unreachable|not connected/);
      expect(await shard.consent.status()).toMatchObject({ level: 'errors', source: 'owner', userId });
      // Many failed reconnects later (counted at the port), still one line.
      const door = await server.countReconnects();
      await waitFor('six reconnect attempts', () => door.attempts >= 6);
      await door.close();
      expect(logger.at('warn', 'error')).toHaveLength(1);

      // The restarted Redis is empty (no persistence): the choice is gone, so the level falls back to unset, and
      // the user id this shard knew is written back rather than replaced.
      await server.restart();
      await waitFor('the fallback to unset', () => seen.at(-1)?.source === 'default');
      expect(seen.at(-1)).toMatchObject({ level: 'manual', userId });
      await waitFor('a change after the outage', async () => {
        await other.consent.set('all', { by: 'owner' });
        return seen.at(-1)?.level === 'all';
      });
      expect(logger.at('warn', 'error')).toHaveLength(1);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await shard.shutdown();
      await other.shutdown();
      await server.stop();
    }
  });

  it('fails closed when Redis is down at start, then picks up the owner’s choice once it is up', async () => {
    const server = await RedisServer.start();
    await server.kill();
    const logger = captureLogger();
    const shard = createTelemetry({ suite: 'acme', store: redisStore({ url: server.url }), env: {}, logger });
    try {
      const status = await shard.consent.status();
      expect(status).toMatchObject({ level: 'manual', source: 'default', userId: null });
      expect(status.reason).toMatch(/settings cannot be read .*consentry:acme.*nothing is sent automatically/);
      expect(logger.at('warn')).toHaveLength(1);

      await server.restart();
      const other = createTelemetry({ suite: 'acme', store: redisStore({ url: server.url }), env: {}, strict: true });
      await other.consent.set('all', { by: 'owner' });
      await other.shutdown();
      await waitFor('the shard to follow', async () => (await shard.consent.status()).level === 'all');
      expect((await shard.consent.status()).userId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await shard.shutdown();
      await server.stop();
    }
  });
});
