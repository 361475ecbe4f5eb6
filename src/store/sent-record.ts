import { describeError, type HostLogger, onceLogger } from '../log/index.js';
import type { Store, StoredDocument } from './store.js';

/** At most this many entries are kept (the newest), each at most `SENT_TTL_MS`. */
export const MAX_SENT_ENTRIES = 200;
export const SENT_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_TITLE = 200;
const FLUSH_DELAY_MS = 1_000;

/** What one request carried: an error event, a session update, a transaction, a span batch, a cron check-in. */
export type SentKind = 'event' | 'session' | 'transaction' | 'spans' | 'check-in' | 'other';

/** One request that left for Sentry, as the owner sees it in `telemetry.sent.list()` and `consentry sent`. */
export interface SentEntry {
  /** When the answer (or the failure) came, ISO 8601. */
  time: string;
  kind: SentKind;
  module: string;
  /** The Sentry event id, for events and transactions; otherwise null. */
  eventId: string | null;
  /** Taken from what was sent (already scrubbed): the error's type and message, the span names, the session state. */
  title: string;
  /** The request body as it went on the wire (after compression). */
  bytes: number;
  /** The HTTP status Sentry answered, or null when no answer came. */
  status: number | null;
  /** Why no answer came (e.g. `ECONNREFUSED`, `ETIMEDOUT`), or null. */
  error: string | null;
}

/** The record's own store document: `<suite>.sent`, next to the suite's settings. */
export function sentRecordKey(suite: string): string {
  return `${suite}.sent`;
}

/** The valid, unexpired entries of a stored record, newest first, at most MAX_SENT_ENTRIES. */
export function readSentEntries(document: StoredDocument | undefined, now = Date.now()): SentEntry[] {
  const entries = document?.entries;
  if (!Array.isArray(entries)) return [];
  return prune(entries.filter(isSentEntry), now);
}

function prune(entries: SentEntry[], now: number): SentEntry[] {
  return entries
    .filter((entry) => now - Date.parse(entry.time) < SENT_TTL_MS)
    .sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0))
    .slice(0, MAX_SENT_ENTRIES);
}

function isSentEntry(value: unknown): value is SentEntry {
  const entry = value as SentEntry;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.time === 'string' &&
    !Number.isNaN(Date.parse(entry.time)) &&
    typeof entry.kind === 'string' &&
    typeof entry.module === 'string' &&
    typeof entry.title === 'string' &&
    typeof entry.bytes === 'number'
  );
}

export interface SentRecord {
  /** Adds one entry; returns at once (written with others within a second). Never throws. */
  recordSent(entry: Omit<SentEntry, 'time'> & { time?: string | undefined }): void;
  /** The record of every shard sharing the store, newest first (this process's unwritten entries included). */
  list(): Promise<SentEntry[]>;
  /** Whether entries wait to be written. */
  pending(): boolean;
  /** Writes what is waiting. Never rejects: a store failure loses those entries and logs one line. */
  flush(): Promise<void>;
  /** Empties the record (`forget()`), here and in the store. */
  clear(): Promise<void>;
}

/**
 * The bounded record of what was sent, shared by all shards through the suite's store. Entries wait in memory and
 * are written together (one store update per second at most); a store that cannot be written loses the waiting
 * entries, never a request.
 */
export function createSentRecord(options: {
  suite: string;
  store: Store;
  logger: HostLogger;
  flushDelayMs?: number | undefined;
  now?: (() => number) | undefined;
}): SentRecord {
  const { store } = options;
  const key = sentRecordKey(options.suite);
  const now = options.now ?? Date.now;
  const delay = options.flushDelayMs ?? FLUSH_DELAY_MS;
  const once = onceLogger(options.logger);
  let waiting: SentEntry[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const write = (fn: (entries: SentEntry[]) => SentEntry[]): Promise<void> =>
    writeEntries(options.suite, store, once, () => now(), fn);

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      // Newest first, so that entries of the same millisecond keep their order (the sort is stable).
      writing = write((stored) => prune([...batch.reverse(), ...stored], now()));
    }
    return writing;
  };

  return {
    recordSent(entry) {
      try {
        waiting.push(toSentEntry(entry, now));
        if (waiting.length > MAX_SENT_ENTRIES) waiting.shift();
        if (!timer) {
          timer = setTimeout(() => void flush(), delay);
          timer.unref();
        }
      } catch {
        // The record is never worth an exception in the bot.
      }
    },
    async list() {
      await flush();
      return readSentEntries(await store.read(key), now());
    },
    pending: () => waiting.length > 0,
    flush,
    async clear() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      waiting = [];
      await writing;
      await store.update(key, () => ({ version: 1, entries: [] }));
    },
  };
}

/** An entry as it is kept: every field of a known type, the title cut to `MAX_TITLE`. */
function toSentEntry(entry: Omit<SentEntry, 'time'> & { time?: string }, now: () => number): SentEntry {
  return {
    time: entry.time ?? new Date(now()).toISOString(),
    kind: entry.kind,
    module: String(entry.module),
    eventId: entry.eventId ?? null,
    title: String(entry.title).slice(0, MAX_TITLE),
    bytes: Number(entry.bytes) || 0,
    status: entry.status ?? null,
    error: entry.error ?? null,
  };
}

/** One store update of the record; a failure loses these entries and is logged once until a write works again. */
function writeEntries(
  suite: string,
  store: Store,
  once: ReturnType<typeof onceLogger>,
  now: () => number,
  fn: (entries: SentEntry[]) => SentEntry[],
): Promise<void> {
  return store
    .update(sentRecordKey(suite), (document) => ({ version: 1, entries: fn(readSentEntries(document, now())) }))
    .then(
      () => {
        once.clear('write');
      },
      (error: unknown) => {
        once.report(
          'write',
          'warn',
          `consentry: ${suite}: could not save the record of what was sent (${describeError(error)}); ` +
            'those entries are lost, sending is not affected.',
        );
      },
    );
}
