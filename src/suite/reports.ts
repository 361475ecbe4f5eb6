import type { Event } from '@sentry/core';
import { type HostLogger, onceLogger } from '../log/index.js';
import type { PendingReport } from '../sentry/index.js';
import type { Store, StoredDocument } from '../store/index.js';

export const MAX_REPORTS = 50;
export const REPORT_TTL_MS = 7 * 24 * 60 * 60 * 1000;

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

interface ReportsDocument extends StoredDocument {
  reports: PendingReport[];
}

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
  const { store, logger, sendPrepared } = options;
  const now = options.now ?? Date.now;
  const key = reportsKey(options.suite);
  const once = onceLogger(logger);
  let mirror: PendingReport[] = [];

  const fresh = (reports: readonly PendingReport[]): PendingReport[] => keptReports({ reports: [...reports] }, now());
  const adopt = (document: StoredDocument | undefined) => {
    mirror = fresh(readReports(document));
  };
  const unsubscribe = store.subscribe(key, adopt);
  const ready = store.read(key).then(adopt, () => {});

  const write = (fn: (reports: PendingReport[]) => PendingReport[]) =>
    store.update(key, (document) => ({ reports: fn(fresh(readReports(document))) }) satisfies ReportsDocument);

  const find = (code: string) => mirror.find((report) => report.code === normalize(code));

  const putBack = (report: PendingReport) =>
    write((stored) => [report, ...stored.filter((r) => r.code !== report.code)])
      .then(adopt)
      .catch(() => {
        mirror = fresh([report, ...mirror]);
      });

  /** Removes the report atomically, so that exactly one shard gets to send it. */
  const take = async (code: string): Promise<PendingReport | undefined> => {
    let taken: PendingReport | undefined;
    try {
      adopt(
        await write((stored) => {
          taken = stored.find((report) => report.code === code);
          return stored.filter((report) => report.code !== code);
        }),
      );
    } catch {
      // Storage unreachable: send what this process knows, at most once from here.
      taken = mirror.find((report) => report.code === code);
      mirror = mirror.filter((report) => report.code !== code);
    }
    return taken;
  };

  const reports: Reports = {
    list: () => mirror.map(summary),
    preview(code) {
      const report = find(code);
      return report && JSON.stringify(report.event, null, 2);
    },
    async send(code) {
      const refused = options.refusal?.();
      if (refused) throw new Error(`consentry: ${options.suite}: report ${String(code)} was not sent: ${refused}`);
      const report = await take(normalize(code));
      if (!report) {
        throw new ReportNotFoundError(
          `consentry: no pending report with code ${JSON.stringify(code)} (it was sent already, expired after 7 days, or never existed); list them with reports.list()`,
        );
      }
      const eventId = await sendPrepared(report).catch(() => undefined);
      if (eventId === undefined) {
        await putBack(report);
        throw new Error(
          `consentry: report ${report.code} could not be sent (Sentry did not accept it); it is kept, try again later`,
        );
      }
      return eventId;
    },
  };

  return {
    reports,
    ready,
    /** Keeps a new report (newest first, the oldest beyond 50 dropped). Never rejects. */
    async add(report: PendingReport): Promise<void> {
      mirror = fresh([report, ...mirror]);
      try {
        adopt(await write((reports) => [report, ...reports.filter((r) => r.code !== report.code)]));
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
      mirror = [];
      adopt(await write(() => []));
    },
    close: unsubscribe,
  };
}

/** The kept reports in a `<suite>.reports` document: valid, unexpired, newest first, at most MAX_REPORTS. */
export function keptReports(document: StoredDocument | undefined, now = Date.now()): PendingReport[] {
  return readReports(document)
    .filter((report) => isReport(report) && now - report.createdAt < REPORT_TTL_MS)
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(0, MAX_REPORTS);
}

export function reportsKey(suite: string): string {
  return `${suite}.reports`;
}

function normalize(code: string): string {
  return String(code).trim().toUpperCase();
}

function readReports(document: StoredDocument | undefined): PendingReport[] {
  const reports = document?.reports;
  return Array.isArray(reports) ? (reports as PendingReport[]) : [];
}

function isReport(value: unknown): value is PendingReport {
  const report = value as PendingReport;
  return (
    typeof report === 'object' &&
    report !== null &&
    typeof report.code === 'string' &&
    typeof report.module === 'string' &&
    typeof report.createdAt === 'number' &&
    typeof report.event === 'object' &&
    report.event !== null
  );
}

export function summary(report: PendingReport): ReportSummary {
  // Sentry lists a chain innermost cause first: the error thrown is the last one.
  const exception = (report.event as Event).exception?.values?.at(-1);
  const title = exception
    ? `${exception.type ?? 'Error'}: ${exception.value ?? ''}`
    : (report.event.message ?? 'Error');
  return { code: report.code, module: report.module, createdAt: report.createdAt, title: String(title) };
}
