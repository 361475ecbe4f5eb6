import type { Rule } from './rule.js';

const MAX_SNOWFLAKE = (1n << 63n) - 1n;

// 17-19 digits, no leading zero, not part of a larger number or word. A percent-encoded separator (%2F) before
// it counts as a boundary, and so does a BigInt's trailing `n` (as Sentry renders local variables).
const PATTERN = /(?:(?<=%[0-9A-Fa-f]{2})|(?<![0-9A-Za-z]))[1-9]\d{16,18}(?![0-9A-Za-mo-z]|n[0-9A-Za-z])/g;
const GATE = /\d{17}/;

export type IdFormatter = (id: bigint) => string;

/** The seed's form: the last four digits of the id's timestamp (seconds digit + milliseconds), exact with BigInt. */
export const shortenId: IdFormatter = (id) => `[SHORTENED-ID-${((id >> 22n) % 10000n).toString().padStart(4, '0')}]`;

export function snowflakeRule(format: IdFormatter): Rule {
  return {
    name: 'snowflake',
    mayMatch: (s) => GATE.test(s),
    apply: (s) =>
      s.replace(PATTERN, (digits) => {
        const id = BigInt(digits);
        return id > MAX_SNOWFLAKE ? digits : format(id);
      }),
  };
}
