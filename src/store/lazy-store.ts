import { consoleLogger, describeError, type HostLogger } from '../log/index.js';
import type { Store } from './store.js';

/**
 * A store whose implementation loads on first use (e.g. the Redis client, which costs a tenth of a second at
 * start-up and is not needed by bots on the file store). If loading fails, every call fails like an unreachable
 * store: consent fails closed.
 */
export function lazyStore(kind: string, describe: (suite: string) => string, load: () => Promise<Store>): Store {
  let store: Store | undefined;
  let logger: HostLogger | undefined;
  const ready = load().then((loaded) => {
    store = loaded;
    if (logger) loaded.setDefaultLogger?.(logger);
    return loaded;
  });
  // Said once, here: each later call only rejects (e.g. a missing optional package, with what to install).
  ready.catch((error: unknown) =>
    (logger ?? consoleLogger).error(`consentry: the ${kind} store cannot start: ${describeError(error)}`),
  );
  return {
    kind,
    describe,
    read: async (suite) => (await ready).read(suite),
    update: async (suite, fn) => (await ready).update(suite, fn),
    claim: async (suite, key) => (await ready).claim(suite, key),
    suites: async () => (await ready).suites?.() ?? [],
    subscribe(suite, listener) {
      if (store) return store.subscribe(suite, listener);
      let unsubscribe: (() => void) | undefined;
      let cancelled = false;
      ready.then(
        (loaded) => {
          if (!cancelled) unsubscribe = loaded.subscribe(suite, listener);
        },
        () => {},
      );
      return () => {
        cancelled = true;
        unsubscribe?.();
      };
    },
    setDefaultLogger(next) {
      if (store) store.setDefaultLogger?.(next);
      else logger = next;
    },
    close: async () => {
      const loaded = await ready.catch(() => undefined);
      await loaded?.close();
    },
  };
}
