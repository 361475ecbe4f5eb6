import { randomBytes } from 'node:crypto';
import type { Event } from '@sentry/core';

/** An error kept at level `manual`: the owner may preview it and send it by hand. */
export interface PendingReport {
  /** Short and easy to type: 6 characters of Crockford base32 (no I, L, O, U), e.g. `7K2Q9D`. */
  code: string;
  /** The module it came from (the suite sends it through that module's reporter). */
  module: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** The suite's DSN (from its code), so the report can be sent by `consentry reports send` without the bot. */
  dsn?: string | undefined;
  /** Already scrubbed and allow-listed: exactly the event that `sendPrepared` sends. */
  event: Event;
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REPORT_CODE_LENGTH = 6;
export const REPORT_CODE = /^[0-9A-HJKMNP-TV-Z]{6}$/;

/** A random report code (30 bits: collisions among the few dozen reports a suite keeps are negligible). */
export function newReportCode(): string {
  const bytes = randomBytes(REPORT_CODE_LENGTH);
  let code = '';
  for (const byte of bytes) code += ALPHABET[byte & 31];
  return code;
}
