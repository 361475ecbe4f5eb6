import { type Rule, replaceMatches } from './rule.js';
import { AFTER_ESCAPE, boundaryAfter, LATE_TOKEN, plainOrEncoded } from './separators.js';

export const IPV4_TOKEN = 'IP_V4';
export const IPV6_TOKEN = 'IP_V6';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
// "version 1.2.3.4", "version=1.2.3.4", also percent-encoded: a version number, not an address.
const VERSION_WORD = '(?:[Vv]ersion|VERSION)(?:[\\s:=]|%3[AaDd]|%20){1,3}';
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
// A zone id (%eth0, %25eth0 in a URL, %12); a percent-encoded separator right after the address (%5D, %2F) is not one.
const ZONE = '(?:%(?!(?!25)[0-9A-Fa-f]{2})[0-9A-Za-z_.~]+)?';
const NOT_LOOPBACK_DIGIT = /[2-9a-eA-E]/;
// A word with a letter that is not a hex digit, then a colon: "ip:", "addr:", "ipv6:" may be glued to an address
// (not our own IP_V4 token, whose address was not a label).
const LABEL_COLON = '(?<=(?<![0-9A-Za-z_.:])[0-9A-Za-z_]{0,30}[G-Zg-z_][0-9A-Za-z_]{0,30}:)(?<!IP_V[46]:)';
const v6Start = (encoded: boolean) =>
  `(?=[0-9A-Fa-f:])(?:(?<![0-9A-Za-z_.%])(?:(?<!:)|${LABEL_COLON})${encoded ? `|${AFTER_ESCAPE}` : ''})(?<!${LATE_TOKEN})`;
// Not inside a percent-encoded byte (%20 then 1.2.3.4 is not 201.2.3.4). A token a later rule writes counts as a word.
// Not glued to a word, a number, a dotted run (OIDs, versions) or another colon group (Foo::bar, 12:30:45); a colon
// that ends a clause ("peer 2001:db8::1: reset") is fine.
const V6_END = `(?![0-9A-Za-z_]|\\.\\d|:[0-9A-Za-z_:]|[:.]?${LATE_TOKEN})`;

// The address, then a port: after eight groups (the most an address has) a ':digits' is a port and is kept; after a
// compressed address it is ambiguous, so the whole run goes.
// The lookahead on the first character lets the engine skip most positions before the costlier lookbehind.
const v6Pattern = plainOrEncoded((encoded) => `${v6Start(encoded)}(?:${IPV6})${ZONE}(:\\d{1,5})?${V6_END}`, 'g');
const v4Pattern = plainOrEncoded(
  (encoded) => `(?=\\d)${boundaryAfter('0-9A-Za-z_.%', encoded)}(?<!${VERSION_WORD})${IPV4}(?![0-9A-Za-z_]|\\.\\d)`,
  'g',
);

export function isLoopbackOrUnspecifiedV4(ip: string): boolean {
  return ip.startsWith('127.') || ip === '0.0.0.0';
}

/** True for ::1 and :: in any spelling, and for IPv4-mapped loopback (::ffff:127.x.x.x). */
export function isLoopbackOrUnspecifiedV6(ip: string): boolean {
  const address = ip.split('%')[0]?.toLowerCase() ?? '';
  // Fast no: without an embedded IPv4 part, loopback and unspecified are spelled with 0, 1 and colons only.
  if (!address.includes('.') && NOT_LOOPBACK_DIGIT.test(address)) return false;
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

/** Loopback or unspecified, also when a port is glued to a compressed address (Node's ":::3000", "::1:6379"). */
function isLoopbackRun(ip: string, port: string | undefined): boolean {
  if (isLoopbackOrUnspecifiedV6(ip)) return true;
  if (port) return false;
  const colon = ip.lastIndexOf(':');
  const head = ip.slice(0, colon);
  return head.includes('::') && /^\d{1,5}$/.test(ip.slice(colon + 1)) && isLoopbackOrUnspecifiedV6(head);
}

export function ipRules(keepLoopback: boolean): Rule[] {
  const v6: Rule = {
    name: 'ipv6',
    // Every address has '::', or at least six groups (eight, or six and an embedded IPv4) and so a colon followed
    // by four more groups. Starting at a colon keeps the scan cheap: colons are rare, hex digits are not.
    trigger: ':(?::|(?:[0-9A-Fa-f]{1,4}:){4})',
    apply: (s) =>
      replaceMatches(s, v6Pattern(s), (found) => {
        const match = found[0];
        const port = found[1];
        const ip = port ? match.slice(0, -port.length) : match;
        if (keepLoopback && isLoopbackRun(ip, port)) return match;
        return port && !ip.includes('::') ? IPV6_TOKEN + port : IPV6_TOKEN;
      }),
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
