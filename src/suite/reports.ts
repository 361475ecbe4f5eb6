import type { Event } from '@sentry/core';
import { type HostLogger, onceLogger } from '../log/index.js';
import type { PendingReport } from '../sentry/index.js';
import type { Store } from '../store/index.js';
import { reportsKey } from './reports-document.js';
import { type ReportsMirror, reportsMirror } from './reports-mirror.js';

export { keptReports, MAX_REPORTS, REPORT_TTL_MS, reportsKey } from './reports-document.js';

/** What `telemetry.reports.list()` shows of a pending report; `preview(code)` shows the event itself. */
export interface ReportSummary {
  code: string;
  module: string;
  createdAt: number;
  /** The error's type and message, as scrubbed. */
  title: string;
}

/** `telemetry.reports`: errors kept at level `manual`, which the owner may look at and send one by one. */
export interface Reports {
  /** Newest first. */
  list(): ReportSummary[];
  /** The exact JSON that `send(code)` would send, or undefined for an unknown or expired code. */
  preview(code: string): string | undefined;
  /** Sends that one report (from any shard) and forgets it. Resolves with the Sentry event id. */
  send(code: string): Promise<string>;
}

export class ReportNotFoundError extends Error {
  override readonly name = 'ReportNotFoundError';
}

export type SendPrepared = (report: PendingReport) => Promise<string | undefined>;

/**
 * Pending reports live in their own store document (`<suite>.reports`), away from the consent settings, so any
 * shard can list and send them and the settings stay small. At most 50, each kept 7 days.
 */
export function createReports(options: {
  suite: string;
  store: Store;
  logger: HostLogger;
  /** Sends a report's event through its module's client; undefined when Sentry did not accept it. */
  sendPrepared: SendPrepared;
  /** Why nothing may be sent now (level `off`: the owner, DO_NOT_TRACK, …), or undefined when a send by hand is allowed. */
  refusal?: () => string | undefined;
  now?: (() => number) | undefined;
}) {
  const once = onceLogger(options.logger);
  const mirror = reportsMirror(options.store, reportsKey(options.suite), options.now ?? Date.now);
  const reports: Reports = {
    list: () => mirror.reports.map(summary),
    preview(code) {
      const report = mirror.reports.find((kept) => kept.code === normalize(code));
      return report && JSON.stringify(report.event, null, 2);
    },
    send: (code) => sendReport(options, mirror, code),
  };

  return {
    reports,
    ready: mirror.ready,
    /** Keeps a new report (newest first, the oldest beyond 50 dropped). Never rejects. */
    async add(report: PendingReport): Promise<void> {
      mirror.keep(report);
      try {
        mirror.adopt(await mirror.write((reports) => [report, ...reports.filter((r) => r.code !== report.code)]));
        once.clear('write');
      } catch (error) {
        once.report(
          'write',
          'warn',
          `consentry: ${options.suite}: could not save a pending error report (${String((error as Error)?.message ?? error)}); it is kept in memory only`,
        );
      }
    },
    /** Drops every kept report (`forget()`). */
    async clear(): Promise<void> {
      mirror.reports = [];
      mirror.adopt(await mirror.write(() => []));
    },
    close: mirror.close,
  };
}

async function sendReport(
  options: { suite: string; sendPrepared: SendPrepared; refusal?: (() => string | undefined) | undefined },
  mirror: ReportsMirror,
  code: string,
): Promise<string> {
  const refused = options.refusal?.();
  if (refused) throw new Error(`consentry: ${options.suite}: report ${String(code)} was not sent: ${refused}`);
  const report = await mirror.take(normalize(code));
  if (!report) {
    throw new ReportNotFoundError(
      `consentry: no pending report with code ${JSON.stringify(code)} (it was sent already, expired after 7 days, or never existed); list them with reports.list()`,
    );
  }
  const eventId = await options.sendPrepared(report).catch(() => undefined);
  if (eventId === undefined) {
    await mirror.putBack(report);
    throw new Error(
      `consentry: report ${report.code} could not be sent (Sentry did not accept it); it is kept, try again later`,
    );
  }
  return eventId;
}

function normalize(code: string): string {
  return String(code).trim().toUpperCase();
}

export function summary(report: PendingReport): ReportSummary {
  // Sentry lists a chain innermost cause first: the error thrown is the last one.
  const exception = (report.event as Event).exception?.values?.at(-1);
  const title = exception
    ? `${exception.type ?? 'Error'}: ${exception.value ?? ''}`
    : (report.event.message ?? 'Error');
  return { code: report.code, module: report.module, createdAt: report.createdAt, title: String(title) };
}
