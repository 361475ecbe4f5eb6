import type { Rule } from './rule.js';
import { FILTERED, isSecretParam } from './secret-keys.js';
import { AFTER_ESCAPE, SCRUBBED_TOKEN } from './separators.js';

// name= in a query string, a form body or key=value log text, also percent-encoded (%3D) or escaped (\u003d).
// The name is read backwards from the '=', so the scan only stops at '=' signs.
const PARAM = new RegExp(
  String.raw`(?<=(?:(?<![A-Za-z0-9_.\-\\])|${AFTER_ESCAPE})([A-Za-z][A-Za-z0-9_.\-]{0,63}))(?:=|%3[Dd]|\\u003[Dd])`,
  'g',
);
// The value runs to the next separator (& # space quote, or an encoded & #); trailing punctuation is left.
const VALUE =
  /(?:[^\s&#"'<>\\`%]|%(?!2[36])[0-9A-Fa-f]{2}|%(?![0-9A-Fa-f]{2})|\\\/)+?(?=[.,;:!?)\]}]*(?:[\s&#"'<>\\`]|%2[36]|$))/y;
// A value already replaced by a rule that ran before ([BOT-TOKEN], [Filtered], …) stays as it is.
const ALREADY_SCRUBBED = new RegExp(String.raw`${SCRUBBED_TOKEN}(?=[.,;:!?)\]}]*(?:[\s&#"'<>\\\`]|%2[36]|$))`, 'y');

/** The length of the value at `start`: a quoted string's content, or text up to the next separator. */
function valueAt(s: string, start: number): { from: number; to: number } | undefined {
  const quote = s.startsWith('\\"', start) ? '\\"' : s[start] === '"' || s[start] === "'" ? (s[start] as string) : '';
  if (quote) {
    const end = s.indexOf(quote, start + quote.length);
    return end > start + quote.length ? { from: start + quote.length, to: end } : undefined;
  }
  VALUE.lastIndex = start;
  const match = VALUE.exec(s);
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
      if (!isSecretParam(match[1] as string)) continue;
      const start = match.index + match[0].length;
      ALREADY_SCRUBBED.lastIndex = start;
      if (ALREADY_SCRUBBED.test(s)) continue;
      const value = valueAt(s, start);
      if (!value) continue;
      out += s.slice(done, value.from) + FILTERED;
      done = value.to;
      PARAM.lastIndex = done;
    }
    return done === 0 ? s : out + s.slice(done);
  },
};
