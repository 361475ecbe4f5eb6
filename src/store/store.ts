import type { HostLogger } from '../log/index.js';

/** A JSON object as kept by a store. The consent layer gives it meaning; stores only keep it safe. */
export type StoredDocument = { [key: string]: unknown };

/**
 * Receives the current document (a private copy, `undefined` when none exists yet) and returns the next one.
 * It may run more than once (compare-and-set retries), so it must not have side effects.
 * Returning a document equal to the current one writes nothing.
 */
export type UpdateFunction = (current: StoredDocument | undefined) => StoredDocument;

export type StoreListener = (document: StoredDocument | undefined) => void;

/** Where a suite's settings live: the embedded `fileStore` or `redisStore` for bots sharded over processes or hosts. */
export interface Store {
  readonly kind: string;
  /** Human-readable location for log lines and status reasons, e.g. a file path or a Redis key pattern. */
  describe(suite: string): string;
  /**
   * The suite's document, or `undefined` when none exists. When the backing storage cannot be reached it answers
   * with the last known document; with none known it rejects with `StoreUnavailableError` (callers fail closed).
   */
  read(suite: string): Promise<StoredDocument | undefined>;
  /** Atomic read-modify-write across every process using the same storage; resolves with the stored result. */
  update(suite: string, fn: UpdateFunction): Promise<StoredDocument>;
  /**
   * Resolves `true` for exactly one caller per `(suite, key)` across all processes sharing the storage, `false` for
   * every other. If the storage cannot be reached, the file store falls back to once per process (in memory) and the
   * Redis store rejects with `StoreUnavailableError` (treat it as "not now").
   */
  claim(suite: string, key: string): Promise<boolean>;
  /**
   * The document as stored right now, read synchronously, for a crash handler that cannot wait (stores whose storage
   * allows it: the file and memory stores). Throws when it cannot be read or is damaged.
   */
  readSync?(suite: string): StoredDocument | undefined;
  /** Called after every change of the suite's document, from this process or another one. Returns unsubscribe. */
  subscribe(suite: string, listener: StoreListener): () => void;
  /** The suites that have settings in this storage (their companion documents, e.g. `<suite>.sent`, left out). */
  suites?(): Promise<string[]>;
  /** Used by createTelemetry to hand over its logger when the store was created without one. */
  setDefaultLogger?(logger: HostLogger): void;
  close(): Promise<void>;
}
