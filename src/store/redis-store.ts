import { randomUUID } from 'node:crypto';
import type { createClient as CreateClient, RedisClientType } from 'redis';
import {
  consoleLogger,
  type HostLogger,
  type OptionNames,
  onceLogger,
  reportUnknownOptions,
  toHostLogger,
} from '../log/index.js';
import { applyUpdates, CorruptDocumentError, copyDocument, notifyAll, parseDocument, suiteQueue } from './document.js';
import { ConsentryConfigError, describeError, StoreUnavailableError } from './errors.js';
import { lazyStore } from './lazy-store.js';
import { importOptional } from './optional-package.js';
import type { Store, StoredDocument, StoreListener } from './store.js';
import { assertSuiteName, suiteNames } from './suite-name.js';

// Any node-redis client; the store only calls plain commands on it.
// biome-ignore lint/suspicious/noExplicitAny: node-redis client types carry module/script generics we do not use.
type AnyRedisClient = RedisClientType<any, any, any, any, any>;

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

// Compare-and-set on (generation, revision): the document, its revision and a generation id (new each time the key
// is created, so a Redis that lost its data is not mistaken for an old revision) live in one hash. The change is
// published from inside the script, so subscribers see changes in the order they were stored.
const COMPARE_AND_SET = `
local state = redis.call('HMGET', KEYS[1], 'rev', 'gen')
local rev = tonumber(state[1] or '0')
local gen = state[2] or ''
if rev ~= tonumber(ARGV[1]) or gen ~= ARGV[4] then return '' end
if gen == '' then gen = ARGV[5] end
rev = rev + 1
redis.call('HSET', KEYS[1], 'doc', ARGV[2], 'rev', rev, 'gen', gen)
local version = gen .. ' ' .. rev
redis.call('PUBLISH', ARGV[3], version .. '\\n' .. ARGV[2])
return version
`;

interface Revision {
  gen: string;
  rev: number;
  text: string | undefined;
}

interface SuiteState {
  suite: string;
  key: string;
  channel: string;
  gen: string;
  rev: number;
  text: string | undefined;
  document: StoredDocument | undefined;
  known: boolean;
  listeners: Set<StoreListener>;
  subscribed: boolean;
}

/**
 * Settings for bots sharded over processes or hosts: one hash per suite (`consentry:<suite>` with fields `doc`, `rev`
 * and `gen`), compare-and-set in a Lua script, claims with `SET NX`, and every change published on
 * `consentry:changes:<suite>` so all shards see it at once. While Redis is down, reads answer with the last known
 * state, writes and claims fail, and the client reconnects by itself; one log line per outage.
 */
