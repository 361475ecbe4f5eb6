import { type Rule, replaceMatches } from './rule.js';
import { AFTER_ESCAPE, boundaryAfter, LATE_TOKEN, mayHoldEscapes, PCT, plainOrEncoded } from './separators.js';

export const IPV4_TOKEN = 'IP_V4';
export const IPV6_TOKEN = 'IP_V6';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
// "version 1.2.3.4", "version=1.2.3.4", also percent-encoded: a version number, not an address.
const VERSION_WORD = `(?:[Vv]ersion|VERSION)(?:[\\s:=]|${PCT}(?:3[AaDd]|20)){1,3}`;
const H16 = '[0-9A-Fa-f]{1,4}';
const LS32 = `(?:${H16}:${H16}|${IPV4})`;
// RFC 4291 section 2.2 grammar (the same alternatives as RFC 3986's IPv6address).
const IPV6 = [
  `(?:${H16}:){6}${LS32}`,
  `::(?:${H16}:){5}${LS32}`,
  `(?:${H16})?::(?:${H16}:){4}${LS32}`,
  `(?:(?:${H16}:){0,1}${H16})?::(?:${H16}:){3}${LS32}`,
  `(?:(?:${H16}:){0,2}${H16})?::(?:${H16}:){2}${LS32}`,
  `(?:(?:${H16}:){0,3}${H16})?::${H16}:${LS32}`,
  `(?:(?:${H16}:){0,4}${H16})?::${LS32}`,
  `(?:(?:${H16}:){0,5}${H16})?::${H16}`,
  `(?:(?:${H16}:){0,6}${H16})?::`,
].join('|');
// A zone id (%eth0, %25eth0 in a URL, %12); a percent-encoded separator right after the address (%5D, %2F, and
// %255D, %252F when encoded again) is not one.
const ZONE = '(?:%(?!(?!25)[0-9A-Fa-f]{2}|(?:25)+[2-7][0-9A-Fa-f])[0-9A-Za-z_.~]+)?';
const NOT_LOOPBACK_DIGIT = /[2-9a-eA-E]/;
// A word with a letter that is not a hex digit, then a colon: "ip:", "addr:", "ipv6:", also the last part of a dotted
// key ("client.ip:", "net.peer.ip:") may be glued to an address (not our own IP_V4 token, whose address was not a label).
const LABEL_COLON = '(?<=(?<![0-9A-Za-z_:])[0-9A-Za-z_]{0,30}[G-Zg-z_][0-9A-Za-z_]{0,30}:)(?<!IP_V[46]:)';
// A time glued to the address by a colon ("12:30:45:2001:db8::1", "T11:24:32Z:…"): it ends where the address starts.
const TIME_COLON = '(?<=(?<![0-9:.])\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?Z?:)';
// The engine tries every position: the cheapest tests come first. Not after a word character (one character back,
// rejects most positions), then the shape every address starts with (at most four hex digits and a colon), then the
// costlier lookbehinds. In encoded text an escape may also come right before the address.
const HEX_THEN_COLON = '(?=[0-9A-Fa-f]{0,4}:)';
const v6Start = (encoded: boolean) =>
  encoded
    ? `${HEX_THEN_COLON}(?:(?<![0-9A-Za-z_.%])(?:(?<!:)|${LABEL_COLON}|${TIME_COLON})|${AFTER_ESCAPE})(?<!${LATE_TOKEN})`
    : `(?<![0-9A-Za-z_.%])${HEX_THEN_COLON}(?:(?<!:)|${LABEL_COLON}|${TIME_COLON})(?<!${LATE_TOKEN})`;
// Not inside a percent-encoded byte (%20 then 1.2.3.4 is not 201.2.3.4). A token a later rule writes counts as a word.
// Not glued to a word, a number, a dotted run (OIDs, versions) or another colon group (Foo::bar, 12:30:45); a colon
// that ends a clause ("peer 2001:db8::1: reset") is fine.
const V6_END = `(?![0-9A-Za-z_]|\\.\\d|:[0-9A-Za-z_:]|[:.]?${LATE_TOKEN})`;

// The address, then a port: after eight groups (the most an address has) a ':digits' is a port and is kept; after a
// compressed address it is ambiguous, so the whole run goes.
// Eight groups are a whole address whatever follows them: a colon after them ("…:7d10:443: timeout",
// "…:7d10::", "…:7d10:tcp") cannot make them code or a time. A run of more than eight groups is read whole: the
// address may be its last eight groups (a time before it: "12:30:45:2a02:…:7d10"). One decimal group after the
// eighth is a port and stays; any longer run goes whole.
const FULL = `(?:${H16}:){7}${H16}`;
const FULL_END = `(?![0-9A-Za-z_]|\\.\\d|[:.]?${LATE_TOKEN})`;
const ONE_PORT = /^:\d{1,5}$/;
const v6Source = (encoded: boolean) =>
  `${v6Start(encoded)}(?:${FULL}((?::${H16})*)${ZONE}(:\\d{1,5})?${FULL_END}|(?:${IPV6})${ZONE}((?::\\d{1,5})+)?${V6_END})`;
// Sticky: tried only where an address can start (see addressesFromColons).
const V6_PLAIN = new RegExp(v6Source(false), 'y');
const V6_ENCODED = new RegExp(v6Source(true), 'y');

