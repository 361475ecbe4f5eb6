import { join } from 'node:path';
import type { HostLogger, onceLogger } from '../log/index.js';
import { notifyAll } from './document.js';
import type { StoreFileSystem } from './file-system.js';
import type { StoredDocument, StoreListener, UpdateFunction } from './store.js';
import { assertSuiteName } from './suite-name.js';

/** A suite whose file cannot be written: it lives in memory and the store retries with a growing delay. */
export interface Degraded {
  /** Updates made while the file could not be written, replayed onto the file's content once it can. */
  replay: UpdateFunction[];
  overflow: boolean;
  delayMs: number;
  timer: NodeJS.Timeout | undefined;
}

/** What the file store knows about one suite's `<suite>.json`. */
export interface FileSuiteState {
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

/** Everything the pieces of one file store share: its settings, its logger and its lifecycle. */
export interface FileStoreContext {
  readonly dir: string;
  readonly fs: StoreFileSystem;
  readonly pollIntervalMs: number;
  readonly lockOptions: { timeoutMs: number; staleMs: number };
  readonly firstRetryMs: number;
  readonly maxRetryMs: number;
  /** False: an unreadable file is left in place and reads reject (see `FileStoreOptions.quarantine`). */
  readonly quarantine: boolean;
  readonly log: HostLogger;
  readonly once: ReturnType<typeof onceLogger>;
  readonly states: Map<string, FileSuiteState>;
  /** Polls in flight, awaited by `close`. */
  readonly polls: Set<Promise<void>>;
  /** `stopping`: `close` was called (no new timers); `closed`: it finished (calls reject). */
  readonly lifecycle: { stopping: boolean; closed: boolean };
}

export function suiteState(ctx: FileStoreContext, suite: string): FileSuiteState {
  let found = ctx.states.get(suite);
  if (!found) {
    assertSuiteName(suite);
    found = {
      suite,
      path: join(ctx.dir, `${suite}.json`),
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
    ctx.states.set(suite, found);
  }
  return found;
}

export function assertOpen(ctx: FileStoreContext): void {
  if (ctx.lifecycle.closed) throw new Error('consentry: this file store is closed');
}

export function notify(ctx: FileStoreContext, st: FileSuiteState): void {
  notifyAll(st.listeners, st.document, ctx.once);
}

/** Records what the file holds now; true when it differs from what was known. */
export function adopt(st: FileSuiteState, text: string | undefined, document: StoredDocument | undefined): boolean {
  const changed = !st.known || text !== st.text;
  st.text = text;
  st.document = document;
  st.known = true;
  return changed;
}
