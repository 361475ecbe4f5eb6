import type { Rule } from './rule.js';

export const IPV4_TOKEN = 'IP_V4';
export const IPV6_TOKEN = 'IP_V6';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
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
const ZONE = '(?:%[0-9A-Za-z_.~]+)?';
const NOT_LOOPBACK_DIGIT = /[2-9a-eA-E]/;

// Not glued to a word, a number, a dotted run (OIDs, versions) or another colon group (Foo::bar, 12:30:45).
// The lookahead on the first character lets the engine skip most positions before the costlier lookbehind.
// A percent escape or a JSON escape right before the address (`%20`, `\n`) is a boundary too.
const ESCAPED = String.raw`(?<=%[0-9A-Fa-f]{2}|\\[bfnrt])`;
const V6_PATTERN = new RegExp(
  `(?=[0-9A-Fa-f:])(?:${ESCAPED}|(?<![0-9A-Za-z_:.]))(?:${IPV6})${ZONE}(?![0-9A-Za-z_:]|\\.\\d)`,
  'g',
);
const V4_PATTERN = new RegExp(
  `(?:${ESCAPED}|(?<![0-9A-Za-z_.]|[Vv]ersion[\\s:=]{1,3}|VERSION[\\s:=]{1,3}))${IPV4}(?![0-9A-Za-z_]|\\.\\d)`,
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

export function ipRules(keepLoopback: boolean): Rule[] {
  const v6: Rule = {
    name: 'ipv6',
    // Every address has '::', or at least six groups (eight, or six and an embedded IPv4) and so a colon followed
    // by four more groups. Starting at a colon keeps the scan cheap: colons are rare, hex digits are not.
    trigger: ':(?::|(?:[0-9A-Fa-f]{1,4}:){4})',
    apply: keepLoopback
      ? (s) => s.replace(V6_PATTERN, (ip) => (isLoopbackOrUnspecifiedV6(ip) ? ip : IPV6_TOKEN))
      : (s) => s.replace(V6_PATTERN, IPV6_TOKEN),
  };
  const v4: Rule = {
    name: 'ipv4',
    trigger: '\\.\\d{1,3}\\.\\d',
    apply: keepLoopback
      ? (s) => s.replace(V4_PATTERN, (ip) => (isLoopbackOrUnspecifiedV4(ip) ? ip : IPV4_TOKEN))
      : (s) => s.replace(V4_PATTERN, IPV4_TOKEN),
  };
  return [v6, v4];
}
