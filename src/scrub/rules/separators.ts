/**
 * How separators and joints look in the encodings secrets travel in. Percent-encoded text (`%2F`, `%3D`, `%40`)
 * and JSON or JavaScript escapes (`\u0040`, `\n`) end in a letter or a digit, so a rule that wants "not glued to a
 * word" must accept them as a boundary too.
 */

/**
 * The '%' of a percent-encoded byte, at any depth: a URL encoded inside a query string that is encoded again (a
 * redirect target in a logged URL) writes '/' as `%2F`, then `%252F`, then `%25252F`. Every rule that reads `%XX`
 * reads it through this, so no depth of encoding hides a separator.
 */
export const PCT = '%(?:25)*';

/** Lookbehind: the text just before is a percent-encoded byte (at any depth) or an escape sequence. */
export const AFTER_ESCAPE = String.raw`(?<=${PCT}[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|\\[nrtbfv])`;

/** Not preceded by any of `chars` (a character-class body), or (unless `encoded` is false) by an encoded separator. */
export function boundaryAfter(chars: string, encoded = true): string {
  return encoded ? `(?:(?<![${chars}])|${AFTER_ESCAPE})` : `(?<![${chars}])`;
}

/**
 * One pattern compiled twice: for plain text, and with the encoded-separator alternatives for text that holds a '%'
 * or a '\\' (the only text where they can match). Most strings hold neither and get the cheaper expression.
 */
export function plainOrEncoded(source: (encoded: boolean) => string, flags: string): (s: string) => RegExp {
  const plain = new RegExp(source(false), flags);
  const encoded = new RegExp(source(true), flags);
  return (s) => (mayHoldEscapes(s) ? encoded : plain);
}

/** True when the text holds a '%' or a '\\': only then can a percent-encoded or escaped separator be in it. */
export function mayHoldEscapes(s: string): boolean {
  return s.includes('%') || s.includes('\\');
}

/** A slash: plain, JSON- or JavaScript-escaped (`\/`, `\\\/`, `\u002f`, `\x2f`) or percent-encoded (`%2F`, `%252F`). */
export const SLASH = String.raw`(?:\\*\/|\\+(?:u00|x)2[Ff]|${PCT}2[Ff])`;

/** A dot: plain, Markdown-escaped (`\.`, as chat text writes it), escaped (`\u002e`, `\x2e`) or percent-encoded (`%2E`). */
export const DOT = String.raw`(?:\\*\.|\\+(?:u00|x)2[Ee]|${PCT}2[Ee])`;

const HEX = (code: number): boolean =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);

/** The same test as AFTER_ESCAPE, in code, for rules that check boundaries without a regular expression. */
export function endsWithEscape(s: string, at: number): boolean {
  const prev = s.charCodeAt(at - 1);
  if (at >= 3 && HEX(s.charCodeAt(at - 2)) && HEX(prev)) {
    // %XX, or %25XX, %2525XX … (encoded again): walk back over the 25s to the '%'.
    let percent = at - 3;
    while (percent >= 2 && s.charCodeAt(percent) === 53 && s.charCodeAt(percent - 1) === 50) percent -= 2;
    if (s.charCodeAt(percent) === 37) return true;
  }
  if (at >= 2 && s.charCodeAt(at - 2) === 92) {
    // \n \r \t \b \f \v
    return prev === 110 || prev === 114 || prev === 116 || prev === 98 || prev === 102 || prev === 118;
  }
  if (at >= 6 && s.charCodeAt(at - 6) === 92 && s.charCodeAt(at - 5) === 117) {
    return HEX(s.charCodeAt(at - 4)) && HEX(s.charCodeAt(at - 3)) && HEX(s.charCodeAt(at - 2)) && HEX(prev);
  }
  if (at >= 4 && s.charCodeAt(at - 4) === 92 && s.charCodeAt(at - 3) === 120) {
    return HEX(s.charCodeAt(at - 2)) && HEX(prev);
  }
  return false;
}

/**
 * When a run of digits starts inside an escape (`%20` + `1234…`, `%2540` + `1234…`, `\u0040` + `1234…`), how many
 * of its leading digits belong to the escape. 0 when the run does not start inside one.
 */
export function digitsOwnedByEscape(s: string, at: number): number {
  if (at >= 1 && s.charCodeAt(at - 1) === 37) {
    // %25 followed by two more hex characters is a byte encoded again (%2540 is an encoded %40).
    let owned = 2;
    while (s.startsWith('25', at + owned - 2) && HEX(s.charCodeAt(at + owned)) && HEX(s.charCodeAt(at + owned + 1))) {
      owned += 2;
    }
    return owned;
  }
  // Walk back over up to three hex characters to a \u or \x.
  for (let back = 0; back <= 3 && at - back - 2 >= 0; back++) {
    const i = at - back;
    if (s.charCodeAt(i - 2) === 92) {
      const kind = s.charCodeAt(i - 1);
      if (kind === 117 && back < 4) return 4 - back;
      if (kind === 120 && back < 2) return 2 - back;
      return 0;
    }
    if (back < 3 && !HEX(s.charCodeAt(i - 1))) return 0;
  }
  return 0;
}

/**
 * A token written by the rules that run last (ids, personal values). An earlier rule must read it as the word it
 * replaced, so that scrubbing the output again changes nothing: `123456789012345678::1` stays as it was read.
 */
export const LATE_TOKEN = String.raw`(?:\[SHORTENED-ID-\d{4}\]|\[ID-[0-9a-f]{10}\]|\{(?:CWD|HOME|USERPROFILE|USERNAME|COMPUTERNAME)\})`;

/** A token some rule wrote in place of a value (`[Filtered]`, `[BOT-TOKEN]`, `{HOME}`, `IP_V4`): a value that is one stays. */
export const SCRUBBED_TOKEN = String.raw`(?:\[[A-Z][A-Za-z0-9 -]*\]|\{[A-Z]+\}|IP_V[46])`;

/** IP_V4 or IP_V6, written by the address rules that run after the credential rules: not a credential. */
export const IP_TOKEN = 'IP_V[46](?![A-Za-z0-9_])';
