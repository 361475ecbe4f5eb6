import { showValue } from '../log/index.js';

/** From least to most: `off` sends nothing; `manual` only what the owner sends by hand; `errors` adds automatic error
 * reports and release-health sessions; `all` adds background-task performance. */
export const CONSENT_LEVELS = ['off', 'manual', 'errors', 'all'] as const;

export type ConsentLevel = (typeof CONSENT_LEVELS)[number];

export function isConsentLevel(value: unknown): value is ConsentLevel {
  return typeof value === 'string' && (CONSENT_LEVELS as readonly string[]).includes(value);
}

/** True at `errors` and `all`: errors are sent automatically and release health sessions run. */
export function sendsAutomatically(level: ConsentLevel): boolean {
  return level === 'errors' || level === 'all';
}

export function levelProblem(value: unknown): string {
  return `must be one of ${CONSENT_LEVELS.map((level) => `'${level}'`).join(', ')}; got ${showValue(value)}`;
}
