import type { Consent } from '../consent/index.js';

/** What createTelemetry returns. Later parts of consentry add modules, error capture and manual reports here. */
export interface Telemetry {
  readonly suite: string;
  readonly consent: Consent;
  /** Stops watching the settings and closes the store; safe to call more than once. */
  shutdown(): Promise<void>;
}
