import { escapeRegExp, type Rule } from './rule.js';
import { boundaryAfter, DOT } from './separators.js';

export const BOT_TOKEN = '[BOT-TOKEN]';
const TOKEN_CHAR = 'A-Za-z0-9_\\-';
// A line break, real or JSON-escaped, with the indentation around it: where a long token gets wrapped.
const WRAP = String.raw`(?:[ \t]*(?:\r?\n|(?:\\r)?\\n)[ \t]*)`;

/** The literal with an optional line break between any two of its characters. */
function wrappable(literal: string): string {
  return [...literal].map(escapeRegExp).join(`${WRAP}?`);
}

/**
 * One token's forms, longest first. With a first segment of 8+ characters: the token cut anywhere after
 * `<first>.` (a max-length limit), censored (`<first>.<second>.*****`, discord.js's debug form), with escaped
 * or encoded dots, and wrapped across lines before the secret segment starts. A wrap inside the secret segment
 * keeps its tail (a documented limitation). Otherwise the whole token. Always the secret segment alone.
 */
function tokenForms(token: string): { patterns: string[]; needles: string[] } {
  const parts = token.split('.');
  const first = parts[0] ?? '';
  const second = parts[1] ?? '';
  const secret = parts.length >= 3 ? (parts[parts.length - 1] ?? '') : '';
  const patterns: string[] = [];
  const needles = [escapeRegExp(token)];
  if (parts.length >= 2 && first.length >= 8) {
    const tail = `[${TOKEN_CHAR}*]*`;
    // After a dot and a line break, only the real next segment (or the censoring stars) continues the token.
    const afterWrap = secret ? `(?:${WRAP}(?=\\*|${escapeRegExp(secret.slice(0, 4))}))?` : '';
    const rest =
      parts.length >= 3
        ? `(?:${WRAP}?${wrappable(second)}(?:${WRAP}?${DOT}${afterWrap}${tail})?|[${TOKEN_CHAR}]*(?:${DOT}${tail})?)`
        : tail;
    patterns.push(`${wrappable(first)}${WRAP}?${DOT}${rest}`);
    // The first segment alone is public: only where a dot, an escape or a line break may follow it.
    needles.push(`${escapeRegExp(first)}[.\\\\%\\s]`);
  } else {
    patterns.push(parts.map(escapeRegExp).join(DOT));
  }
  if (secret.length >= 16) {
    patterns.push(`${boundaryAfter(TOKEN_CHAR)}${escapeRegExp(secret)}(?![${TOKEN_CHAR}])`);
    needles.push(escapeRegExp(secret));
  }
  return { patterns, needles };
}

/**
 * The configured bot token(s): every full occurrence; any truncated or censored form that starts with the
 * token's first segment and a dot (e.g. cut by a max-length limit); and the secret (last) segment alone.
 * The first segment alone is the base64 of the bot's public user id and is left alone.
 */
export function botTokenRule(tokens: readonly string[]): Rule | undefined {
  const alternatives: string[] = [];
  const needles = new Set<string>();
  for (const token of tokens) {
    if (!token) continue;
    const forms = tokenForms(token);
    alternatives.push(...forms.patterns);
    for (const needle of forms.needles) needles.add(needle);
  }
  if (alternatives.length === 0) return undefined;
  // Longest first, so a full token wins over its prefix form.
  alternatives.sort((a, b) => b.length - a.length);
  const pattern = new RegExp(alternatives.join('|'), 'g');
  return {
    name: 'bot-token',
    trigger: [...needles].join('|'),
    apply: (s) => s.replace(pattern, BOT_TOKEN),
  };
}
