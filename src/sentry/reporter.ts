import type {
  Breadcrumb,
  Envelope,
  Event,
  MonitorConfig,
  SerializedCheckIn,
  TransportMakeRequestResponse,
} from '@sentry/core';
import { createCheckInEnvelope, createEventEnvelope, Scope, uuid4 } from '@sentry/core';
import type { ServerRuntimeClient } from '@sentry/core/server';
import { type ConsentLevel, isConsentLevel, sendsAutomatically } from '../consent/index.js';
import { onceLogger, toHostLogger } from '../log/index.js';
import { allowListEvent } from './allow-list.js';
import { createIsolatedClient } from './client.js';
import { debugDelivery } from './debug-output.js';
import { buildErrorEvent, type CaptureOptions, type EventBuilderContext } from './event.js';
import { type ModuleReporterOptions, resolveReporterOptions } from './options.js';
import { isOwnError } from './own-frames.js';
import { moduleRelease } from './release.js';
import { newReportCode, type PendingReport } from './report.js';
import { describeEnvelope } from './sent-entry.js';
import { type ReleaseHealth, releaseHealth, sidSource } from './session.js';
import { stackParser as defaultStackParser } from './stack-parser.js';
import { systemTags } from './system-info.js';
import { type Delivery, nodeDelivery, type RequestOutcome } from './transport.js';

/** What `captureError` did with an error. It never throws and never waits for the network. */
export type CaptureResult =
  /** Level `errors`/`all`: handed to the transport (sent in the background). */
  | { status: 'queued'; eventId: string }
  /** Level `manual`: nothing sent; the suite keeps the report until the owner sends it with `sendPrepared`. */
  | { status: 'pending'; report: PendingReport }
  /** Not kept: level `off`, reporter closed, or the error could not be turned into an event. */
  | { status: 'dropped'; reason: 'off' | 'closed' | 'failed' };

/** A breadcrumb as a module records it (scrubbed before it is kept). */
export interface ModuleBreadcrumb {
  message?: string | undefined;
  category?: string | undefined;
  level?: Breadcrumb['level'] | undefined;
  type?: string | undefined;
  data?: Record<string, unknown> | undefined;
}

export interface ReporterStats {
  /** Envelopes Sentry accepted (2xx). */
  delivered: number;
  /** Envelope items not sent: queue full, rate limited, network errors, timeouts. */
  dropped: number;
  /** True from a failed send until the next accepted one. */
  outage: boolean;
}

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

/** A cron check-in as a module sends it. */
export interface ModuleCheckIn {
  monitorSlug: string;
  status: 'in_progress' | 'ok' | 'error';
  /** The id the `in_progress` check-in returned, for its `ok`/`error`. */
  checkInId?: string | undefined;
  /** Seconds, for `ok`/`error`. */
  duration?: number | undefined;
  /** Creates or updates the monitor in Sentry (Sentry's `MonitorConfig`). */
  monitorConfig?: MonitorConfig | undefined;
  /** Links the check-in to the span of the run (32 and 16 hex digits). */
  traceContext?: { traceId: string; spanId: string } | undefined;
}

interface LiveClient {
  client: ServerRuntimeClient;
  delivery: Delivery;
  sessions: ReleaseHealth;
  context: EventBuilderContext;
  /** From now on its deliveries, failures and drops no longer count (they are ours to drop). */
  retire(): void;
}

const DEFAULT_FLUSH_MS = 2000;
const OUTAGE = 'outage';
const SENT_IDS_KEPT = 1000;

/**
 * Creates the isolated Sentry client of one module: its own client, scope, session and transport,
 * nothing global. What leaves is scrubbed, allow-listed and gated by the consent level:
 * `off` nothing (client closed, in-flight requests dropped); `manual` nothing automatic, errors become
 * pending reports; `errors`/`all` errors sent and release-health sessions running.
 */
