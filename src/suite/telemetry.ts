import type { Consent } from '../consent/index.js';
import type { TelemetryModule } from './module.js';
import type { ModuleOptions } from './module-options.js';
import type { Reports } from './reports.js';
import type { SentLog } from './sent.js';

/** What createTelemetry returns: one per suite (one plugin author), shared by all their modules. */
export interface Telemetry {
  readonly suite: string;
  readonly consent: Consent;
  /** Errors kept at level `manual`, for the owner to look at and send one by one. */
  readonly reports: Reports;
  /** The record of what left for Sentry (every shard, at most 200 entries or 7 days), for the owner. */
  readonly sent: SentLog;
  /**
   * Registers one of the suite's modules (idempotent per name). A wrong option logs one line and gives a module
   * that sends nothing (or throws ConsentryConfigError with `strict: true`).
   */
  module(options: ModuleOptions): TelemetryModule;
  /**
   * Sends now what is queued and allowed (error reports, sessions, and at `all` the spans that otherwise leave in
   * 5-second batches). Resolves with true when everything was delivered within `timeoutMs` (default 2000). Never rejects.
   */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Ends sessions, flushes what may be sent, stops watching the settings and closes the store. Idempotent; never rejects. */
  shutdown(): Promise<void>;
}
