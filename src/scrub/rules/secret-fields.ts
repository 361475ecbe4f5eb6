import { caseless, type Rule } from './rule.js';
import { FILTERED, isSecretKey, SECRET_KEY_WORDS as WORDS } from './secret-keys.js';
import { endsWithEscape, SCRUBBED_TOKEN } from './separators.js';

// A field written as text inside a string: JSON (`"password":"x"`, escaped `{\"token\":\"x\"}`), util.inspect or
// JavaScript (`{ password: 'x' }`), an HTTP header line (`X-Api-Key: x`) or YAML and log text (`password: x`).
// Names are judged by isSecretKey, as for real object keys, and not by the terser isSecretParam: after a colon,
// `code: 404`, `key: guildId` and `session: 3` are status codes, prose and counters far more often than secrets.
const NAME_CHAR = /[A-Za-z0-9_-]/;
const MAX_NAME = 64;

// From a secret word to the colon: the rest of the name, a closing quote, the colon. The name's start is read
// backwards from the word (fieldAt), so the scan only stops at the words.
const FIELD = new RegExp(
  String.raw`((?:${WORDS.join('|')})[A-Za-z0-9_-]{0,${MAX_NAME}})(\\*["'])?([ \t]*)(?::|(?<=["'][ \t]*)=>)([ \t]*)`,
  'gi',
);
// Before a bare name: not glued to a word or an escape's backslash (the last part of a dotted or slashed name is a
// name: `db.password: x`); a colon and a space or tab must follow it (so `auth.js:12:3` is no field).
const GLUED = /[\\@$]/;
// The necessary condition: a key's closing quote or a colon and a space, then (read backwards) a secret word in the
// name before it. Starting at the rarer quote or colon costs half of what starting at the words' first letters (s, t,
// a, p, …, frequent in any text) did. The joined gate takes only its first part: a lookbehind in the joined
// expression slows its scan of every string more than the family test it saves on the few with ': ' in them.
const BEFORE_COLON = `(?:${WORDS.map(caseless).join('|')})[A-Za-z0-9_-]{0,${MAX_NAME}}`;
// `'password' => 'x'`: util.inspect of a Map writes its entries so.
const GATE = String.raw`["'][ \t]*(?::|=>)|:[ \t]`;
const TRIGGER = String.raw`(?:["'][ \t]*(?::|=>)(?<=${BEFORE_COLON}\\*["'][ \t]*(?::|=>))|:[ \t](?<=${BEFORE_COLON}:[ \t]))`;

const ERROR_NAME = /(?:Error|Exception|Warning)$/;
// Headers whose values hold spaces and ';' by their grammar: the value is always the rest of the line.
const WHOLE_LINE_NAME = /authorization|cookie/i;
// An authentication scheme's word: its credentials follow it (`Token abc`, `Digest u="x", response="…"`), so a
// value that starts with one is the rest of the line wherever the field is.
const SCHEME_WORD =
  /^(?:basic|bearer|digest|token|bot|key|apikey|negotiate|ntlm|hoba|mutual|dpop|mac|hawk|aws4-hmac-sha256)$/i;
