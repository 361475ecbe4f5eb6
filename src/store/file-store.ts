import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  consoleLogger,
  type HostLogger,
  type OptionNames,
  onceLogger,
  reportUnknownOptions,
  toHostLogger,
} from '../log/index.js';
import {
  applyUpdates,
  CorruptDocumentError,
  copyDocument,
  notifyAll,
  type PendingUpdate,
  parseDocument,
  suiteQueue,
} from './document.js';
import { ConsentryConfigError, describeError, isStorageError, StoreUnavailableError } from './errors.js';
import { acquireFileLock } from './file-lock.js';
import { errorCode, nodeFileSystem, readIfExists, type StoreFileSystem, writeFileAtomic } from './file-system.js';
import type { Store, StoredDocument, StoreListener, UpdateFunction } from './store.js';
import { assertSuiteName, suiteNames } from './suite-name.js';

export interface FileStoreOptions {
  /** Folder for `<suite>.json`; relative paths are resolved against the working directory at creation. */
  dir?: string | undefined;
  logger?: Partial<HostLogger> | undefined;
  /** File operations; inject to simulate storage failures. */
  fs?: StoreFileSystem | undefined;
  /** How often subscribed suites check the file for changes made by other processes. */
  pollIntervalMs?: number | undefined;
  lockTimeoutMs?: number | undefined;
  staleLockMs?: number | undefined;
  /** First retry after a write failed (doubles each time, up to `maxRetryDelayMs`). */
  retryDelayMs?: number | undefined;
  maxRetryDelayMs?: number | undefined;
  /**
   * Default true: an unreadable file is moved aside and counts as unset. False (tools that must change nothing):
   * it is left in place and `read`/`update` reject with `CorruptDocumentError`.
   */
  quarantine?: boolean | undefined;
}

export const DEFAULT_STORE_DIR = './.consentry';
const MAX_REPLAY = 256;

interface Degraded {
  /** Updates made while the file could not be written, replayed onto the file's content once it can. */
  replay: UpdateFunction[];
  overflow: boolean;
  delayMs: number;
  timer: NodeJS.Timeout | undefined;
}

interface SuiteState {
  suite: string;
  path: string;
  text: string | undefined;
  document: StoredDocument | undefined;
  known: boolean;
  listeners: Set<StoreListener>;
  poller: NodeJS.Timeout | undefined;
  polling: boolean;
  statKey: string | undefined;
  degraded: Degraded | undefined;
  memoryClaims: Set<string>;
}

/**
 * The embedded default store: `<dir>/<suite>.json`, written atomically under a cross-process lock so several
 * processes on one host (a sharded bot) never lose an update. Claims are files created with O_EXCL in
 * `<dir>/<suite>.claims/`. When the folder cannot be written, the store keeps working in memory and retries.
 */
const FILE_STORE_OPTION_NAMES: OptionNames<FileStoreOptions> = {
  dir: true,
  logger: true,
  fs: true,
  pollIntervalMs: true,
  lockTimeoutMs: true,
  staleLockMs: true,
  retryDelayMs: true,
  maxRetryDelayMs: true,
  quarantine: true,
};

