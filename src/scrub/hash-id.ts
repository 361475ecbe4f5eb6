import { createHmac } from 'node:crypto';
import type { IdFormatter } from './rules/index.js';

/** `[ID-xxxxxxxxxx]`: the first 10 hex digits of HMAC-SHA256(salt, id). Stable per install, useless without the salt. */
export function hashId(salt: string): IdFormatter {
  return (id) => `[ID-${createHmac('sha256', salt).update(id.toString()).digest('hex').slice(0, 10)}]`;
}
