import type { SentEntry } from '../store/index.js';

/** `telemetry.sent`: what left for Sentry, as recorded in the suite's store by every shard. */
export interface SentLog {
  /** Newest first; at most 200 entries, none older than 7 days. Rejects only when the store cannot be read. */
  list(): Promise<SentEntry[]>;
}
