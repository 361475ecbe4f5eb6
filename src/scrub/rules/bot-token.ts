import { escapeRegExp, type Rule } from './rule.js';

export const BOT_TOKEN = '[BOT-TOKEN]';
const TOKEN_CHAR = 'A-Za-z0-9_\\-';

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
    alternatives.push(escapeRegExp(token));
    needles.add(token);
    const parts = token.split('.');
    const first = parts[0] ?? '';
    const secret = parts.length >= 3 ? (parts[parts.length - 1] ?? '') : '';
    if (parts.length >= 2 && first.length >= 8) {
      alternatives.push(`${escapeRegExp(first)}\\.[${TOKEN_CHAR}]*(?:\\.[${TOKEN_CHAR}]+)?`);
      needles.add(`${first}.`);
    }
    if (secret.length >= 16) {
      alternatives.push(`(?<![${TOKEN_CHAR}])${escapeRegExp(secret)}(?![${TOKEN_CHAR}])`);
      needles.add(secret);
    }
  }
  if (alternatives.length === 0) return undefined;
  // Longest first, so a full token wins over its prefix form.
  alternatives.sort((a, b) => b.length - a.length);
  const pattern = new RegExp(alternatives.join('|'), 'g');
  return {
    name: 'bot-token',
    trigger: [...needles].map(escapeRegExp).join('|'),
    apply: (s) => s.replace(pattern, BOT_TOKEN),
  };
}
