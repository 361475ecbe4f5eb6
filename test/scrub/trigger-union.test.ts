// The joined trigger expression decides whether a string is scrubbed at all: it must match exactly the strings one
// of the rules' triggers matches, after the alternatives that contain another are dropped.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseless, escapeRegExp } from '../../src/scrub/rules/rule.js';
import { triggerUnion } from '../../src/scrub/trigger-union.js';

// The shapes of real triggers: literals, caseless words, escaped tokens, classes, lookbehinds, groups.
const TRIGGERS = [
  escapeRegExp('MTk4NjIyNDgz.Cl2FMQ.ZnCjm1XVW7vR'),
  `${escapeRegExp('MTk4NjIyNDgz')}[.\\\\%\\s]`,
  'ZnCjm1XVW7vR',
  'webhooks',
  'mfa|\\.[A-Za-z0-9_-]{6}\\.',
  caseless('bearer'),
  ['discord', 'dsc', 'invite'].map(caseless).join('|'),
  ':(?::|(?:[0-9A-Fa-f]{1,4}:){4})',
  '(?<!\\d)\\d{17}',
  'alice',
  caseless('alice'),
  caseless('alice-desktop'),
  escapeRegExp('Alice-PC'),
  caseless('ali'),
];
const ALPHABET = [
  ...'aAlLiIcCeE-dDsSkKtToOpPmMfFwWbBrRvVnN:.0123456789%\\ ',
  'alice',
  'ALICE-DESKTOP',
  'Alice-PC',
  'discord',
  'MTk4NjIyNDgz.Cl2FMQ.ZnCjm1XVW7vR',
  'ZnCjm1XVW7vR',
  '12345678901234567',
];
const text = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 12 }).map((parts) => parts.join(''));

describe('triggerUnion', () => {
  it('drops alternatives that contain another literal, keeps the rest', () => {
    const union = triggerUnion([
      'alice',
      caseless('alice'),
      caseless('alice-desktop'),
      escapeRegExp('a.b.c'),
      'b',
      '\\d{17}',
    ]);
    expect(union.split('|')).toEqual([caseless('alice'), 'b', '\\d{17}']);
  });

  it('matches exactly where one of the triggers matches', () => {
    fc.assert(
      fc.property(fc.subarray(TRIGGERS, { minLength: 1 }), text, (triggers, s) => {
        const union = new RegExp(triggerUnion(triggers));
        expect(union.test(s)).toBe(triggers.some((trigger) => new RegExp(trigger).test(s)));
      }),
      { numRuns: 3_000 },
    );
  });
});