export function createModuleReporter(input: ModuleReporterOptions): ModuleReporter {
  const options = resolveReporterOptions(input);
  const { scrubber } = options;
  const logger = toHostLogger(options.logger);
  const once = onceLogger(logger);
  const label = `${options.suite}/${options.module}`;
  const release = scrubber.string(moduleRelease(options.suite, options.module, options.version));
  const environment = scrubber.string(options.environment);
  const app = { app_name: scrubber.string(options.module), app_version: scrubber.string(options.version) };
  const nextSid = sidSource(options.sessionId);

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

  let level: ConsentLevel = options.level;
  let closed = false;
  let live: LiveClient | undefined;
  const stats: ReporterStats = { delivered: 0, dropped: 0, outage: false };
  const sentIds = new Set<string>();
  const sending = new Map<string, Promise<string | undefined>>();

  const reportOutage = (reason: string) => {
    stats.outage = true;
    once.report(
      OUTAGE,
      'warn',
      `consentry: error reports of ${label} cannot reach Sentry (${reason}); they are dropped until it answers again. The bot is not affected.`,
    );
  };

  const connect = (): LiveClient => {
    if (live) return live;
    let retired = false;
    const listener = {
      delivered() {
        if (retired) return;
        stats.delivered++;
        stats.outage = false;
        once.clear(OUTAGE);
      },
      failed(reason: string) {
        if (!retired) reportOutage(reason);
      },
      dropped(reason: string, count: number) {
        if (retired) return;
        stats.dropped += count;
        if (reason === 'queue_overflow') reportOutage(`more than ${options.maxQueue} reports waiting`);
      },
      sent(envelope: Envelope, outcome: RequestOutcome) {
        try {
          options.onSent?.({ ...describeEnvelope(envelope), module: options.module, ...outcome });
        } catch {
          // The record of what was sent must never cost a report.
        }
      },
    };
    const delivery = options.debug ? debugDelivery(options.module) : nodeDelivery(listener, options.requestTimeoutMs);
    const { client, sdk } = createIsolatedClient({
      dsn: options.dsn,
      release,
      environment,
      makeTransport: (transportOptions) => delivery.makeTransport(transportOptions),
      maxQueue: options.maxQueue,
    });
    scope.setClient(client);
    const sessions = releaseHealth({
      client,
      scope,
      release,
      environment,
      userId: options.userId,
      firstSid: nextSid,
      rotateMs: options.sessionRotateMs,
    });
    const context: EventBuilderContext = {
      client,
      scope,
      stackParser: defaultStackParser,
      scrubber,
      root: options.root,
      release,
      environment,
      app,
      sdk,
    };
    live = { client, delivery, sessions, context, retire: () => (retired = true) };
    return live;
  };

  /** Consent withdrawn or reporter closed: nothing more leaves this client. */
  const disconnect = () => {
    if (!live) return;
    const current = live;
    live = undefined;
    current.sessions.abandon();
    current.retire();
    current.client.getOptions().enabled = false;
    current.delivery.abortInFlight();
    scope.setClient(undefined);
    stats.outage = false;
    once.clear(OUTAGE);
  };

  if (sendsAutomatically(level)) connect().sessions.start();

  const reporter: ModuleReporter = {
    module: options.module,
    release,
    get level() {
      return level;
    },

    captureError(error, captureOptions) {
      if (closed) return { status: 'dropped', reason: 'closed' };
      if (level === 'off') return { status: 'dropped', reason: 'off' };
      try {
        const { client, context, sessions } = connect();
        const event = buildErrorEvent(context, error, captureOptions);
        if (level === 'manual') {
          return {
            status: 'pending',
            report: { code: newReportCode(), module: options.module, createdAt: Date.now(), dsn: options.dsn, event },
          };
        }
        const eventId = event.event_id as string;
        remember(sentIds, eventId);
        client.sendEvent(event);
        sessions.recordError(captureOptions?.crashed === true);
        return { status: 'queued', eventId };
      } catch (failure) {
        once.report(
          'capture-failed',
          'warn',
          `consentry: ${label} could not build an error report: ${describe(failure)}`,
        );
        return { status: 'dropped', reason: 'failed' };
      }
    },

    sendTransaction(event) {
      if (closed || level !== 'all') return false;
      try {
        const { client, context } = connect();
        event.release = release;
        event.environment = environment;
        event.user = { id: options.userId };
        event.tags = { session: options.sessionId };
        event.sdk = structuredClone(context.sdk);
        // Not client.sendEvent: its event pipeline (and our error allow-list hook) is for error events.
        void client.sendEnvelope(createEventEnvelope(event, client.getDsn(), client.getSdkMetadata()));
        return true;
      } catch (failure) {
        once.report(
          'transaction-failed',
          'warn',
          `consentry: ${label} could not send a transaction: ${describe(failure)}`,
        );
        return false;
      }
    },

    captureCheckIn(checkIn) {
      if (closed || !sendsAutomatically(level)) return undefined;
      try {
        const { client } = connect();
        const id = typeof checkIn.checkInId === 'string' ? checkIn.checkInId : uuid4();
        // Built here rather than with client.captureCheckIn, which reads the active span of the host's Sentry.
        const serialized: SerializedCheckIn = {
          check_in_id: id,
          monitor_slug: scrubber.string(String(checkIn.monitorSlug)),
          status: checkIn.status,
          release,
          environment,
        };
        if (checkIn.status !== 'in_progress' && Number.isFinite(checkIn.duration)) {
          serialized.duration = checkIn.duration as number;
        }
        const config = checkIn.monitorConfig;
        if (config) {
          serialized.monitor_config = scrubber.value({
            schedule: config.schedule,
            checkin_margin: config.checkinMargin,
            max_runtime: config.maxRuntime,
            timezone: config.timezone,
            failure_issue_threshold: config.failureIssueThreshold,
            recovery_threshold: config.recoveryThreshold,
          }) as SerializedCheckIn['monitor_config'];
        }
        const trace = checkIn.traceContext;
        if (trace && /^[0-9a-f]{32}$/.test(trace.traceId) && /^[0-9a-f]{16}$/.test(trace.spanId)) {
          serialized.contexts = { trace: { trace_id: trace.traceId, span_id: trace.spanId } };
        }
        void client.sendEnvelope(
          createCheckInEnvelope(serialized, undefined, client.getSdkMetadata(), undefined, client.getDsn()),
        );
        return id;
      } catch (failure) {
        once.report(
          'check-in-failed',
          'warn',
          `consentry: ${label} could not build a cron check-in: ${describe(failure)}`,
        );
        return undefined;
      }
    },

    prepareEvent(error, captureOptions) {
      if (closed) return undefined;
      try {
        return buildErrorEvent(connect().context, error, captureOptions);
      } catch {
        return undefined;
      }
    },

    addBreadcrumb(breadcrumb) {
      if (closed || level === 'off' || options.maxBreadcrumbs === 0) return;
      try {
        const scrubbed = scrubber.value({ timestamp: Date.now() / 1000, ...breadcrumb }) as Breadcrumb;
        scope.addBreadcrumb(scrubbed, options.maxBreadcrumbs);
      } catch {
        // A breadcrumb is never worth an exception in the bot.
      }
    },

    setLevel(next) {
      if (!isConsentLevel(next)) {
        throw new TypeError(
          `consentry: setLevel: level must be 'off', 'manual', 'errors' or 'all'; got ${String(next)}`,
        );
      }
      const before = level;
      level = next;
      if (closed || next === before) return;
      if (next === 'off') {
        disconnect();
        scope.clearBreadcrumbs();
      } else if (sendsAutomatically(next) && !sendsAutomatically(before)) {
        connect().sessions.start();
      } else if (!sendsAutomatically(next)) {
        // Consent lowered: from now on nothing leaves by itself, not even the session's end.
        live?.sessions.abandon();
      }
    },

    sendPrepared(event) {
      if (closed) return Promise.resolve(undefined);
      const eventId = typeof event === 'object' && event !== null ? event.event_id : undefined;
      if (typeof eventId !== 'string' || !/^[0-9a-f]{32}$/.test(eventId)) {
        return Promise.reject(
          new TypeError(
            'consentry: sendPrepared(event): pass the `event` of a pending report (it has a 32-hex event_id)',
          ),
        );
      }
      if (sentIds.has(eventId)) return Promise.resolve(eventId);
      const inProgress = sending.get(eventId);
      if (inProgress) return inProgress;
      const attempt = sendOnce(event, eventId).finally(() => sending.delete(eventId));
      sending.set(eventId, attempt);
      return attempt;
    },

    isOwnError(error) {
      return options.root !== undefined && isOwnError(error, options.root);
    },

    stats() {
      return { ...stats };
    },

    async flush(timeoutMs = DEFAULT_FLUSH_MS) {
      if (!live) return true;
      return holdProcess(timeoutMs, live.client.flush(timeoutMs));
    },

    async close(timeoutMs = DEFAULT_FLUSH_MS) {
      if (closed) return true;
      closed = true;
      const current = live;
      if (!current) return true;
      // The session's final state is sent before the client closes, and the flush waits for it.
      current.sessions.end();
      const flushed = await holdProcess(timeoutMs, current.client.close(timeoutMs));
      disconnect();
      return flushed;
    },

    async discard(timeoutMs = DEFAULT_FLUSH_MS) {
      if (closed) return true;
      closed = true;
      const current = live;
      if (!current) return true;
      current.sessions.abandon();
      scope.clearBreadcrumbs();
      const flushed = await holdProcess(timeoutMs, current.client.close(timeoutMs));
      disconnect();
      return flushed;
    },
  };

  async function sendOnce(event: Event, eventId: string): Promise<string | undefined> {
    const wasOff = level === 'off';
    const { client } = connect();
    // Scrubbing and the allow-list are idempotent: an event we prepared comes out unchanged.
    // Every field of it comes out of the scrubber (an event read back from a file is not trusted to be ours).
    const copy = allowListEvent(scrubber.value(event) as Event);
    copy.event_id = eventId;
    if (typeof event.timestamp !== 'number') delete copy.timestamp;
    if (copy.user?.id !== options.userId) {
      // Kept under an identity that was forgotten since: it leaves under the current one, never the old.
      copy.user = { id: options.userId };
      copy.tags = { ...copy.tags, session: options.sessionId };
    }
    const response = await new Promise<TransportMakeRequestResponse>((resolve) => {
      const stop = client.on('afterSendEvent', (sent, answer) => {
        if (sent.event_id !== eventId) return;
        clearTimeout(timer);
        stop();
        resolve(answer);
      });
      // Resolves even if the client is closed meanwhile (consent withdrawn, shutdown).
      const timer = setTimeout(() => {
        stop();
        resolve({});
      }, options.requestTimeoutMs + 1000);
      client.sendEvent(copy);
    });
    if (wasOff && level === 'off') disconnect();
    const status = response.statusCode;
    if (status === undefined || status < 200 || status >= 300) return undefined;
    remember(sentIds, eventId);
    return eventId;
  }

  return reporter;
}

function remember(ids: Set<string>, id: string): void {
  ids.add(id);
  if (ids.size > SENT_IDS_KEPT) {
    const oldest = ids.values().next().value;
    if (oldest !== undefined) ids.delete(oldest);
  }
}

/** Keeps the process alive while waiting (our sockets do not), at most `timeoutMs`. */
async function holdProcess<T>(timeoutMs: number, work: PromiseLike<T>): Promise<T> {
  const timer = setTimeout(() => {}, Math.max(1, timeoutMs));
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
