import type { Scope } from '@sentry/core';
import type { ServerRuntimeClient } from '@sentry/core/server';
import type { ConsentLevel } from '../consent/index.js';
import type { onceLogger } from '../log/index.js';
import type { EventBuilderContext } from './event.js';
import type { ResolvedReporterOptions } from './options.js';
import type { ReleaseHealth } from './session.js';
import type { Delivery } from './transport.js';

export interface ReporterStats {
  /** Envelopes Sentry accepted (2xx). */
  delivered: number;
  /** Envelope items not sent: queue full, rate limited, network errors, timeouts. */
  dropped: number;
  /** True from a failed send until the next accepted one. */
  outage: boolean;
}

/** A captured event waiting for the next turn to be handed to the client (see send-soon). */
export interface Waiting {
  send: () => void;
  failed: (error: unknown) => void;
}

/** The module's Sentry client while consent allows one (see live-client). */
export interface LiveClient {
  client: ServerRuntimeClient;
  delivery: Delivery;
  sessions: ReleaseHealth;
  context: EventBuilderContext;
  /** Scrubbed events captured this turn, handed to the client in the next (see send-soon). */
  waiting: Waiting[];
  /** From now on its deliveries, failures and drops no longer count (they are ours to drop). */
  retire(): void;
}

/** What the pieces of one module reporter share: its options and identity, and the state consent changes. */
export interface ReporterState {
  readonly options: ResolvedReporterOptions;
  readonly once: ReturnType<typeof onceLogger>;
  /** `<suite>/<module>`, for log lines. */
  readonly label: string;
  readonly release: string;
  readonly environment: string;
  readonly app: { app_name: string; app_version: string };
  readonly scope: Scope;
  readonly nextSid: () => string;
  readonly stats: ReporterStats;
  /** Event ids handed to the transport (the newest `SENT_IDS_KEPT`): a prepared event is sent at most once. */
  readonly sentIds: Set<string>;
  /** Sends by hand in progress, by event id. */
  readonly sending: Map<string, Promise<string | undefined>>;
  level: ConsentLevel;
  closed: boolean;
  live: LiveClient | undefined;
}

const SENT_IDS_KEPT = 1000;

export function rememberSent(state: ReporterState, id: string): void {
  state.sentIds.add(id);
  if (state.sentIds.size > SENT_IDS_KEPT) {
    const oldest = state.sentIds.values().next().value;
    if (oldest !== undefined) state.sentIds.delete(oldest);
  }
}

export function describeFailure(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
