import { caseless, type Rule, replaceMatches } from './rule.js';
import { boundaryAfter, IP_TOKEN, LATE_TOKEN, PCT } from './separators.js';

export const BASIC_FILTERED = 'Basic [Filtered]';

// An optional "Authorization:" (or "authorization=" or a JSON key) right before, then "Basic" and the credential.
const BASIC = new RegExp(
  String.raw`(authorization(?:[\s"':=,]|${PCT}[0-9A-Fa-f]{2}|\\"){0,8})?${boundaryAfter('A-Za-z0-9_')}basic(?:\s+|${PCT}20|\+)(?!${IP_TOKEN})((?:[A-Za-z0-9+/=]|${PCT}(?:2[BbFf]|3[Dd]))+)`,
  'gi',
);

// Glued to a token a later rule wrote ({HOME}), the credential was longer when first read: read it the same way again.
const LATE_AFTER = new RegExp(LATE_TOKEN, 'y');

/** True when the text is base64 of printable UTF-8 `user:password`, so "Basic usage" in prose is left alone. */
function isUserPassword(credential: string, latin1: boolean): boolean {
  const base64 = credential
    .replace(/%(?:25)*2[Bb]/g, '+')
    .replace(/%(?:25)*2[Ff]/g, '/')
    .replace(/%(?:25)*3[Dd]/g, '=');
  // A password may hold any letter (pässwörd), in UTF-8 (undici, curl) or Latin-1 (older browsers); never a control
  // character, which random base64-looking words decode to.
  const bytes = Buffer.from(base64, 'base64');
  if (!bytes.includes(0x3a)) return false;
  const utf8 = bytes.toString('utf8');
  if (!/[\p{Cc}\ufffd]/u.test(utf8)) return true;
  return latin1 && /^[\x20-\x7e\xa0-\xff]+$/.test(bytes.toString('latin1'));
}

/**
 * How much of the run is the credential: all of it when it decodes to user:password, else the longest start that
 * does and ends before a '/' or '+' (base64 characters that are also punctuation: `Basic dXNlcjpwYXNz/path`). 0: none.
 */
function credentialLength(run: string): number {
  // UTF-8 first: Latin-1 accepts almost any bytes, so it would take the text after a '/' for the credential's end.
  for (const latin1 of [false, true]) {
    if (isUserPassword(run, latin1)) return run.length;
    for (let end = run.length - 1; end >= 4; end--) {
      const char = run[end];
      if ((char === '/' || char === '+') && isUserPassword(run.slice(0, end), latin1)) return end;
    }
  }
  return 0;
}

/** `Authorization: Basic dXNlcjpwYXNz` → `Authorization: Basic [Filtered]`; alone, when it decodes to user:password. */
export const basicAuthRule: Rule = {
  name: 'basic-auth',
  trigger: caseless('basic'),
  // A run that is no credential ("Basic Basic dXNl…", "basic usage") is passed over: a real one may start inside it.
  apply: (s) =>
    replaceMatches(s, BASIC, (match) => {
      const [whole, header, credential = ''] = match;
      return header ? `${header}${BASIC_FILTERED}` : aloneReplacement(s, credential, match.index + whole.length);
    }),
};

/** What a "Basic <run>" with no header before it becomes, or undefined when the run is no credential. */
function aloneReplacement(s: string, credential: string, end: number): string | undefined {
  const length = credentialLength(credential);
  if (length === 0) return undefined;
  if (length < credential.length) return `${BASIC_FILTERED}${credential.slice(length)}`;
  LATE_AFTER.lastIndex = end;
  return LATE_AFTER.test(s) ? undefined : BASIC_FILTERED;
}
