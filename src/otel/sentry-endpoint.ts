import { dsnFromString, SENTRY_API_VERSION } from '@sentry/core';

const DSN_PATTERN = /^(?:(\w+):)\/\/(?:(\w+)(?::(\w+)?)?@)((?:\[[:.%\w]+\]|[\w.-]+))(?::(\d+))?\/(.+)/;

export interface OtlpEndpoint {
  /** The OTLP/HTTP traces URL. */
  url: string;
  /** Headers that authenticate to it. */
  headers: Record<string, string>;
}

/**
 * Sentry's OTLP traces endpoint for a DSN and the `X-Sentry-Auth` header it needs. The same result as
 * `getOtlpTracesEndpoint(dsn)` of `@sentry/node` 11 (which lives in `@sentry/server-utils`, not in
 * `@sentry/core`, and whose import loads every server integration): computed here from `@sentry/core`.
 */
export function sentryOtlpEndpoint(dsn: string): OtlpEndpoint {
  // Checked first with Sentry's own pattern: dsnFromString prints a bad DSN to the console.
  const parsed = typeof dsn === 'string' && DSN_PATTERN.test(dsn) ? dsnFromString(dsn) : undefined;
  if (!parsed) {
    throw new TypeError(
      `dsn is not a valid Sentry DSN (got ${typeof dsn === 'string' ? JSON.stringify(redact(dsn)) : typeof dsn}); ` +
        "copy it from your Sentry project's Settings → Client Keys, e.g. https://<key>@o0.ingest.sentry.io/<project>",
    );
  }
  const { protocol, host, port, path, projectId, publicKey } = parsed;
  return {
    url: `${protocol}://${host}${port ? `:${port}` : ''}${path ? `/${path}` : ''}/api/${projectId}/integration/otlp/v1/traces/`,
    headers: { 'X-Sentry-Auth': `Sentry sentry_version=${SENTRY_API_VERSION}, sentry_key=${publicKey}` },
  };
}

function redact(dsn: string): string {
  return dsn.replace(/\/\/[^@/]*@/, '//…@').slice(0, 200);
}
