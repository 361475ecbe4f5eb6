import { caseless, type Rule, replaceMatches } from './rule.js';
import { boundaryAfter, DOT, IP_TOKEN, PCT, SLASH } from './separators.js';

export const WEBHOOK_TOKEN = '[WEBHOOK-TOKEN]';
export const INTERACTION_TOKEN = '[INTERACTION-TOKEN]';
export const DISCORD_TOKEN = '[DISCORD-TOKEN]';
export const BEARER_FILTERED = 'Bearer [Filtered]';

const TOKEN_CHARS = '[A-Za-z0-9_-]';
// Interaction tokens are base64 of "interaction:<id>:<secret>", so they always start with this prefix.
const INTERACTION_PREFIX = 'aW50ZXJhY3Rpb246';

const INTERACTION = new RegExp(`${INTERACTION_PREFIX}${TOKEN_CHARS}{16,}`, 'g');
// webhooks/<id>/<token>: the id is left to the snowflake rule, the token goes.
const WEBHOOK = new RegExp(`(webhooks${SLASH}\\d{17,20}${SLASH})${TOKEN_CHARS}{40,}`, 'g');
// <base64 of a user id>.<timestamp>.<hmac>; the first segment decodes to 17-20 digits (checked below).
const USER_TOKEN = new RegExp(
  `${boundaryAfter('A-Za-z0-9_-')}([MNO]${TOKEN_CHARS}{22,30})${DOT}${TOKEN_CHARS}{6}${DOT}${TOKEN_CHARS}{25,}(?![A-Za-z0-9_-])`,
  'g',
);
const MFA_TOKEN = new RegExp(`${boundaryAfter('A-Za-z0-9_-')}mfa${DOT}[A-Za-z0-9_-]{60,}`, 'g');
// The scheme word, then a space (or its encodings), then the credential (base64url, base64 or percent-encoded base64).
const BEARER = new RegExp(
  `${boundaryAfter('A-Za-z0-9_')}bearer(?:\\s+|${PCT}20|\\+)(?!${IP_TOKEN})(?:[A-Za-z0-9._~+/=-]|${PCT}(?:2[BbFf]|3[Dd]))+`,
  'gi',
);

function firstSegmentIsUserId(segment: string): boolean {
  try {
    return /^\d{17,20}$/.test(Buffer.from(segment, 'base64').toString('latin1'));
  } catch {
    return false;
  }
}

/** Credentials beyond the bot's own token: webhook, interaction, other Discord tokens and Bearer tokens. */
export const credentialRules: readonly Rule[] = [
  {
    name: 'interaction-token',
    trigger: INTERACTION_PREFIX,
    apply: (s) => s.replace(INTERACTION, INTERACTION_TOKEN),
  },
  {
    name: 'webhook-token',
    trigger: 'webhooks',
    apply: (s) => s.replace(WEBHOOK, `$1${WEBHOOK_TOKEN}`),
  },
  {
    name: 'discord-token',
    // The six-character timestamp segment between two dots (or escaped dots), present in every user token.
    trigger: 'mfa|\\.[A-Za-z0-9_-]{6}\\.',
    chars: '%\\',
    // A run whose first segment is no user id is passed over: a real token may start after one of its dots.
    apply: (s) =>
      replaceMatches(s, USER_TOKEN, ([, first = '']) =>
        firstSegmentIsUserId(first) ? DISCORD_TOKEN : undefined,
      ).replace(MFA_TOKEN, DISCORD_TOKEN),
  },
  {
    name: 'bearer',
    trigger: caseless('bearer'),
    apply: (s) => s.replace(BEARER, BEARER_FILTERED),
  },
];
