import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { redisStore, type Store, type StoredDocument, StoreUnavailableError } from '../../src/store/index.js';
import { captureLogger } from '../support/logger.js';
import { describeRedis, RedisServer } from '../support/redis.js';
import { waitFor } from '../support/wait.js';

const increment = (current: StoredDocument | undefined): StoredDocument => ({
  ...current,
  counter: ((current?.counter as number | undefined) ?? 0) + 1,
});

describeRedis('redisStore', () => {
  let server: RedisServer;
  const stores: Store[] = [];
  let suiteCounter = 0;
  const freshSuite = () => `suite-${process.pid}-${++suiteCounter}`;
  function track(store: Store): Store {
    stores.push(store);
    return store;
  }

  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('keeps a suite in one hash key and applies concurrent updates without losing any', async () => {
    const suite = freshSuite();
    const store = track(redisStore({ url: server.url, logger: captureLogger() }));
    expect(await store.read(suite)).toBeUndefined();
    await Promise.all(Array.from({ length: 200 }, () => store.update(suite, increment)));
    expect((await store.read(suite))?.counter).toBe(200);

    const raw = createClient({ url: server.url });
    await raw.connect();
    try {
      const hash = await raw.hGetAll(`consentry:${suite}`);
      expect(JSON.parse(hash.doc as string)).toEqual({ counter: 200 });
      expect(Number(hash.rev)).toBeGreaterThan(0);
    } finally {
      await raw.close();
    }
    expect(store.describe(suite)).toContain(`consentry:${suite}`);
  });

  it('does not lose updates between two stores racing on the same key (compare-and-set retries)', async () => {
    const suite = freshSuite();
    const a = track(redisStore({ url: server.url, logger: captureLogger() }));
    const b = track(redisStore({ url: server.url, logger: captureLogger() }));
    await Promise.all([
      ...Array.from({ length: 150 }, () => a.update(suite, increment)),
      ...Array.from({ length: 150 }, () => b.update(suite, increment)),
    ]);
    expect((await a.read(suite))?.counter).toBe(300);
  });

  it('grants each claim exactly once across stores, with SET NX', async () => {
    const suite = freshSuite();
    const a = track(redisStore({ url: server.url, logger: captureLogger() }));
    const b = track(redisStore({ url: server.url, logger: captureLogger() }));
    for (const key of ['master:v1', 'module:status', 'odd key/with:chars']) {
      const wins = await Promise.all([a.claim(suite, key), b.claim(suite, key), a.claim(suite, key)]);
      expect(wins.filter(Boolean), key).toHaveLength(1);
    }
  });

  it('works with a client the bot already has, and leaves that client open on close', async () => {
    const suite = freshSuite();
    const client = createClient({ url: server.url });
    client.on('error', () => {});
    await client.connect();
    const store = redisStore({ client, logger: captureLogger() });
    await store.update(suite, () => ({ level: 'errors' }));
    expect(await store.claim(suite, 'k')).toBe(true);
    await store.close();
    expect(client.isReady).toBe(true);
    expect(JSON.parse((await client.hGet(`consentry:${suite}`, 'doc')) as string)).toEqual({ level: 'errors' });
    await client.close();
  });

  it('publishes every change so a subscriber on another connection sees it', async () => {
    const suite = freshSuite();
    const writer = track(redisStore({ url: server.url, logger: captureLogger() }));
    const reader = track(redisStore({ url: server.url, logger: captureLogger() }));
    const seen: unknown[] = [];
    reader.subscribe(suite, (document) => seen.push(document?.level));
    await waitFor('the subscription', async () => {
      await writer.update(suite, (current) => ({ ...current, level: 'all' }));
      return seen.includes('all');
    });
    await writer.update(suite, (current) => ({ ...current, level: 'off' }));
    await waitFor('the second change', () => seen.at(-1) === 'off');
  });

  it('moves an unreadable value aside, logs one line, and treats the settings as unset', async () => {
    const suite = freshSuite();
    const raw = createClient({ url: server.url });
    await raw.connect();
    await raw.hSet(`consentry:${suite}`, { doc: '{"level":"all",', rev: '3', gen: 'g' });
    const logger = captureLogger();
    const store = track(redisStore({ url: server.url, logger }));
    expect(await store.read(suite)).toBeUndefined();
    expect(logger.at('error')).toHaveLength(1);
    expect(logger.at('error')[0]).toContain(`consentry:${suite}:corrupt-`);
    await waitFor('the copy', async () => (await raw.keys(`consentry:${suite}:corrupt-*`)).length === 1);
    await store.update(suite, increment);
    expect(await store.read(suite)).toEqual({ counter: 1 });
    await raw.close();
  });

  it('rejects a bad configuration with the option name and the fix', () => {
    expect(() => redisStore({} as never)).toThrow(/exactly one of `url` or `client`/);
    expect(() => redisStore({ url: 'http://localhost' })).toThrow(/`url` must start with redis:\/\//);
  });
});

describeRedis('redisStore while Redis is down', () => {
  it('keeps the last known state, fails closed for unknown state, logs one line, and recovers by itself', async () => {
    const server = await RedisServer.start();
    const logger = captureLogger();
    const store = redisStore({ url: server.url, logger, commandTimeoutMs: 500 });
    const watcher = redisStore({ url: server.url, logger: captureLogger() });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const seen: unknown[] = [];
      watcher.subscribe('known', (document) => seen.push(document?.level));
      await store.update('known', () => ({ level: 'errors' }));
      await waitFor('the watcher to see the first state', () => seen.includes('errors'));

      await server.kill();
      await waitFor('the outage to be noticed', () => logger.at('warn').length > 0);
      // Known state is kept; a suite never read before is unknown and rejects, so callers fail closed.
      expect(await store.read('known')).toEqual({ level: 'errors' });
      await expect(store.read('never-read')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.update('known', increment)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.claim('known', 'k')).rejects.toBeInstanceOf(StoreUnavailableError);
      // Many failed reconnects later (counted at the port, both connections of the store), still one line.
      const door = await server.countReconnects();
      await waitFor('six reconnect attempts', () => door.attempts >= 6);
      await door.close();
      expect(logger.at('warn', 'error')).toHaveLength(1);
      expect(logger.at('warn')[0]).toMatch(/unreachable.*last known.*reconnecting/);

      await server.restart();
      // This Redis runs without persistence, so the restarted one is empty: the settings are gone (unset).
      await waitFor('the store to work again', async () => {
        await store.update('known', () => ({ level: 'all' }));
        return true;
      });
      await waitFor('the watcher to resubscribe and see the new state', () => seen.at(-1) === 'all');
      expect(await store.read('never-read')).toBeUndefined();
      expect(logger.at('warn', 'error')).toHaveLength(1);
      expect(logger.at('info').filter((line) => line.includes('reachable again'))).toHaveLength(1);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await store.close();
      await watcher.close();
      await server.stop();
    }
  });

  it('starts while Redis is down without crashing and connects once it is up', async () => {
    const server = await RedisServer.start();
    await server.kill();
    const logger = captureLogger();
    const store = redisStore({ url: server.url, logger });
    try {
      await expect(store.read('boot')).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(logger.at('warn')).toHaveLength(1);
      await server.restart();
      await waitFor('the first connection', async () => {
        await store.update('boot', () => ({ ok: true }));
        return true;
      });
      expect(await store.read('boot')).toEqual({ ok: true });
    } finally {
      await store.close();
      await server.stop();
    }
  });
});
