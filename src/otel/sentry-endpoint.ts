import { SENTRY_API_VERSION } from '@sentry/core';
import { checkDsn, DSN_FIX, redactDsn } from '../dsn/index.js';
import { ConsentryConfigError } from '../errors/index.js';

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
  const checked = checkDsn(dsn);
  if (!checked.ok) {
    throw new ConsentryConfigError(
      'dsn',
      `dsn is not a valid Sentry DSN: it ${checked.problem}${typeof dsn === 'string' ? ` (got ${JSON.stringify(redactDsn(dsn))})` : ''}; ${DSN_FIX}`,
    );
  }
  const { protocol, host, port, path, projectId, publicKey } = checked.value;
  return {
    url: `${protocol}://${host}${port ? `:${port}` : ''}${path ? `/${path}` : ''}/api/${projectId}/integration/otlp/v1/traces/`,
    headers: { 'X-Sentry-Auth': `Sentry sentry_version=${SENTRY_API_VERSION}, sentry_key=${publicKey}` },
  };
}