/** The IPv6 pattern as a plain global expression, which the colon-led search must match exactly (for tests). */
export function ipv6ReferencePattern(s: string): RegExp {
  return new RegExp(v6Source(mayHoldEscapes(s)), 'g');
}
const v4Pattern = plainOrEncoded(
  // Not glued to a word by '_' either: `build_1.0.0.1` is a version, and a name read around an address would change
  // once the address is replaced (secret_IP_V4: …), so scrubbing again would not give the same text.
  // As for IPv6, cheapest first: in plain text the one-character lookbehind, then the shape every address starts with.
  (encoded) =>
    encoded
      ? `(?=\\d{1,3}\\.\\d)${boundaryAfter('0-9A-Za-z_.%')}(?<!${VERSION_WORD})${IPV4}(?![0-9A-Za-z_]|\\.\\d)`
      : `(?<![0-9A-Za-z_.%])(?=\\d{1,3}\\.\\d)(?<!${VERSION_WORD})${IPV4}(?![0-9A-Za-z_]|\\.\\d)`,
  'g',
);

export function isLoopbackOrUnspecifiedV4(ip: string): boolean {
  return ip.startsWith('127.') || ip === '0.0.0.0';
}

/** True for ::1 and :: in any spelling, and for IPv4-mapped loopback (::ffff:127.x.x.x). */
export function isLoopbackOrUnspecifiedV6(ip: string): boolean {
  const zone = ip.indexOf('%');
  const spelled = zone < 0 ? ip : ip.slice(0, zone);
  // Fast no, before any copy: without an embedded IPv4 part, loopback and unspecified are spelled with 0, 1 and colons.
  if (!spelled.includes('.') && NOT_LOOPBACK_DIGIT.test(spelled)) return false;
  const address = spelled.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped?.[1]) return isLoopbackOrUnspecifiedV4(mapped[1]);
  const groups = expandV6(address);
  if (!groups) return false;
  return groups.slice(0, 7).every((g) => g === 0) && (groups[7] === 0 || groups[7] === 1);
}

function expandV6(address: string): number[] | undefined {
  if (address.includes('.')) return undefined;
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => Number.parseInt(g, 16));
}

const isHex = (code: number): boolean =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);

/**
 * `s.replace` with the IPv6 pattern, but the engine is not sent over every character: an address starts at most four
 * hex digits before its first colon, so only those positions are tried, colon by colon (found with `indexOf`, which
 * is far faster than the pattern's own scan). Tried left to right, these are exactly the positions where the global
 * pattern could match, so the matches are the same. In plain text the start must not follow a word character, which
 * leaves one position per colon: the start of the hex digits before it; after an escape (%5B, \u0040) any of them.
 */
function addressesFromColons(s: string, replacer: (match: RegExpExecArray) => string): string {
  const encoded = mayHoldEscapes(s);
  const pattern = encoded ? V6_ENCODED : V6_PLAIN;
  let out = '';
  let done = 0;
  let colon = s.indexOf(':');
  while (colon !== -1) {
    let start = colon;
    while (start > done && colon - start < 4 && isHex(s.charCodeAt(start - 1))) start--;
    let match: RegExpExecArray | null = null;
    for (let at = start; at <= (encoded ? colon : start) && match === null; at++) {
      pattern.lastIndex = at;
      match = pattern.exec(s);
    }
    if (match === null) {
      colon = s.indexOf(':', colon + 1);
      continue;
    }
    const end = match.index + match[0].length;
    out += s.slice(done, match.index) + replacer(match);
    done = end;
    colon = s.indexOf(':', end);
  }
  return done === 0 ? s : out + s.slice(done);
}

/** Loopback or unspecified, also when a port is glued to a compressed address (Node's ":::3000", "::1:6379"). */
function isLoopbackRun(ip: string, port: string | undefined): boolean {
  if (isLoopbackOrUnspecifiedV6(ip)) return true;
  if (port) return false;
  const colon = ip.lastIndexOf(':');
  const head = ip.slice(0, colon);
  return head.includes('::') && /^\d{1,5}$/.test(ip.slice(colon + 1)) && isLoopbackOrUnspecifiedV6(head);
}

/**
 * What an IPv6 match becomes: `found` is the match and its groups (the port-like groups after eight groups, their
 * port, the port after a compressed address). Exported so the colon-led search can be checked against the pattern.
 */
export function ipv6Replacement(keepLoopback: boolean): (found: readonly (string | undefined)[]) => string {
  return ([match = '', extra, fullPort, otherPort]) => {
    if (extra) {
      if (fullPort || !ONE_PORT.test(extra)) return IPV6_TOKEN;
      const ip = match.slice(0, match.length - extra.length);
      return keepLoopback && isLoopbackOrUnspecifiedV6(ip) ? match : IPV6_TOKEN + extra;
    }
    const port = fullPort ?? otherPort;
    const ip = port ? match.slice(0, -port.length) : match;
    if (keepLoopback && isLoopbackRun(ip, port)) return match;
    return port && !ip.includes('::') ? IPV6_TOKEN + port : IPV6_TOKEN;
  };
}

export function ipRules(keepLoopback: boolean): Rule[] {
  const replace = ipv6Replacement(keepLoopback);
  const v6: Rule = {
    name: 'ipv6',
    // Every address has '::', or at least six groups (eight, or six and an embedded IPv4) and so a colon followed
    // by four more groups. Starting at a colon keeps the scan cheap: colons are rare, hex digits are not.
    trigger: ':(?::|(?:[0-9A-Fa-f]{1,4}:){4})',
    apply: (s) => addressesFromColons(s, replace),
  };
  const v4: Rule = {
    name: 'ipv4',
    trigger: '\\.\\d{1,3}\\.\\d',
    apply: keepLoopback
      ? (s) => replaceMatches(s, v4Pattern(s), ([ip]) => (isLoopbackOrUnspecifiedV4(ip) ? ip : IPV4_TOKEN))
      : (s) => s.replace(v4Pattern(s), IPV4_TOKEN),
  };
  return [v6, v4];
}