const QUOTE = /\\*["'`]/y;
// A bare value inline (`{ pin: 1234, user: 'bob' }`): up to a space, a separator, a quote, a bracket or an escape.
const WORD = /[^\s,;"'`(){}[\]<>\\]+/y;
const TRAILING_PUNCTUATION = /[.:!?]+$/;
const NOT_SECRET = new Set(['null', 'true', 'false', 'undefined', 'NaN']);
// A value a rule already replaced, maybe after its scheme word (`Bearer [Filtered]`, `Bot [BOT-TOKEN]`), stays.
const SCRUBBED = new RegExp(`^(?:[A-Za-z]+ )?${SCRUBBED_TOKEN}$`);

interface Span {
  from: number;
  to: number;
}

function backslashesBefore(s: string, at: number): number {
  let count = 0;
  while (s.charCodeAt(at - 1 - count) === 92) count++;
  return count;
}

// Quotes and line breaks at a depth of JSON in JSON. A string at depth n opens with a quote after 2^n - 1 = `open`
// backslashes; within it, a quote or an escaped line break (\n) that belongs to depth n has `open` or `open + 1`
// backslashes modulo 2^(n+1); other counts are escapes of a deeper string, or a backslash before an 'n'.
const closes = (s: string, at: number, open: number) => backslashesBefore(s, at) % (2 * (open + 1)) === open;
const breaksLine = (s: string, at: number, open: number) =>
  (s[at] === 'n' || s[at] === 'r') && backslashesBefore(s, at) % (2 * (open + 1)) === open + 1;

/** The end of a quoted value opened by `quote` (a quote character after `open` backslashes); unclosed, the end. */
function closingQuote(s: string, from: number, quote: string, open: number): number {
  for (let at = s.indexOf(quote, from); at !== -1; at = s.indexOf(quote, at + 1)) {
    if (closes(s, at, open)) return at - open;
  }
  return s.length;
}

/**
 * Whether a bare key at `at` begins a line: after a line break or at the start of the string ('' is returned), or
 * at the start of a quoted string or after an escaped line break (the quote that ends that string is returned).
 */
function lineStart(s: string, at: number): string | undefined {
  let i = at;
  while (i > 0 && (s[i - 1] === ' ' || s[i - 1] === '\t')) i--;
  const before = s[i - 1];
  if (i === 0 || before === '\n' || before === '\r') return '';
  // After an escaped line break (\n; \\n in JSON in JSON), inside a JSON string that its closing quote ends.
  const escapes = (before === 'n' || before === 'r') && backslashesBefore(s, i - 1);
  if (escapes) return `${'\\'.repeat(escapes - 1)}"`;
  if (before !== '"' && before !== "'") return undefined;
  return s.slice(i - 1 - backslashesBefore(s, i - 1), i);
}

/**
 * The rest of the line from `from`: to a line break, also an escaped one, or, when the line is inside a quoted string
 * opened by `opener`, to its closing quote. Trailing spaces and a trailing comma stay.
 */
function restOfLine(s: string, from: number, opener: string): Span {
  const quote = opener.slice(-1);
  const open = Math.max(opener.length - 1, 0);
  let to = from;
  while (to < s.length) {
    const c = s[to];
    if (c === '\n' || c === '\r') break;
    if (breaksLine(s, to, open)) {
      to -= open + 1;
      break;
    }
    if (quote && c === quote && closes(s, to, open)) {
      to -= open;
      break;
    }
    to++;
  }
  while (to > from && (s[to - 1] === ' ' || s[to - 1] === '\t' || s[to - 1] === ',')) to--;
  return { from, to };
}

/**
 * An array or object value (`"tokens": ["a", "b"]`, `password: [ 'x' ]`, `cookies: [{ … }]`): to its closing bracket,
 * across lines as util.inspect writes them; unclosed, to the end of the line.
 */
function bracketedAt(s: string, from: number): Span | undefined {
  const open = s[from];
  if (open !== '[' && open !== '{') return undefined;
  let depth = 0;
  for (let at = from; at < s.length; at++) {
    const c = s[at];
    if (c === '[' || c === '{') depth++;
    else if ((c === ']' || c === '}') && --depth === 0) return { from, to: at + 1 };
  }
  return restOfLine(s, from, '');
}

function wordAt(s: string, from: number): Span | undefined {
  WORD.lastIndex = from;
  const word = WORD.exec(s)?.[0].replace(TRAILING_PUNCTUATION, '');
  return word ? { from, to: from + word.length } : undefined;
}

interface Field {
  /** Where the name starts. */
  at: number;
  name: string;
  /** The quote before the name (with its backslashes), '' for a bare name. */
  quote: string;
  /** Where the value may start: after the colon and the spaces after it. */
  value: number;
}

/** The field whose name holds the secret word that `match` starts at, if that is a field's name. */
function fieldAt(s: string, match: RegExpExecArray): Field | undefined {
  const [text, rest = '', closeQuote = '', spaceBefore, spaceAfter] = match;
  const end = match.index + rest.length;
  let start = match.index;
  while (start > 0 && match.index - start < MAX_NAME && NAME_CHAR.test(s[start - 1] as string)) start--;
  // The name starts where its run of name characters does, or right after an escape in it (`\nX-Api-Key: …`).
  let at = start;
  const bounded = (p: number) => {
    const before = s[p - 1] ?? '';
    return p === 0 || endsWithEscape(s, p) || (!NAME_CHAR.test(before) && !GLUED.test(before));
  };
  while (at <= match.index && !bounded(at)) at++;
  if (at > match.index) return undefined;
  const before = s[at - 1] ?? '';
  const quote = before === '"' || before === "'" ? s.slice(at - 1 - backslashesBefore(s, at - 1), at) : '';
  const value = match.index + text.length;
  const name = s.slice(at, end);
  if (closeQuote) return quote === closeQuote ? { at, name, quote, value } : undefined;
  // `JsonWebTokenError: jwt malformed`, `AuthException: …`: an error's name and its message, not a field.
  if (ERROR_NAME.test(name)) return undefined;
  // A bare name is followed by ': ' (YAML, headers, util.inspect); only a quoted one may have spaces before.
  return !spaceBefore && spaceAfter ? { at, name, quote: '', value } : undefined;
}

/** The value after the field's colon: a quoted string's content, the rest of a line, or one word. */
function valueAt(s: string, { at, name, quote: keyQuote, value: from }: Field): Span | undefined {
  QUOTE.lastIndex = from;
  const quote = QUOTE.exec(s)?.[0];
  if (quote) {
    const start = from + quote.length;
    return { from: start, to: closingQuote(s, start, quote.slice(-1), quote.length - 1) };
  }
  const list = bracketedAt(s, from);
  if (list) return list;
  WORD.lastIndex = from;
  const first = WORD.exec(s)?.[0] ?? '';
  if (NOT_SECRET.has(first)) return undefined;
  const line = keyQuote ? undefined : lineStart(s, at);
  // Mid-line, a whole-line value still ends at a double quote: the end of the JSON string it may be in.
  if (WHOLE_LINE_NAME.test(name) || (SCHEME_WORD.test(first) && s[from + first.length] === ' ')) {
    return restOfLine(s, from, keyQuote || (line ?? '"'));
  }
  return line === undefined ? wordAt(s, from) : restOfLine(s, from, line);
}

/** Values after secret-named keys written as text (`"password":"x"`, `token: 'x'`, `X-Api-Key: x`) → `[Filtered]`. */
export const secretFieldRule: Rule = {
  name: 'secret-field',
  trigger: TRIGGER,
  gate: GATE,
  apply: (s) => {
    let out = '';
    let done = 0;
    FIELD.lastIndex = 0;
    for (let match = FIELD.exec(s); match; match = FIELD.exec(s)) {
      const field = fieldAt(s, match);
      if (!field || field.at < done || !isSecretKey(field.name)) continue;
      const value = valueAt(s, field);
      if (!value || value.to <= value.from || SCRUBBED.test(s.slice(value.from, value.to))) continue;
      out += s.slice(done, value.from) + FILTERED;
      done = value.to;
      FIELD.lastIndex = Math.max(done, FIELD.lastIndex);
    }
    return done === 0 ? s : out + s.slice(done);
  },
};