export function fileStore(options: FileStoreOptions = {}): Store {
  reportUnknownOptions(options, FILE_STORE_OPTION_NAMES, 'fileStore(options)', {
    logger: toHostLogger(options?.logger),
  });
  if (options.dir !== undefined && (typeof options.dir !== 'string' || options.dir.trim() === '')) {
    throw new ConsentryConfigError(
      'dir',
      `consentry: fileStore option \`dir\` must be a non-empty folder path; got ${JSON.stringify(options.dir)}. ` +
        `Fix: pass e.g. { dir: './data/consentry' } or leave it out for ${DEFAULT_STORE_DIR}.`,
    );
  }
  const dir = resolve(options.dir ?? DEFAULT_STORE_DIR);
  const fs = options.fs ?? nodeFileSystem;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const lockOptions = { timeoutMs: options.lockTimeoutMs ?? 20_000, staleMs: options.staleLockMs ?? 30_000 };
  const firstRetryMs = options.retryDelayMs ?? 5_000;
  const maxRetryMs = Math.max(firstRetryMs, options.maxRetryDelayMs ?? 300_000);

  const explicitLogger = options.logger ? toHostLogger(options.logger) : undefined;
  let fallbackLogger: HostLogger = consoleLogger;
  const log: HostLogger = {
    debug: (message) => (explicitLogger ?? fallbackLogger).debug(message),
    info: (message) => (explicitLogger ?? fallbackLogger).info(message),
    warn: (message) => (explicitLogger ?? fallbackLogger).warn(message),
    error: (message) => (explicitLogger ?? fallbackLogger).error(message),
  };
  const once = onceLogger(log);
  const states = new Map<string, SuiteState>();
  const polls = new Set<Promise<void>>();
  let closed = false;
  let stopping = false;

  function state(suite: string): SuiteState {
    let found = states.get(suite);
    if (!found) {
      assertSuiteName(suite);
      found = {
        suite,
        path: join(dir, `${suite}.json`),
        text: undefined,
        document: undefined,
        known: false,
        listeners: new Set(),
        poller: undefined,
        polling: false,
        statKey: undefined,
        degraded: undefined,
        memoryClaims: new Set(),
      };
      states.set(suite, found);
    }
    return found;
  }

  function notify(st: SuiteState): void {
    notifyAll(st.listeners, st.document, once);
  }

  function adopt(st: SuiteState, text: string | undefined, document: StoredDocument | undefined): boolean {
    const changed = !st.known || text !== st.text;
    st.text = text;
    st.document = document;
    st.known = true;
    return changed;
  }

  /** Moves an unreadable file aside. Call with the lock held, or with `lock: true` to take it. */
  async function quarantine(st: SuiteState, reason: string, lock: boolean): Promise<StoredDocument | undefined> {
    let release: (() => Promise<void>) | undefined;
    try {
      if (lock) release = await acquireFileLock(fs, `${st.path}.lock`, lockOptions);
      const text = await readIfExists(fs, st.path);
      if (text === undefined) return undefined;
      try {
        const document = parseDocument(text);
        adopt(st, text, document);
        return document;
      } catch {
        // Still corrupt: move it aside below.
      }
      const copy = `${st.path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await fs.rename(st.path, copy);
      log.error(
        `consentry: the settings file ${st.path} was unreadable (${reason}); moved it to ${copy}. ` +
          `Consent falls back to unset ('manual': nothing is sent automatically) until the owner chooses again.`,
      );
      return undefined;
    } catch (error) {
      once.report(
        `corrupt:${st.path}`,
        'error',
        `consentry: the settings file ${st.path} is unreadable (${reason}) and could not be moved aside ` +
          `(${describeError(error)}); consent is treated as unset ('manual') until the file is fixed or removed.`,
      );
      return undefined;
    } finally {
      await release?.();
    }
  }

  async function readFromDisk(st: SuiteState, locked: boolean): Promise<StoredDocument | undefined> {
    const text = await readIfExists(fs, st.path);
    if (text === undefined) {
      adopt(st, undefined, undefined);
      return undefined;
    }
    try {
      const document = parseDocument(text);
      adopt(st, text, document);
      return document;
    } catch (error) {
      if (!(error instanceof CorruptDocumentError)) throw error;
      if (options.quarantine === false) {
        throw new CorruptDocumentError(`the settings file ${st.path} is unreadable (${error.message})`);
      }
      const recovered = await quarantine(st, error.message, !locked);
      if (recovered === undefined) adopt(st, undefined, undefined);
      return recovered;
    }
  }

  function enterDegraded(st: SuiteState, error: unknown): void {
    if (st.degraded) return;
    st.degraded = { replay: [], overflow: false, delayMs: firstRetryMs, timer: undefined };
    once.report(
      `degraded:${st.path}`,
      'warn',
      `consentry: cannot write the settings file ${st.path} (${describeError(error)}); keeping settings in memory ` +
        `and retrying in ${formatDelay(firstRetryMs)}. Changes made meanwhile are saved once writing works again.`,
    );
    scheduleRetry(st);
  }

  function scheduleRetry(st: SuiteState): void {
    const degraded = st.degraded;
    if (!degraded || stopping) return;
    const delay = degraded.delayMs;
    degraded.delayMs = Math.min(delay * 2, maxRetryMs);
    degraded.timer = setTimeout(() => {
      degraded.timer = undefined;
      void queue.task(st.suite, () => recover(st)).catch(() => {});
    }, delay);
    degraded.timer.unref();
  }

  async function recover(st: SuiteState): Promise<void> {
    const degraded = st.degraded;
    if (!degraded || stopping) return;
    const memory = st.document;
    const memoryText = st.text;
    try {
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      const release = await acquireFileLock(fs, `${st.path}.lock`, lockOptions);
      try {
        const current = await readFromDisk(st, true);
        let next = current;
        if (degraded.overflow) next = memory;
        else for (const fn of degraded.replay) next = fn(copyDocument(next));
        const text = next === undefined ? undefined : JSON.stringify(next);
        if (text !== undefined && text !== st.text) await writeFileAtomic(fs, st.path, text);
        st.degraded = undefined;
        adopt(st, text, next);
      } finally {
        await release();
      }
    } catch (error) {
      st.text = memoryText;
      st.document = memory;
      if (isStorageError(error)) {
        scheduleRetry(st);
        return;
      }
      once.report(`recover:${st.path}`, 'warn', `consentry: retrying ${st.path} failed (${describeError(error)})`);
      scheduleRetry(st);
      return;
    }
    once.clear(`degraded:${st.path}`);
    once.clear(`recover:${st.path}`);
    log.info(`consentry: the settings file ${st.path} is writable again; settings saved.`);
    if (st.text !== memoryText) notify(st);
  }

  function applyInMemory(st: SuiteState, batch: PendingUpdate[]): void {
    const applied = applyUpdates(st.document, st.text, batch);
    const degraded = st.degraded;
    if (applied.nextText !== undefined && degraded) {
      st.text = applied.nextText;
      st.document = applied.next;
      st.known = true;
      if (!degraded.overflow) {
        degraded.replay.push(...batch.map((update) => update.fn));
        if (degraded.replay.length > MAX_REPLAY) {
          degraded.overflow = true;
          degraded.replay = [];
        }
      }
    }
    applied.settle();
    if (applied.nextText !== undefined) notify(st);
  }

  const queue = suiteQueue(async (suite, batch) => {
    if (closed) throw new Error('consentry: this file store is closed');
    const st = state(suite);
    if (st.degraded) {
      applyInMemory(st, batch);
      return;
    }
    try {
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      const release = await acquireFileLock(fs, `${st.path}.lock`, lockOptions);
      let applied: ReturnType<typeof applyUpdates>;
      try {
        const current = await readFromDisk(st, true);
        applied = applyUpdates(current, st.text, batch);
        if (applied.nextText !== undefined) {
          await writeFileAtomic(fs, st.path, applied.nextText);
          adopt(st, applied.nextText, applied.next);
        }
      } finally {
        await release();
      }
      applied.settle();
      if (applied.nextText !== undefined) notify(st);
    } catch (error) {
      if (!isStorageError(error)) throw error;
      enterDegraded(st, error);
      applyInMemory(st, batch);
    }
  });

  async function poll(st: SuiteState): Promise<void> {
    if (st.polling || st.degraded || stopping) return;
    st.polling = true;
    try {
      let key: string;
      try {
        const stats = await fs.stat(st.path);
        key = `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') return;
        key = 'missing';
      }
      if (key === st.statKey) return;
      st.statKey = key;
      const before = st.text;
      const wasKnown = st.known;
      await readFromDisk(st, false);
      if (!wasKnown || st.text !== before) notify(st);
    } catch {
      // A failed poll is retried at the next tick.
    } finally {
      st.polling = false;
    }
  }

  function startPoll(st: SuiteState): void {
    const polling = poll(st).finally(() => polls.delete(polling));
    polls.add(polling);
  }

  function claimFileName(key: string): string {
    if (/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/.test(key)) return `k-${key}`;
    return `h-${createHash('sha256').update(key).digest('hex')}`;
  }

  return {
    kind: 'file',
    describe: (suite) => join(dir, `${suite}.json`),

    async read(suite) {
      if (closed) throw new Error('consentry: this file store is closed');
      const st = state(suite);
      if (st.degraded) return copyDocument(st.document);
      try {
        return copyDocument(await readFromDisk(st, false));
      } catch (error) {
        if (error instanceof CorruptDocumentError) throw error;
        if (st.known) return copyDocument(st.document);
        throw new StoreUnavailableError(`consentry: cannot read ${st.path} (${describeError(error)})`);
      }
    },

    update: (suite, fn) => queue.update(suite, fn),

    // Only on the real file system: an injected one (tests of faults) is asynchronous by nature.
    ...(options.fs === undefined
      ? {
          readSync(suite: string): StoredDocument | undefined {
            const st = state(suite);
            if (st.degraded) return copyDocument(st.document);
            let text: string;
            try {
              text = readFileSync(st.path, 'utf8');
            } catch (error) {
              if (errorCode(error) === 'ENOENT') return undefined;
              throw error;
            }
            return parseDocument(text);
          },
        }
      : {}),
    async suites() {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return [];
        throw new StoreUnavailableError(`consentry: cannot list ${dir} (${describeError(error)})`);
      }
      return suiteNames(names.filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -5)));
    },

    async claim(suite, key) {
      if (closed) throw new Error('consentry: this file store is closed');
      if (typeof key !== 'string' || key === '') throw new TypeError('consentry: claim key must be a non-empty string');
      const st = state(suite);
      if (st.memoryClaims.has(key)) return false;
      const claimsDir = join(dir, `${suite}.claims`);
      const path = join(claimsDir, claimFileName(key));
      for (let attempt = 0; ; attempt++) {
        try {
          const handle = await fs.open(path, 'wx', 0o600);
          await handle.close();
          return true;
        } catch (error) {
          const code = errorCode(error);
          if (code === 'EEXIST') return false;
          if (code === 'ENOENT' && attempt === 0) {
            await fs.mkdir(claimsDir, { recursive: true, mode: 0o700 }).catch(() => {});
            continue;
          }
          if (!isStorageError(error) && code !== 'ENOENT') throw error;
          once.report(
            `claims:${claimsDir}`,
            'warn',
            `consentry: cannot create claim files in ${claimsDir} (${describeError(error)}); ` +
              'one-time notices are de-duplicated within this process only until that works again.',
          );
          st.memoryClaims.add(key);
          return true;
        }
      }
    },

    subscribe(suite, listener) {
      const st = state(suite);
      st.listeners.add(listener);
      if (!st.poller && !stopping) {
        st.poller = setInterval(() => startPoll(st), pollIntervalMs);
        st.poller.unref();
        startPoll(st);
      }
      return () => {
        st.listeners.delete(listener);
        if (st.listeners.size === 0 && st.poller) {
          clearInterval(st.poller);
          st.poller = undefined;
        }
      };
    },

    setDefaultLogger(logger) {
      fallbackLogger = logger;
    },

    async close() {
      stopping = true;
      for (const st of states.values()) {
        if (st.poller) clearInterval(st.poller);
        st.poller = undefined;
        if (st.degraded?.timer) clearTimeout(st.degraded.timer);
        st.listeners.clear();
      }
      await Promise.allSettled([...polls]);
      await queue.idle();
      closed = true;
    },
  };
}

function formatDelay(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 1_000)} s`;
}
