/**
 * The consent level this reporter acts on. Same names and order as the consent model
 * (`off` < `manual` < `errors` < `all`); the suite passes the level it decided.
 */
export type ReportingLevel = 'off' | 'manual' | 'errors' | 'all';

export const REPORTING_LEVELS: readonly ReportingLevel[] = ['off', 'manual', 'errors', 'all'];

export function isReportingLevel(value: unknown): value is ReportingLevel {
  return typeof value === 'string' && (REPORTING_LEVELS as readonly string[]).includes(value);
}

/** True at `errors` and `all`: errors are sent automatically and release health sessions run. */
export function sendsAutomatically(level: ReportingLevel): boolean {
  return level === 'errors' || level === 'all';
}
