import { dsnFromString, dsnToString } from '@sentry/core';

/** A DSN as Sentry's own parser reads it, and the one string every stage of consentry is given. */
export interface SentryDsn {
  protocol: 'http' | 'https';
  publicKey: string;
  host: string;
  port: string;
  /** Path before the project id (a Sentry behind a path prefix), without slashes at either end; usually ''. */
  path: string;
  projectId: string;
  /** `protocol://publicKey@host[:port]/[path/]projectId`: what the Sentry client, the OTLP endpoint and logs use. */
  dsn: string;
}

export type DsnCheck = { ok: true; value: SentryDsn } | { ok: false; problem: string };

// @sentry/core's DSN_REGEX: tested first, because dsnFromString prints a DSN it cannot read to the console.
const SENTRY_DSN_PATTERN = /^(?:(\w+):)\/\/(?:(\w+)(?::(\w+)?)?@)((?:\[[:.%\w]+\]|[\w.-]+))(?::(\d+))?\/(.+)/;

export const DSN_EXAMPLE = 'https://<key>@o0.ingest.sentry.io/<project>';
export const DSN_FIX = `copy it from your Sentry project's Settings → Client Keys (DSN), e.g. '${DSN_EXAMPLE}'`;

/**
 * The one DSN rule of consentry: Sentry's own parser (`dsnFromString` of `@sentry/core`) plus the checks of its
 * `makeDsn` in debug builds (public key, host, http(s), a project id of digits only), so no later stage (Sentry's
 * client, the OTLP endpoint, the preload) can read a DSN differently. Surrounding whitespace and trailing slashes are
 * removed first (`…/4507/` is read as `…/4507`). Stricter than Sentry in one way: `…/4507abc` is refused, where
 * Sentry would silently send to project 4507.
 */
export function checkDsn(input: unknown): DsnCheck {
  if (typeof input !== 'string') return { ok: false, problem: `must be a string, got ${describe(input)}` };
  const trimmed = input.trim().replace(/\/+$/, '');
  if (trimmed === '') return { ok: false, problem: 'is empty' };
  const parsed = SENTRY_DSN_PATTERN.test(trimmed) ? dsnFromString(trimmed) : undefined;
  if (parsed === undefined) {
    const problem = !/^\w+:\/\//.test(trimmed)
      ? 'is not a URL'
      : !/^\w+:\/\/[^/]*@/.test(trimmed)
        ? 'has no public key (the part before @)'
        : !/^\w+:\/\/[^/]*@[^/]+\/./.test(trimmed)
          ? 'has no project id (the number at the end)'
          : 'is not in the form of a Sentry DSN';
    return { ok: false, problem };
  }
  const { protocol, publicKey, host, port, path } = parsed;
  const lastSegment = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  if (protocol !== 'http' && protocol !== 'https') {
    return { ok: false, problem: `must start with https:// (or http://), not ${protocol}://` };
  }
  if (!publicKey) return { ok: false, problem: 'has no public key (the part before @)' };
  if (!host) return { ok: false, problem: 'has no host' };
  if (!/^\d+$/.test(lastSegment) || parsed.projectId !== lastSegment) {
    return { ok: false, problem: `must end in the numeric project id, not ${JSON.stringify(redactDsn(lastSegment))}` };
  }
  const value = { protocol, publicKey, host, port: port ?? '', path: path ?? '', projectId: lastSegment };
  return { ok: true, value: { ...value, dsn: dsnToString(value) } };
}

/** The DSN (or anything given as one) with its public key hidden, shortened, for a log line. */
export function redactDsn(value: string): string {
  return value
    .replace(/(\/\/)[^@/]*@/, '$1<key>@')
    .replace(/[0-9a-f]{16,}/gi, '<key>')
    .slice(0, 120);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  return `${typeof value} ${String(value)}`;
}
