import { escapeRegExp, type Rule } from './rule.js';
import { boundaryAfter, DOT } from './separators.js';

export const BOT_TOKEN = '[BOT-TOKEN]';
const TOKEN_CHAR = 'A-Za-z0-9_\\-';
// A line break with the indentation around it: where a long token gets wrapped. Real, JSON-escaped once or more
// (\n, \\n when the JSON is itself in a string), as \u000a, or percent-encoded (%0A).
const WRAP = String.raw`(?:[ \t]*(?:\r?\n|(?:\\+r)?\\+n|(?:\\+u000[Dd])?\\+u000[Aa]|(?:%0[Dd])?%0[Aa])[ \t]*)`;
const MAY_WRAP = /\n|\\n|\\u000[Aa]|%0[Aa]/;

/** The literal, with an optional line break between any two of its characters when `wrap` is set. */
function wrappable(literal: string, wrap: string): string {
  return wrap ? [...literal].map(escapeRegExp).join(`${wrap}?`) : escapeRegExp(literal);
}

/**
 * One token's forms, longest first. With a first segment of 8+ characters: the token cut anywhere after
 * `<first>.` (a max-length limit), censored (`<first>.<second>.*****`, discord.js's debug form), with escaped
 * or encoded dots, and wrapped across lines before the secret segment starts. A wrap inside the secret segment
 * keeps its tail (a documented limitation). Otherwise the whole token. Always the secret segment alone.
 */
function tokenForms(token: string, wrap: string): { patterns: string[]; needles: string[]; shortest: number } {
  const parts = token.split('.');
  const first = parts[0] ?? '';
  const second = parts[1] ?? '';
  const secret = parts.length >= 3 ? (parts[parts.length - 1] ?? '') : '';
  const patterns: string[] = [];
  const needles = [escapeRegExp(token)];
  let shortest = token.length;
  if (parts.length >= 2 && first.length >= 8) {
    // Token characters or the stars of a censored segment: whatever follows `<first>.` up to the end is consumed.
    const tail = `[${TOKEN_CHAR}*]*`;
    // After a dot and a line break, only the real next segment (or the censoring stars) continues the token.
    const w = wrap ? `${wrap}?` : '';
    const afterWrap = secret && wrap ? `(?:${wrap}(?=\\*|${escapeRegExp(secret.slice(0, 4))}))?` : '';
    const rest =
      parts.length >= 3
        ? `(?:${w}${wrappable(second, wrap)}(?:${w}${DOT}${afterWrap}${tail}|${tail})|${tail}(?:${DOT}${tail})?)`
        : tail;
    patterns.push(`${wrappable(first, wrap)}${w}${DOT}${rest}`);
    // The first segment alone is public: only where a dot, an escape or a line break may follow it.
    needles.push(`${escapeRegExp(first)}[.\\\\%\\s]`);
    shortest = Math.min(shortest, first.length + 1);
  } else {
    patterns.push(parts.map(escapeRegExp).join(DOT));
  }
  if (secret.length >= 16) {
    // Next to [BOT-TOKEN] (a prefix form it ended) counts as glued, as the text it replaced did.
    patterns.push(
      `(?<!\\[BOT-TOKEN\\])${boundaryAfter(TOKEN_CHAR)}${escapeRegExp(secret)}(?![${TOKEN_CHAR}]|\\[BOT-TOKEN\\])`,
    );
    needles.push(escapeRegExp(secret));
    shortest = Math.min(shortest, secret.length);
  }
  return { patterns, needles, shortest };
}

/**
 * The token as discord.js uses it: a token read from a file or the environment may carry whitespace, a trailing
 * '\r' or quotes, and one passed for a header its 'Bot ' prefix (discord.js strips it too). Its forms are built
 * from this, or a cut or censored form of the bare token would not be recognised.
 */
function bare(token: string): string {
  return token
    .trim()
    .replace(/^["'`]+|["'`]+$/g, '')
    .replace(/^(?:Bot|Bearer)\s+/i, '')
    .trim();
}

/**
 * The configured bot token(s): every full occurrence; any truncated or censored form that starts with the
 * token's first segment and a dot (e.g. cut by a max-length limit); and the secret (last) segment alone.
 * The first segment alone is the base64 of the bot's public user id and is left alone.
 */
export function botTokenRule(tokens: readonly string[]): Rule | undefined {
  const present = [...new Set(tokens.map(bare))].filter(Boolean);
  if (present.length === 0) return undefined;
  const needles = new Set(present.flatMap((token) => tokenForms(token, '').needles));
  const compile = (wrap: string) => {
    // Longest first, so a full token wins over its prefix form.
    const alternatives = present
      .flatMap((token) => tokenForms(token, wrap).patterns)
      .sort((a, b) => b.length - a.length);
    return new RegExp(alternatives.join('|'), 'g');
  };
  const plain = compile('');
  // Only text with a line break (real or escaped) can hold a wrapped token: that larger expression is built when needed.
  let wrapped: RegExp | undefined;
  return {
    name: 'bot-token',
    trigger: [...needles].join('|'),
    // A real token's needles are 25 characters or more: most strings are too short for them.
    minLength: Math.min(...present.map((token) => tokenForms(token, '').shortest)),
    apply: (s) => {
      if (!MAY_WRAP.test(s)) return s.replace(plain, BOT_TOKEN);
      wrapped ??= compile(WRAP);
      return s.replace(wrapped, BOT_TOKEN);
    },
  };
}
