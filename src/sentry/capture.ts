import type { Breadcrumb, Event } from '@sentry/core';
import { buildErrorEvent, type CaptureOptions } from './event.js';
import { connect } from './live-client.js';
import { newReportCode, type PendingReport } from './report.js';
import { describeFailure, type ReporterState, rememberSent } from './reporter-state.js';
import { sendSoon } from './send-soon.js';

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

/** `ModuleReporter.captureError`: sent at `errors`/`all`, a pending report at `manual`, nothing at `off`. */
export function captureError(state: ReporterState, error: unknown, captureOptions?: CaptureOptions): CaptureResult {
  if (state.closed) return { status: 'dropped', reason: 'closed' };
  if (state.level === 'off') return { status: 'dropped', reason: 'off' };
  const { options } = state;
  try {
    const live = connect(state);
    const { client, context, sessions } = live;
    const event = buildErrorEvent(context, error, captureOptions);
    if (state.level === 'manual') {
      return {
        status: 'pending',
        report: { code: newReportCode(), module: options.module, createdAt: Date.now(), dsn: options.dsn, event },
      };
    }
    const eventId = event.event_id as string;
    rememberSent(state, eventId);
    const crashed = captureOptions?.crashed === true;
    sendSoon(
      live.waiting,
      () => {
        client.sendEvent(event);
        sessions.recordError(crashed);
      },
      (failure) => reportCaptureFailure(state, failure),
    );
    return { status: 'queued', eventId };
  } catch (failure) {
    reportCaptureFailure(state, failure);
    return { status: 'dropped', reason: 'failed' };
  }
}

function reportCaptureFailure(state: ReporterState, failure: unknown): void {
  state.once.report(
    'capture-failed',
    'warn',
    `consentry: ${state.label} could not build an error report: ${describeFailure(failure)}`,
  );
}

/** `ModuleReporter.prepareEvent`: the event as it would leave, at any level, without sending it. */
export function prepareEvent(state: ReporterState, error: unknown, captureOptions?: CaptureOptions): Event | undefined {
  if (state.closed) return undefined;
  try {
    return buildErrorEvent(connect(state).context, error, captureOptions);
  } catch {
    return undefined;
  }
}

/** `ModuleReporter.addBreadcrumb`: kept scrubbed on the module's scope, never at `off`. */
export function addBreadcrumb(state: ReporterState, breadcrumb: ModuleBreadcrumb): void {
  const { options } = state;
  if (state.closed || state.level === 'off' || options.maxBreadcrumbs === 0) return;
  try {
    const scrubbed = options.scrubber.value({ timestamp: Date.now() / 1000, ...breadcrumb }) as Breadcrumb;
    state.scope.addBreadcrumb(scrubbed, options.maxBreadcrumbs);
  } catch {
    // A breadcrumb is never worth an exception in the bot.
  }
}
