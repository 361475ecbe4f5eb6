import type { Rule } from './rule.js';
import { FILTERED, isSecretParam } from './secret-keys.js';
import { AFTER_ESCAPE, IP_TOKEN, PCT, SCRUBBED_TOKEN } from './separators.js';

// name= in a query string, a form body or key=value log text, also percent-encoded (%3D) or escaped (\u003d).
// A name may carry bracketed parts, as PHP, Rails and qs write nested fields (user[password]=, also %5B…%5D).
// The name is read backwards from the '=', so the scan only stops at '=' signs.
const WORD = '[A-Za-z0-9_.\\-]{0,63}';
const NAME = `[A-Za-z]${WORD}(?:(?:\\[|${PCT}5[Bb])${WORD}(?:\\]|${PCT}5[Dd])){0,4}`;
const PARAM = new RegExp(
  String.raw`(?<=(?:(?<![A-Za-z0-9_.\-\\])|${AFTER_ESCAPE})(${NAME}))(?:=|${PCT}3[Dd]|\\u003[Dd])`,
  'g',
);
// An encoded bracket of a name, read as the bracket.
const ENCODED_BRACKET = /%(?:25)*5[BbDd]/g;
const AFTER_IP_TOKEN = new RegExp(`^${IP_TOKEN}`);
const NOT_A_SECRET = /^(?:true|false|null|undefined)$/;
// The value runs to the next separator (& # space quote); trailing punctuation is left. After an encoded '='
// (%3D, a query string inside another one) the encoded & and # of that depth separate too (%26, %23; %2526 after
// %253D); an encoded & or # deeper than the '=' is part of the value (?password=p%26ss%23w is one password).
const VALUES: RegExp[] = [];
const SCRUBBED: RegExp[] = [];
function valuePattern(depth: number): RegExp {
  let pattern = VALUES[depth];
  if (!pattern) {
    const separator = depth === 0 ? '(?!)' : `%(?:25){0,${depth - 1}}2[36]`;
    // A backslash ends it, unless it escapes a slash (JSON) or Markdown punctuation (`discord\.gg`): part of a URL.
    const end = String.raw`(?=[.,;:!?)\]}]*(?:[\s&#"'<>\`]|\\(?![\/._*~|-])|${separator}|$))`;
    pattern = new RegExp(
      String.raw`(?:[^\s&#"'<>\\\`%]|%(?!${separator})[0-9A-Fa-f]{2}|%(?![0-9A-Fa-f]{2})|\\[\/._*~|-])+?${end}`,
      'y',
    );
    VALUES[depth] = pattern;
    // A value already replaced by a rule that ran before ([BOT-TOKEN], [Filtered], …) stays as it is.
    SCRUBBED[depth] = new RegExp(`${SCRUBBED_TOKEN}${end}`, 'y');
  }
  return pattern;
}

function alreadyScrubbed(s: string, start: number, depth: number): boolean {
  valuePattern(depth);
  const pattern = SCRUBBED[depth] as RegExp;
  pattern.lastIndex = start;
  return pattern.test(s);
}

/** The length of the value at `start`: a quoted string's content, or text up to the next separator. */
function valueAt(s: string, start: number, depth: number): { from: number; to: number } | undefined {
  const quote = s.startsWith('\\"', start) ? '\\"' : s[start] === '"' || s[start] === "'" ? (s[start] as string) : '';
  if (quote) {
    const end = s.indexOf(quote, start + quote.length);
    return end > start + quote.length ? { from: start + quote.length, to: end } : undefined;
  }
  const pattern = valuePattern(depth);
  pattern.lastIndex = start;
  const match = pattern.exec(s);
  return match ? { from: start, to: start + match[0].length } : undefined;
}

/** Values of parameters whose names say secret (`?token=…`, `password=…`, `api_key%3D…`) → `[Filtered]`. */
export const secretParamRule: Rule = {
  name: 'secret-param',
  chars: '=%\\',
  apply: (s) => {
    let out = '';
    let done = 0;
    PARAM.lastIndex = 0;
    for (let match = PARAM.exec(s); match; match = PARAM.exec(s)) {
      const name = match[1] as string;
      // IP_V4.x, IP_V4[x] were an address and a name (203.0.113.5.x), which cannot start with a digit: read them the
      // same way again.
      if (AFTER_IP_TOKEN.test(name)) continue;
      if (!isSecretParam(name.includes('%') ? name.replace(ENCODED_BRACKET, '.') : name)) continue;
      const start = match.index + match[0].length;
      const equals = match[0];
      // '=' is depth 0, %3D depth 1, %253D depth 2, …
      const depth = equals.startsWith('%') ? Math.min((equals.length - 1) / 2, 8) : 0;
      if (alreadyScrubbed(s, start, depth)) continue;
      const value = valueAt(s, start, depth);
      // pin=true, auth=false, token=null: a flag or nothing, not a secret (as for object values).
      if (!value || NOT_A_SECRET.test(s.slice(value.from, value.to))) continue;
      out += s.slice(done, value.from) + FILTERED;
      done = value.to;
      PARAM.lastIndex = done;
    }
    return done === 0 ? s : out + s.slice(done);
  },
};
