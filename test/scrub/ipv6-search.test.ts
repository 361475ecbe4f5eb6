// The IPv6 rule looks for addresses from their colons instead of letting the expression scan every character. It
// must find exactly what the expression's own global scan finds, in plain, percent-encoded and escaped text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipRules, ipv6ReferencePattern, ipv6Replacement } from '../../src/scrub/rules/ip.js';

const ATOMS = [
  ...'0159aAfFgz:.%\\ -_/[]',
  '::',
  '%5B',
  '%5D',
  '%3A',
  '%25',
  '\\u0040',
  '\\n',
  'ip:',
  'addr:',
  'ffff',
  '2001',
  'db8',
  'fe80',
  '12345',
  '127.0.0.1',
  '::1',
  '0:0:0:0:0:0:0:1',
  '1:2:3:4:5:6:7:8',
  '[SHORTENED-ID-1234]',
  '{HOME}',
  'IP_V4',
];
const text = fc.array(fc.constantFrom(...ATOMS), { maxLength: 16 }).map((atoms) => atoms.join(''));

/** What the rule wrote before the colon-led search: the expression's global replace, with the same replacement. */
function reference(s: string): string {
  const replace = ipv6Replacement(false);
  return s.replace(ipv6ReferencePattern(s), (...found: (string | undefined)[]) => replace(found.slice(0, 4)));
}

describe('IPv6 search from colons', () => {
  const [v6] = ipRules(false);

  it('finds exactly the matches of the expression scanning every position', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(v6?.apply(s)).toBe(reference(s));
      }),
      { numRuns: 20_000 },
    );
  });

  it('examples: addresses after escapes, labels and hex words, and several in a row', () => {
    for (const s of [
      'connect %5B2001:db8::1%5D:443',
      '\\u00402001:db8::7 and ip:2001:db8::1: reset',
      'abcde:2001:db8::1 feed::1 ::1 1::',
      'fe80::1%eth0 2001:db8:0:0:0:0:0:1:8080',
    ]) {
      expect(v6?.apply(s)).toBe(reference(s));
    }
  });
});
