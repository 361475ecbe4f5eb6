import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConsentryConfigError } from '../errors/index.js';
import {
  describeError,
  type HostLogger,
  lateBoundLogger,
  type OptionNames,
  onceLogger,
  reportUnknownOptions,
  toHostLogger,
} from '../log/index.js';
import { StoreUnavailableError } from './errors.js';
import { claimFile } from './file-claims.js';
import { subscribeToFile } from './file-poll.js';
import { readSuite, readSuiteSync } from './file-read.js';
import type { FileStoreContext } from './file-store-state.js';
import { errorCode, nodeFileSystem, type StoreFileSystem } from './file-system.js';
import { fileWriteQueue } from './file-write-queue.js';
import type { Store, StoredDocument } from './store.js';
import { suiteNames } from './suite-name.js';

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
const DEFAULT_POLL_INTERVAL_MS = 500;
const DEFAULT_LOCK_TIMEOUT_MS = 20_000;
const DEFAULT_STALE_LOCK_MS = 30_000;
const DEFAULT_RETRY_DELAY_MS = 5_000;
const DEFAULT_MAX_RETRY_DELAY_MS = 300_000;

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

/**
 * The embedded default store: `<dir>/<suite>.json`, written atomically under a cross-process lock so several
 * processes on one host (a sharded bot) never lose an update. Claims are files created with O_EXCL in
 * `<dir>/<suite>.claims/`. When the folder cannot be written, the store keeps working in memory and retries.
 * The pieces: file-read (reads, quarantine), file-write-queue (locked writes), file-degraded (memory mode and
 * replay), file-poll (changes from other processes), file-claims.
 */
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
  const { log, setDefault } = lateBoundLogger(options.logger);
  const ctx = fileStoreContext(options, log);
  const queue = fileWriteQueue(ctx);
  return {
    kind: 'file',
    describe: (suite) => join(ctx.dir, `${suite}.json`),
    read: (suite) => readSuite(ctx, suite),
    update: (suite, fn) => queue.update(suite, fn),
    // Only on the real file system: an injected one (tests of faults) is asynchronous by nature.
    ...(options.fs === undefined
      ? { readSync: (suite: string): StoredDocument | undefined => readSuiteSync(ctx, suite) }
      : {}),
    suites: () => listSuites(ctx.dir),
    claim: (suite, key) => claimFile(ctx, suite, key),
    subscribe: (suite, listener) => subscribeToFile(ctx, suite, listener),
    setDefaultLogger: setDefault,
    async close() {
      ctx.lifecycle.stopping = true;
      for (const st of ctx.states.values()) {
        if (st.poller) clearInterval(st.poller);
        st.poller = undefined;
        if (st.degraded?.timer) clearTimeout(st.degraded.timer);
        st.listeners.clear();
      }
      await Promise.allSettled([...ctx.polls]);
      await queue.idle();
      ctx.lifecycle.closed = true;
    },
  };
}

function fileStoreContext(options: FileStoreOptions, log: HostLogger): FileStoreContext {
  const firstRetryMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  return {
    dir: resolve(options.dir ?? DEFAULT_STORE_DIR),
    fs: options.fs ?? nodeFileSystem,
    pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    lockOptions: {
      timeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
      staleMs: options.staleLockMs ?? DEFAULT_STALE_LOCK_MS,
    },
    firstRetryMs,
    maxRetryMs: Math.max(firstRetryMs, options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS),
    quarantine: options.quarantine !== false,
    log,
    once: onceLogger(log),
    states: new Map(),
    polls: new Set(),
    lifecycle: { stopping: false, closed: false },
  };
}

async function listSuites(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw new StoreUnavailableError(`consentry: cannot list ${dir} (${describeError(error)})`);
  }
  return suiteNames(names.filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -5)));
}
