import type { Event } from '@sentry/core';
import { Scope } from '@sentry/core';
import { type ConsentLevel, sendsAutomatically } from '../consent/index.js';
import { onceLogger, toHostLogger } from '../log/index.js';
import { addBreadcrumb, type CaptureResult, captureError, type ModuleBreadcrumb, prepareEvent } from './capture.js';
import { captureCheckIn, type ModuleCheckIn } from './check-ins.js';
import type { CaptureOptions } from './event.js';
import { connect } from './live-client.js';
import { type ModuleReporterOptions, type ResolvedReporterOptions, resolveReporterOptions } from './options.js';
import { isOwnError } from './own-frames.js';
import { moduleRelease } from './release.js';
import { closeReporter, flush, setLevel } from './reporter-lifecycle.js';
import type { ReporterState, ReporterStats } from './reporter-state.js';
import { sendPrepared } from './send-prepared.js';
import { sendTransaction } from './send-transaction.js';
import { sidSource } from './session.js';
import { systemTags } from './system-info.js';

export type { CaptureResult, ModuleBreadcrumb } from './capture.js';
export type { ModuleCheckIn } from './check-ins.js';
export type { ReporterStats } from './reporter-state.js';

/** One module's isolated error reporting. */
export interface ModuleReporter {
  readonly module: string;
  /** `<suite>|<module>@<version>` (scrubbed), on every event and session. */
  readonly release: string;
  readonly level: ConsentLevel;
  /** Captures an error of this module. Returns at once; never throws. */
  captureError(error: unknown, options?: CaptureOptions): CaptureResult;
  /**
   * Sends a cron check-in (Sentry Crons) for `monitorSlug`, only at `errors` and `all`; returns its check-in id,
   * or undefined when nothing was sent. Pass the id of the `in_progress` check-in with the final `ok`/`error`.
   */
  captureCheckIn(checkIn: ModuleCheckIn): string | undefined;
  /**
   * Sends a transaction event built from this module's spans (already scrubbed), only at `all`, through this client's
   * transport: its rate limits, in-flight bound and outage line. Sets release, environment, user, session tag and SDK
   * to this module's. True when handed to the transport.
   */
  sendTransaction(event: Event): boolean;
  /**
   * Builds the scrubbed, allow-listed event for an error without sending it, at any level (undefined once closed
   * or when the error cannot be read). Process mode writes it to the crash outbox and decides at the next start.
   */
  prepareEvent(error: unknown, options?: CaptureOptions): Event | undefined;
  /** Keeps a scrubbed breadcrumb (the newest `maxBreadcrumbs`), sent with this module's events. */
  addBreadcrumb(breadcrumb: ModuleBreadcrumb): void;
  /** Applies a consent change at once (see the level rules in the README). Throws on an unknown level. */
  setLevel(level: ConsentLevel): void;
  /**
   * Sends a prepared event (a report's `event`) as it is, at any level: the owner's send by hand.
   * Resolves with its event id once Sentry accepted it, or undefined when it could not be sent (so the
   * report can be kept and tried again). The same event is sent at most once per reporter.
   */
  sendPrepared(event: Event): Promise<string | undefined>;
  /** `isOwnError(error, root)` with this module's root; false when no root was given. */
  isOwnError(error: unknown): boolean;
  stats(): ReporterStats;
  /** Waits up to `timeoutMs` (default 2000) for what is in flight. True when everything was sent. */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Ends the session (sent), flushes up to `timeoutMs` (default 2000), closes. Idempotent. */
  close(timeoutMs?: number): Promise<boolean>;
  /**
   * The identity this reporter was made for was forgotten: closes without sending anything more under it. The
   * session is dropped unsent (no end, no rotation); reports handed to the transport before are still delivered.
   */
  discard(timeoutMs?: number): Promise<boolean>;
}

const DEFAULT_FLUSH_MS = 2000;

/**
 * Creates the isolated Sentry client of one module: its own client, scope, session and transport,
 * nothing global. What leaves is scrubbed, allow-listed and gated by the consent level:
 * `off` nothing (client closed, in-flight requests dropped); `manual` nothing automatic, errors become
 * pending reports; `errors`/`all` errors sent and release-health sessions running.
 * The pieces: live-client (the client while consent allows one), capture, check-ins, send-prepared (the owner's send
 * by hand), reporter-lifecycle (level changes, flush, close).
 */
export function createModuleReporter(input: ModuleReporterOptions): ModuleReporter {
  const options = resolveReporterOptions(input);
  const state = reporterState(options);
  if (sendsAutomatically(state.level)) connect(state).sessions.start();
  return {
    module: options.module,
    release: state.release,
    get level() {
      return state.level;
    },
    captureError: (error, captureOptions) => captureError(state, error, captureOptions),
    captureCheckIn: (checkIn) => captureCheckIn(state, checkIn),
    sendTransaction: (event) => sendTransaction(state, event),
    prepareEvent: (error, captureOptions) => prepareEvent(state, error, captureOptions),
    addBreadcrumb: (breadcrumb) => addBreadcrumb(state, breadcrumb),
    setLevel: (next) => setLevel(state, next),
    sendPrepared: (event) => sendPrepared(state, event),
    isOwnError: (error) => options.root !== undefined && isOwnError(error, options.root),
    stats: () => ({ ...state.stats }),
    flush: async (timeoutMs = DEFAULT_FLUSH_MS) => flush(state, timeoutMs),
    close: async (timeoutMs = DEFAULT_FLUSH_MS) => closeReporter(state, timeoutMs, 'close'),
    discard: async (timeoutMs = DEFAULT_FLUSH_MS) => closeReporter(state, timeoutMs, 'discard'),
  };
}

/** The module's identity as every event carries it (scrubbed), its scope, and the state consent changes. */
function reporterState(options: ResolvedReporterOptions): ReporterState {
  const { scrubber } = options;
  const scope = new Scope();
  scope.setUser({ id: options.userId });
  scope.setTags({
    ...options.tags,
    ...systemTags(),
    suite: options.suite,
    module: options.module,
    version: options.version,
    ...(options.commit === undefined ? {} : { commit: options.commit }),
    session: options.sessionId,
  });
  return {
    options,
    once: onceLogger(toHostLogger(options.logger)),
    label: `${options.suite}/${options.module}`,
    release: scrubber.string(moduleRelease(options.suite, options.module, options.version)),
    environment: scrubber.string(options.environment),
    app: { app_name: scrubber.string(options.module), app_version: scrubber.string(options.version) },
    scope,
    nextSid: sidSource(options.sessionId),
    stats: { delivered: 0, dropped: 0, outage: false },
    sentIds: new Set(),
    sending: new Map(),
    level: options.level,
    closed: false,
    live: undefined,
  };
}
