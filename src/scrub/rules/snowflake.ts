import type { Rule } from './rule.js';

const MAX_SNOWFLAKE = (1n << 63n) - 1n;
// Maximal digit runs; length and boundaries are checked in code, which is faster than a leading lookbehind.
const DIGIT_RUN = /\d{17,}/g;

export type IdFormatter = (id: bigint) => string;

/**
 * The form of the Red-DiscordBot cog consentry follows (so its users recognise it): the last four digits of the
 * id's timestamp (seconds digit + milliseconds), exact with BigInt.
 */
export const shortenId: IdFormatter = (id) => `[SHORTENED-ID-${((id >> 22n) % 10000n).toString().padStart(4, '0')}]`;

const isAlnum = (code: number): boolean =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isHex = (code: number): boolean =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);

/** A percent-encoded separator (%2F) before the id counts as a boundary even though it ends in a letter or digit. */
function startsAtBoundary(s: string, at: number): boolean {
  if (at === 0 || !isAlnum(s.charCodeAt(at - 1))) return true;
  return at >= 3 && s.charCodeAt(at - 3) === 37 && isHex(s.charCodeAt(at - 2)) && isHex(s.charCodeAt(at - 1));
}

/** A BigInt's trailing `n` (as Sentry renders local variables) still counts as a boundary. */
function endsAtBoundary(s: string, end: number): boolean {
  if (end >= s.length) return true;
  const next = s.charCodeAt(end);
  if (next === 110) return end + 1 >= s.length || !isAlnum(s.charCodeAt(end + 1));
  return !isAlnum(next);
}

/** Discord ids: 17-19 digits, no leading zero, below 2^63, not part of a larger number or word. */
export function snowflakeRule(format: IdFormatter): Rule {
  return {
    name: 'snowflake',
    trigger: '\\d{17}',
    apply: (s) =>
      s.replace(DIGIT_RUN, (digits: string, at: number) => {
        if (digits.length > 19 || digits.charCodeAt(0) === 48) return digits;
        if (!startsAtBoundary(s, at) || !endsAtBoundary(s, at + digits.length)) return digits;
        const id = BigInt(digits);
        return id > MAX_SNOWFLAKE ? digits : format(id);
      }),
  };
}
