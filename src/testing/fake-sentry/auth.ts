import type { IncomingHttpHeaders } from 'node:http';
import type { EnvelopeHeader, FakeSentryAuth } from './types.js';

/**
 * Where Sentry's ingest looks for the public key: the `X-Sentry-Auth` header
 * (`Sentry sentry_version=7, sentry_key=<key>, …`), the `sentry_key` query parameter,
 * then the `dsn` in the envelope header.
 */
export function findAuth(headers: IncomingHttpHeaders, query: Record<string, string>): FakeSentryAuth {
  const auth: FakeSentryAuth = {};
  const header = firstValue(headers['x-sentry-auth']);
  if (header !== undefined) {
    auth.header = header;
    const key = /(?:^|[\s,])sentry_key=([^,\s]+)/.exec(header.replace(/^Sentry\s+/i, ' '))?.[1];
    if (key !== undefined) auth.publicKey = key;
  }
  if (query.sentry_key !== undefined) {
    auth.queryKey = query.sentry_key;
    auth.publicKey ??= query.sentry_key;
  }
  return auth;
}

export function addEnvelopeDsnKey(auth: FakeSentryAuth, header: EnvelopeHeader): void {
  if (auth.publicKey !== undefined || typeof header.dsn !== 'string') return;
  try {
    const username = new URL(header.dsn).username;
    if (username) auth.publicKey = decodeURIComponent(username);
  } catch {
    // Not a URL: no key from it.
  }
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