const REDIS_STORE_OPTION_NAMES: OptionNames<RedisStoreOptions> = {
  url: true,
  client: true,
  keyPrefix: true,
  logger: true,
  commandTimeoutMs: true,
  quarantine: true,
};

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
  const prefix = options.keyPrefix ?? 'consentry:';
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
  const hasUrl = options.url !== undefined;
  const prefix = options.keyPrefix ?? 'consentry:';
  const timeout = options.commandTimeoutMs ?? 2_000;
  const explicitLogger = options.logger ? toHostLogger(options.logger) : undefined;
  let fallbackLogger: HostLogger = consoleLogger;
  const log: HostLogger = {
    debug: (message) => (explicitLogger ?? fallbackLogger).debug(message),
    info: (message) => (explicitLogger ?? fallbackLogger).info(message),
    warn: (message) => (explicitLogger ?? fallbackLogger).warn(message),
    error: (message) => (explicitLogger ?? fallbackLogger).error(message),
  };
  const once = onceLogger(log);
  const where = hasUrl ? redactUrl(options.url as string) : 'the given Redis client';

  const ownsCommandClient = hasUrl;
  const commandClient: AnyRedisClient = createClient
    ? (createClient({
        url: options.url,
        disableOfflineQueue: true,
        socket: { connectTimeout: 5_000, reconnectStrategy: reconnectDelay },
      }) as AnyRedisClient)
    : (options.client as AnyRedisClient);
  const subscriber: AnyRedisClient = commandClient.duplicate({
    disableOfflineQueue: false,
    socket: { ...(commandClient.options?.socket ?? {}), reconnectStrategy: reconnectDelay },
  } as never) as AnyRedisClient;
  const commands = commandClient.withCommandOptions({ timeout }) as AnyRedisClient;

  const states = new Map<string, SuiteState>();
  let closed = false;

  const onError = (error: unknown) => {
    if (closed) return;
    once.report(
      'outage',
      'warn',
      `consentry: Redis at ${where} is unreachable (${describeError(error)}); keeping the last known consent ` +
        'settings (unknown settings count as unset, nothing is sent automatically) and reconnecting in the background.',
    );
  };
  // After a reconnect, subscribers catch up on changes they missed. Either connection may come back first and a
  // refresh needs the command connection, so both trigger one.
  const refreshSubscribed = () => {
    for (const st of states.values()) {
      if (st.listeners.size > 0) void ensureSubscribed(st).then(() => refresh(st));
    }
  };
  const onCommandReady = () => {
    if (once.clear('outage')) log.info(`consentry: Redis at ${where} is reachable again.`);
    refreshSubscribed();
  };
  const onSubscriberReady = refreshSubscribed;
  commandClient.on('error', onError);
  commandClient.on('ready', onCommandReady);
  subscriber.on('error', onError);
  subscriber.on('ready', onSubscriberReady);

  const firstConnection = connect(commandClient, ownsCommandClient || !commandClient.isOpen);
  let subscriberStarted = false;

  function connect(client: AnyRedisClient, shouldConnect: boolean): Promise<void> {
    if (!shouldConnect || client.isOpen) return Promise.resolve();
    // Resolves at the first success or failure; the client keeps reconnecting on its own after a failure.
    return new Promise<void>((resolve) => {
      const done = () => {
        client.off('ready', done);
        client.off('error', done);
        resolve();
      };
      client.on('ready', done);
      client.on('error', done);
      client.connect().catch(() => {});
    });
  }

  function state(suite: string): SuiteState {
    let found = states.get(suite);
    if (!found) {
      assertSuiteName(suite);
      found = {
        suite,
        key: `${prefix}${suite}`,
        channel: `${prefix}changes:${suite}`,
        gen: '',
        rev: 0,
        text: undefined,
        document: undefined,
        known: false,
        listeners: new Set(),
        subscribed: false,
      };
      states.set(suite, found);
    }
    return found;
  }

  function notify(st: SuiteState): void {
    notifyAll(st.listeners, st.document, once);
  }

  /** Records a state seen in Redis unless it is older than the one already known (replies and messages race). */
  function adopt(st: SuiteState, seen: Revision): boolean {
    const { gen, rev, text } = seen;
    if (st.known && gen === st.gen && rev <= st.rev) return false;
    st.gen = gen;
    st.rev = rev;
    st.text = text;
    st.document = text === undefined ? undefined : decode(st, text);
    st.known = true;
    return true;
  }

  function decode(st: SuiteState, text: string): StoredDocument | undefined {
    try {
      return parseDocument(text);
    } catch (error) {
      if (!(error instanceof CorruptDocumentError)) throw error;
      if (options.quarantine === false) {
        throw new CorruptDocumentError(`the Redis key ${st.key} holds unreadable settings (${error.message})`);
      }
      const copyKey = `${st.key}:corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      commands.set(copyKey, text).catch(() => {});
      once.report(
        `corrupt:${st.key}:${st.rev}`,
        'error',
        `consentry: the Redis key ${st.key} held unreadable settings (${error.message}); copied them to ${copyKey}. ` +
          `Consent falls back to unset ('manual': nothing is sent automatically) until the owner chooses again.`,
      );
      return undefined;
    }
  }

  async function fetchCurrent(st: SuiteState): Promise<Revision> {
    await firstConnection;
    if (!commandClient.isReady) throw new StoreUnavailableError(`consentry: Redis at ${where} is not connected`);
    const [text, rev, gen] = (await commands.hmGet(st.key, ['doc', 'rev', 'gen'])) as Array<string | null>;
    return { gen: gen ?? '', rev: Number(rev ?? 0), text: text ?? undefined };
  }

  async function refresh(st: SuiteState): Promise<void> {
    try {
      if (adopt(st, await fetchCurrent(st))) notify(st);
    } catch {
      // Still down; the next reconnect refreshes again.
    }
  }

  async function ensureSubscribed(st: SuiteState): Promise<void> {
    if (!subscriberStarted) {
      subscriberStarted = true;
      subscriber.connect().catch(() => {});
    }
    if (st.subscribed) return;
    st.subscribed = true;
    try {
      await subscriber.subscribe(st.channel, (message: string) => {
        const newline = message.indexOf('\n');
        const [gen = '', rev = '0'] = message.slice(0, newline).split(' ');
        try {
          if (adopt(st, { gen, rev: Number(rev), text: message.slice(newline + 1) })) notify(st);
        } catch {
          // Unreadable settings with quarantine off: keep the last known state.
        }
      });
    } catch {
      st.subscribed = false;
    }
  }

  const queue = suiteQueue(async (suite, batch) => {
    if (closed) throw new Error('consentry: this Redis store is closed');
    const st = state(suite);
    for (let attempt = 0; ; attempt++) {
      let current: Revision;
      try {
        current = await fetchCurrent(st);
      } catch (error) {
        throw unavailable(error);
      }
      const document = current.text === undefined ? undefined : decode(st, current.text);
      const applied = applyUpdates(document, document === undefined ? undefined : current.text, batch);
      if (applied.nextText === undefined) {
        if (adopt(st, current)) notify(st);
        applied.settle();
        return;
      }
      let version: string;
      try {
        version = String(
          await commands.eval(COMPARE_AND_SET, {
            keys: [st.key],
            arguments: [String(current.rev), applied.nextText, st.channel, current.gen, randomUUID()],
          }),
        );
      } catch (error) {
        throw unavailable(error);
      }
      if (version !== '') {
        const [gen = '', rev = '0'] = version.split(' ');
        if (adopt(st, { gen, rev: Number(rev), text: applied.nextText })) notify(st);
        applied.settle();
        return;
      }
      // Another process stored a newer revision first: recompute on top of it.
      if (attempt > 3) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 20)));
    }
  });

  function unavailable(error: unknown): Error {
    if (error instanceof StoreUnavailableError) return error;
    onError(error);
    return new StoreUnavailableError(`consentry: Redis at ${where} is unreachable (${describeError(error)})`);
  }

  return {
    kind: 'redis',
    describe: (suite) => `${where} key ${prefix}${suite}`,

    async read(suite) {
      if (closed) throw new Error('consentry: this Redis store is closed');
      const st = state(suite);
      try {
        if (adopt(st, await fetchCurrent(st))) notify(st);
        return copyDocument(st.document);
      } catch (error) {
        if (error instanceof CorruptDocumentError) throw error;
        if (st.known) return copyDocument(st.document);
        throw unavailable(error);
      }
    },

    update: (suite, fn) => queue.update(suite, fn),

    async suites() {
      if (closed) throw new Error('consentry: this Redis store is closed');
      await firstConnection;
      if (!commandClient.isReady) throw new StoreUnavailableError(`consentry: Redis at ${where} is not connected`);
      const names: string[] = [];
      try {
        for await (const keys of commands.scanIterator({ MATCH: `${prefix}*`, TYPE: 'hash', COUNT: 500 })) {
          for (const key of keys as string[]) names.push(key.slice(prefix.length));
        }
      } catch (error) {
        throw unavailable(error);
      }
      return suiteNames(names);
    },

    async claim(suite, key) {
      if (closed) throw new Error('consentry: this Redis store is closed');
      if (typeof key !== 'string' || key === '') throw new TypeError('consentry: claim key must be a non-empty string');
      const st = state(suite);
      await firstConnection;
      if (!commandClient.isReady) throw new StoreUnavailableError(`consentry: Redis at ${where} is not connected`);
      try {
        const reply = await commands.set(`${st.key}:claim:${key}`, new Date().toISOString(), { condition: 'NX' });
        return reply === 'OK';
      } catch (error) {
        throw unavailable(error);
      }
    },

    subscribe(suite, listener) {
      const st = state(suite);
      st.listeners.add(listener);
      if (!closed) void ensureSubscribed(st).then(() => refresh(st));
      return () => {
        st.listeners.delete(listener);
      };
    },

    setDefaultLogger(logger) {
      fallbackLogger = logger;
    },

    async close() {
      if (closed) return;
      closed = true;
      await queue.idle();
      for (const st of states.values()) st.listeners.clear();
      commandClient.off('ready', onCommandReady);
      subscriber.off('ready', onSubscriberReady);
      await quietClose(subscriber);
      if (ownsCommandClient) await quietClose(commandClient);
      // Keep swallowing late socket errors from our own connections; the user's client gets its handler back.
      if (!ownsCommandClient) commandClient.off('error', onError);
    },
  };
}

function reconnectDelay(retries: number): number {
  return Math.min(100 * 2 ** retries, 2_000) + Math.floor(Math.random() * 100);
}

async function quietClose(client: AnyRedisClient): Promise<void> {
  try {
    if (client.isReady) await client.close();
    else if (client.isOpen) client.destroy();
  } catch {
    try {
      client.destroy();
    } catch {
      // Already closed.
    }
  }
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured Redis URL';
  }
}
