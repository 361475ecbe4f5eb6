/** The Sentry DSN rule every stage shares: checked once in createTelemetry (and the preload), then only canonical. */
export { checkDsn, DSN_EXAMPLE, DSN_FIX, type DsnCheck, redactDsn, type SentryDsn } from './check-dsn.js';
