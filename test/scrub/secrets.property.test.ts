import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScrubber } from '../../src/scrub/index.js';

const RUNS = 10_000;
const fixtures = join(import.meta.dirname, '..', 'fixtures');
const context = JSON.parse(readFileSync(join(fixtures, 'scrub-context.json'), 'utf8'));
const scrubber = createScrubber({ botToken: context.botToken, env: context.env });

const base64url =
  (alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-') =>
  (min: number, max: number) =>
    fc.string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max });
const tokenChars = base64url();
const snowflake = fc.bigInt({ min: 10n ** 16n, max: (1n << 63n) - 1n }).map(String);

/** A secret, and the exact text that must not appear anywhere in the output once it has been scrubbed. */
interface Secret {
  text: string;
  mustNotSurvive: string;
}
const secret = (text: string, mustNotSurvive = text): Secret => ({ text, mustNotSurvive });

const secrets: fc.Arbitrary<Secret> = fc.oneof(
  fc.constant(secret(context.botToken)),
  // The token cut anywhere from 4 characters into its secret segment to its end (as a length limit would cut it):
  // what must go is the part of the secret segment that is in the input, with its dot.
  fc.nat({ max: 23 }).map((cut) => {
    const [first, timestamp, hmac] = context.botToken.split('.') as [string, string, string];
    const kept = hmac.slice(0, 4 + cut);
    return secret(`${first}.${timestamp}.${kept}`, `.${kept}`);
  }),
  fc.tuple(snowflake, tokenChars(6, 6), tokenChars(27, 38)).map(([id, ts, hmac]) => {
    const first = Buffer.from(id).toString('base64').replace(/=+$/, '');
    return secret(`${first}.${ts}.${hmac}`, `.${ts}.${hmac}`);
  }),
  fc
    .tuple(snowflake, tokenChars(60, 68), fc.constantFrom('discord.com', 'discordapp.com', 'ptb.discord.com'))
    .map(([id, token, host]) => secret(`https://${host}/api/webhooks/${id}/${token}`, token)),
  fc.tuple(snowflake, tokenChars(40, 80)).map(([id, rest]) => {
    const token = `aW50ZXJhY3Rpb246${rest}`;
    return secret(`https://discord.com/api/v10/interactions/${id}/${token}/callback`, token);
  }),
  fc
    .tuple(
      fc.constantFrom('https://discord.gg/', 'discord.gg/', 'https://discord.com/invite/', 'dsc.gg/'),
      base64url('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')(5, 12),
    )
    .map(([prefix, code]) => secret(`${prefix}${code}`, `/${code}`)),
  fc
    .tuple(fc.integer({ min: 1, max: 223 }), fc.nat({ max: 255 }), fc.nat({ max: 255 }), fc.nat({ max: 255 }))
    .filter(([a]) => a !== 127)
    .map((octets) => secret(octets.join('.'))),
  fc
    .array(fc.integer({ min: 0x1000, max: 0xffff }), { minLength: 8, maxLength: 8 })
    .map((groups) => secret(groups.map((g) => g.toString(16)).join(':'))),
  fc
    .tuple(fc.integer({ min: 0x2000, max: 0x3fff }), fc.integer({ min: 1, max: 0xffff }))
    .map(([a, b]) => secret(`${a.toString(16)}:db8::${b.toString(16)}`)),
  snowflake.map((id) => secret(id)),
  tokenChars(20, 40).map((t) => secret(`Bearer ${t}`, t)),
  fc.constantFrom(
    secret('/home/alice/bot/index.js', '/home/alice'),
    secret('C:\\Users\\Alice\\bot', 'Users\\Alice'),
    secret('Alice', 'Alice'),
    secret('ALICE-DESKTOP', 'ALICE-DESKTOP'),
  ),
);

const separator = fc.constantFrom(' ', '\n', '\t', '/', '"', "'", '(', ')', ',', '=', '<', '>', '[', ']', '{', '}');
const filler = fc.string({ maxLength: 12 });
const embedded = fc
  .tuple(filler, separator, secrets, separator, filler)
  .map(([before, s1, s, s2, after]) => ({ text: `${before}${s1}${s.text}${s2}${after}`, secret: s }));

/** A random JSON-like value with the secret at a random depth, as a value or as a key. */
const carrier = embedded.chain(({ text, secret }) =>
  fc
    .tuple(
      fc.array(fc.constantFrom('a', 'b', 'list', 'extra', 'frames'), { maxLength: 8 }),
      fc.boolean(),
      fc.jsonValue({ maxDepth: 2 }),
    )
    .map(([path, asKey, noise]) => {
      let value: unknown = asKey ? { [text]: noise } : text;
      for (const key of path.reverse()) value = key === 'list' ? [noise, value] : { [key]: value, noise };
      return { value, secret };
    }),
);

/** Every key and string of a value, joined, as they are (JSON.stringify would escape the backslash of `Users\\Alice`). */
function strings(value: unknown): string {
  const found: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string') found.push(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [key, inner] of Object.entries(v)) {
        found.push(key);
        visit(inner);
      }
    }
  };
  visit(value);
  return found.join('\n');
}

describe('property: secrets never survive value()', () => {
  it(`holds for ${RUNS} generated values`, () => {
    fc.assert(
      fc.property(carrier, ({ value, secret }) => {
        // The needle must be in the input, or the property holds whatever the scrubber does.
        expect(strings(value)).toContain(secret.mustNotSurvive);
        expect(strings(scrubber.value(value))).not.toContain(secret.mustNotSurvive);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('property: string() is idempotent', () => {
  it(`holds for ${RUNS} arbitrary strings`, () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        const once = scrubber.string(s);
        expect(scrubber.string(once)).toBe(once);
      }),
      { numRuns: RUNS },
    );
  });

  it(`holds for ${RUNS} strings full of secrets`, () => {
    fc.assert(
      fc.property(fc.array(embedded, { maxLength: 4 }), (parts) => {
        const s = parts.map((p) => p.text).join(' ');
        const once = scrubber.string(s);
        expect(scrubber.string(once)).toBe(once);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('property: the corpus false-positive traps stay untouched', () => {
  const traps: string[] = readFileSync(join(fixtures, 'scrub-examples.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((c) => c.tags.includes('fp-trap') && !c.env)
    .map((c) => c.input);

  it(`holds for ${RUNS} combinations of traps`, () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...traps), { minLength: 1, maxLength: 5 }), separator, (parts, sep) => {
        const s = parts.join(sep === '/' ? ' ' : sep);
        expect(scrubber.string(s)).toBe(s);
      }),
      { numRuns: RUNS },
    );
  });
});
