/**
 * Span attributes Sentry's ingest reads (getsentry/sentry-conventions; Relay maps span attributes, not the
 * resource): what kind of work a span is, and the release, environment and user of the module's error events.
 * `user.id` and `session.id` are OpenTelemetry's names, which Sentry's conventions share.
 */
export const SENTRY_OP = 'sentry.op';
export const SENTRY_RELEASE = 'sentry.release';
export const SENTRY_ENVIRONMENT = 'sentry.environment';
export const USER_ID = 'user.id';
export const SESSION_ID = 'session.id';

/** `sentry.op` of each kind of span we make. HTTP requests keep Sentry's own `http.client`. */
export const SENTRY_OPS = {
  task: 'task',
  loop: 'loop',
  migration: 'migration',
  /** A child span of a run (`mod.span()`). */
  child: 'function',
  http: 'http.client',
} as const;

/**
 * What a child span takes from its parent when it was not given it: the module's release, environment, user and
 * session, and the `consentry.*` names of the module (e.g. for the HTTP spans of process mode).
 */
export const INHERITED_ATTRIBUTES: readonly string[] = [
  SENTRY_RELEASE,
  SENTRY_ENVIRONMENT,
  USER_ID,
  SESSION_ID,
  'consentry.suite',
  'consentry.module',
  'consentry.version',
];
