import type { createClient as CreateClient } from 'redis';
import { ConsentryConfigError } from '../errors/index.js';
import {
  type HostLogger,
  lateBoundLogger,
  type OptionNames,
  onceLogger,
  reportUnknownOptions,
  toHostLogger,
} from '../log/index.js';
import { lazyStore } from './lazy-store.js';
import { importOptional } from './optional-package.js';
import { redisWriteQueue } from './redis-compare-and-set.js';
import { type AnyRedisClient, connectOnce, openRedisConnections, quietClose, redactUrl } from './redis-connection.js';
import { claimKey, listSuites, readSuite } from './redis-read.js';
import type { RedisStoreContext } from './redis-store-state.js';
import { subscribeToChanges, watchConnections } from './redis-subscription.js';
import type { Store } from './store.js';

export interface RedisStoreOptions {
  /** `redis://[[user]:password@]host[:port][/db]` or `rediss://…`. consentry opens and closes its own connections. */
  url?: string | undefined;
  /**
   * An existing node-redis client. consentry uses it for commands (connecting it if needed, never closing it) and
   * opens one duplicate connection for change notifications.
   */
  client?: AnyRedisClient | undefined;
  /** Key prefix; the suite's settings live at `<prefix><suite>`. */
  keyPrefix?: string | undefined;
  logger?: Partial<HostLogger> | undefined;
  /** A command that takes longer fails (and the last known state is used). */
  commandTimeoutMs?: number | undefined;
  /**
   * Default true: unreadable settings are copied aside and count as unset. False (tools that must change nothing):
   * they are left in place and `read`/`update` reject with `CorruptDocumentError`.
   */
  quarantine?: boolean | undefined;
}

const DEFAULT_KEY_PREFIX = 'consentry:';
const DEFAULT_COMMAND_TIMEOUT_MS = 2_000;

const REDIS_STORE_OPTION_NAMES: OptionNames<RedisStoreOptions> = {
  url: true,
  client: true,
  keyPrefix: true,
  logger: true,
  commandTimeoutMs: true,
  quarantine: true,
};

/**
 * Settings for bots sharded over processes or hosts: one hash per suite (`consentry:<suite>` with fields `doc`, `rev`
 * and `gen`), compare-and-set in a Lua script, claims with `SET NX`, and every change published on
 * `consentry:changes:<suite>` so all shards see it at once. While Redis is down, reads answer with the last known
 * state, writes and claims fail, and the client reconnects by itself; one log line per outage.
 * The pieces: redis-connection (clients), redis-store-state (per-suite state, decoding), redis-read (reads, claims),
 * redis-compare-and-set (writes), redis-subscription (change messages and reconnects).
 */
export function redisStore(options: RedisStoreOptions): Store {
  reportUnknownOptions(options, REDIS_STORE_OPTION_NAMES, 'redisStore(options)', {
    logger: toHostLogger(options?.logger),
  });
  const hasUrl = options?.url !== undefined;
  const hasClient = options?.client !== undefined;
  if (hasUrl === hasClient) {
    throw new ConsentryConfigError(
      hasUrl ? 'client' : 'url',
      'consentry: redisStore needs exactly one of `url` or `client`. ' +
        "Fix: redisStore({ url: 'redis://127.0.0.1:6379' }) or redisStore({ client }) with a node-redis client.",
    );
  }
  if (hasUrl && (typeof options.url !== 'string' || !/^rediss?:\/\/./.test(options.url))) {
    throw new ConsentryConfigError(
      'url',
      `consentry: redisStore option \`url\` must start with redis:// or rediss://; got ${JSON.stringify(options.url)}. ` +
        "Fix: e.g. { url: 'redis://127.0.0.1:6379' }.",
    );
  }
  const prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  if (!hasUrl) return openRedisStore(options, undefined);
  const where = redactUrl(options.url as string);
  // node-redis loads only when a Redis store is used (it costs a tenth of a second at start-up).
  return lazyStore(
    'redis',
    (suite) => `${where} key ${prefix}${suite}`,
    async () => {
      const redis = await importOptional(() => import('redis'), 'redis', 'redisStore({ url })');
      return openRedisStore(options, redis.createClient);
    },
  );
}

function openRedisStore(options: RedisStoreOptions, createClient: typeof CreateClient | undefined): Store {
  const { log, setDefault } = lateBoundLogger(options.logger);
  const connections = openRedisConnections(
    options.url,
    options.client,
    createClient,
    options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
  );
  const ctx: RedisStoreContext = {
    ...connections,
    prefix: options.keyPrefix ?? DEFAULT_KEY_PREFIX,
    where: options.url !== undefined ? redactUrl(options.url) : 'the given Redis client',
    quarantine: options.quarantine !== false,
    log,
    once: onceLogger(log),
    states: new Map(),
    firstConnection: Promise.resolve(),
    lifecycle: { closed: false, subscriberStarted: false },
  };
  const watcher = watchConnections(ctx);
  ctx.firstConnection = connectOnce(ctx.commandClient, ctx.ownsCommandClient || !ctx.commandClient.isOpen);
  const queue = redisWriteQueue(ctx);
  return {
    kind: 'redis',
    describe: (suite) => `${ctx.where} key ${ctx.prefix}${suite}`,
    read: (suite) => readSuite(ctx, suite),
    update: (suite, fn) => queue.update(suite, fn),
    suites: () => listSuites(ctx),
    claim: (suite, key) => claimKey(ctx, suite, key),
    subscribe: (suite, listener) => subscribeToChanges(ctx, suite, listener),
    setDefaultLogger: setDefault,
    async close() {
      if (ctx.lifecycle.closed) return;
      ctx.lifecycle.closed = true;
      await queue.idle();
      for (const st of ctx.states.values()) st.listeners.clear();
      watcher.stopRefreshing();
      await quietClose(ctx.subscriber);
      if (ctx.ownsCommandClient) await quietClose(ctx.commandClient);
      else watcher.releaseErrors();
    },
  };
}
