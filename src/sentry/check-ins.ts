import { createCheckInEnvelope, type MonitorConfig, type SerializedCheckIn, uuid4 } from '@sentry/core';
import { sendsAutomatically } from '../consent/index.js';
import { connect } from './live-client.js';
import { describeFailure, type ReporterState } from './reporter-state.js';

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

/** `ModuleReporter.captureCheckIn`: sent only at `errors` and `all`; returns its id, or undefined when not sent. */
export function captureCheckIn(state: ReporterState, checkIn: ModuleCheckIn): string | undefined {
  if (state.closed || !sendsAutomatically(state.level)) return undefined;
  try {
    const { client } = connect(state);
    const id = typeof checkIn.checkInId === 'string' ? checkIn.checkInId : uuid4();
    const serialized = serializeCheckIn(state, checkIn, id);
    void client.sendEnvelope(
      createCheckInEnvelope(serialized, undefined, client.getSdkMetadata(), undefined, client.getDsn()),
    );
    return id;
  } catch (failure) {
    state.once.report(
      'check-in-failed',
      'warn',
      `consentry: ${state.label} could not build a cron check-in: ${describeFailure(failure)}`,
    );
    return undefined;
  }
}

// Built here rather than with client.captureCheckIn, which reads the active span of the host's Sentry.
function serializeCheckIn(state: ReporterState, checkIn: ModuleCheckIn, id: string): SerializedCheckIn {
  const { scrubber } = state.options;
  const serialized: SerializedCheckIn = {
    check_in_id: id,
    monitor_slug: scrubber.string(String(checkIn.monitorSlug)),
    status: checkIn.status,
    release: state.release,
    environment: state.environment,
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
  return serialized;
}
