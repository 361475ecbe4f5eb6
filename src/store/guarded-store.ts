import type { HostLogger } from '../log/index.js';
import { isPlainObject } from '../values/index.js';
import type { Store, StoredDocument } from './store.js';

/**
 * A store given by the bot, made to keep the Store contract whatever it does: a method that throws becomes a
 * rejection, an answer of the wrong shape a rejected `TypeError` (callers already treat a rejection as "the store is
 * unavailable"), and `subscribe`/`describe`/`setDefaultLogger` never throw.
 */
export function guardStore(store: Store): Store {
  const kind = attempt(() => (typeof store.kind === 'string' ? store.kind : 'custom'), 'custom');
  const call = <T>(method: string, run: () => unknown, accept: (value: unknown) => value is T, shape: string) => {
    let result: unknown;
    try {
      result = run();
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve(result).then((value) => {
      if (accept(value)) return value;
      throw new TypeError(`the store's ${method}() resolved with ${typeof value} instead of ${shape}`);
    });
  };
  return {
    kind,
    describe: (suite) =>
      attempt(() => {
        const text = store.describe(suite);
        return typeof text === 'string' ? text : `the ${kind} store`;
      }, `the ${kind} store`),
    read: (suite) =>
      call('read', () => store.read(suite), isDocumentOrNone, 'a settings object or undefined') as Promise<
        StoredDocument | undefined
      >,
    update: (suite, fn) => call('update', () => store.update(suite, fn), isPlainObject, 'the settings object'),
    claim: (suite, key) => call('claim', () => store.claim(suite, key), isBoolean, 'true or false'),
    subscribe: (suite, listener) => {
      const unsubscribe = attempt(() => store.subscribe(suite, listener), undefined);
      return () => {
        if (typeof unsubscribe === 'function') attempt(() => unsubscribe(), undefined);
      };
    },
    // Synchronous by contract, and allowed to throw (its caller catches); only offered when the store has it.
    ...(typeof store.readSync === 'function'
      ? { readSync: (suite: string) => (store.readSync as (suite: string) => StoredDocument | undefined)(suite) }
      : {}),
    ...(typeof store.suites === 'function'
      ? { suites: () => call('suites', () => store.suites?.(), isStringArray, 'an array of suite names') }
      : {}),
    setDefaultLogger: (logger: HostLogger) => attempt(() => store.setDefaultLogger?.(logger), undefined),
    close: () => call('close', () => store.close(), isAnything, 'nothing').then(() => undefined),
  };
}

const isDocumentOrNone = (value: unknown): value is StoredDocument | undefined =>
  value === undefined || isPlainObject(value);
const isAnything = (_value: unknown): _value is unknown => true;
const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

function attempt<T>(run: () => T, fallback: T): T {
  try {
    return run();
  } catch {
    return fallback;
  }
}
