import type { PendingReport } from '../sentry/index.js';
import type { StoredDocument } from '../store/index.js';

export const MAX_REPORTS = 50;
export const REPORT_TTL_MS = 7 * 24 * 60 * 60 * 1000;

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

export function readReports(document: StoredDocument | undefined): PendingReport[] {
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
