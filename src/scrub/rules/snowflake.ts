import { type Rule, replaceMatches } from './rule.js';
import { digitsOwnedByEscape, endsWithEscape } from './separators.js';

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
const isDigit = (code: number): boolean => code >= 48 && code <= 57;
// Before a '.', these end a name, a call, an index or a path (or an ellipsis): what follows the '.' may be an id.
const MEMBER_BEFORE_DOT = '_$)]}/\\.';

/**
 * Not glued to a word: an encoded separator before the id (%2F, \u0040, \n) counts as a boundary even though it ends
 * in a letter or digit. Digits after the '.' of a number are a fraction (0.30000000000000004), never an id.
 */
function startsAtBoundary(s: string, at: number): boolean {
  if (at === 0) return true;
  const prev = s.charCodeAt(at - 1);
  if (prev === 46) return afterMemberDot(s, at - 1);
  return !isAlnum(prev) || endsWithEscape(s, at);
}

/**
 * A '.' that joins a name to what follows (guild.123…, users/.123…, list[0].123…, …123…) may be followed by an id. One after
 * a digit, at the start, or after a space, sign, operator or opening bracket starts a fraction (0.3…, x = .3…,
 * -.3…, (.3…): snowflakes never follow the '.' of a number.
 */
function afterMemberDot(s: string, dot: number): boolean {
  if (dot === 0) return false;
  const before = s.charCodeAt(dot - 1);
  if (isDigit(before)) return false;
  return isAlnum(before) || MEMBER_BEFORE_DOT.includes(s[dot - 1] as string);
}

/**
 * A BigInt's trailing `n` (as Sentry renders local variables) still counts as a boundary. Digits followed by the '.'
 * of a fraction are the whole part of a decimal number: left alone, so its fraction is read the same way every time.
 */
function endsAtBoundary(s: string, end: number): boolean {
  if (end >= s.length) return true;
  const next = s.charCodeAt(end);
  if (next === 110) return end + 1 >= s.length || !isAlnum(s.charCodeAt(end + 1));
  if (next === 46) return !(end + 1 < s.length && isDigit(s.charCodeAt(end + 1)));
  return !isAlnum(next);
}

/** Discord ids: 17-19 digits, no leading zero, below 2^63, not part of a larger number or word. */
export function snowflakeRule(format: IdFormatter): Rule {
  return {
    name: 'snowflake',
    // 17 digits in a row, tried only where a run of digits starts: inside the joined trigger expression a bare \d{17}
    // is retried at every digit of every number, the costliest part of the scan.
    trigger: '(?<!\\d)\\d{17}',
    minLength: 17,
    apply: (s) =>
      replaceMatches(s, DIGIT_RUN, (match) => {
        const run = match[0];
        const at = match.index;
        // A run that starts inside an escape (%20 or \u0040, then the id): the escape's digits are not the id's.
        const owned = digitsOwnedByEscape(s, at);
        const digits = owned > 0 ? run.slice(owned) : run;
        if (digits.length < 17 || digits.length > 19 || digits.charCodeAt(0) === 48) return run;
        if ((owned === 0 && !startsAtBoundary(s, at)) || !endsAtBoundary(s, at + run.length)) return run;
        const id = BigInt(digits);
        return id > MAX_SNOWFLAKE ? run : run.slice(0, owned) + format(id);
      }),
  };
}
