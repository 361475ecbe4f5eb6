// Issue #12, from the outside: an attack on the scrubber through its public API found secrets that still left in
// contexts leak-classes.property.test.ts does not draw. Each block below draws a whole class of them (secrets of
// every kind, in every encoding the class names) and asserts that the input holds the secret, the output does not,
// the text around it survives exactly, and scrubbing again changes nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScrubber, type Scrubber } from '../../src/scrub/index.js';

const RUNS = 1_500;
const TOKEN = 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs';
const HMAC = TOKEN.split('.')[2] as string;
const ENV = { HOME: '/home/alice', USERNAME: 'Alice', COMPUTERNAME: 'alices-laptop' };
const scrubber = createScrubber({ botToken: TOKEN, env: ENV });

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const chars = (alphabet: string, min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max });
// Letters and a digit: never a word of the surrounding text, never all hex.
const secretWord = (min: number, max: number) =>
  fc.tuple(chars('GHJKMNPQRSTVWXYZghjkmnpqrstvwxyz', min - 1, max - 1), fc.nat({ max: 9 })).map(([s, d]) => `${s}${d}`);

interface Placed {
  before: string;
  secret: string;
  after: string;
  needles: readonly string[];
}

/** The secret is in the input and not in the output; the text on each side survives; scrubbing is idempotent. */
function expectScrubbed(s: Scrubber, { before, secret, after, needles }: Placed, caseless = false): string {
  const input = `${before}${secret}${after}`;
  const fold = (text: string) => (caseless ? text.toLowerCase() : text);
  for (const needle of needles) expect(fold(input)).toContain(fold(needle));
  const out = s.string(input);
  for (const needle of needles)
    expect(fold(out), `${JSON.stringify(input)} → ${JSON.stringify(out)}`).not.toContain(fold(needle));
  expect(out.startsWith(before), `${JSON.stringify(out)} keeps ${JSON.stringify(before)}`).toBe(true);
  expect(out.endsWith(after), `${JSON.stringify(out)} keeps ${JSON.stringify(after)}`).toBe(true);
  expect(s.string(out)).toBe(out);
  return out.slice(before.length, out.length - after.length);
}

const ipv4 = fc
  .tuple(fc.integer({ min: 1, max: 223 }), fc.nat({ max: 255 }), fc.nat({ max: 255 }), fc.integer({ min: 1, max: 254 }))
  .filter(([a]) => a !== 127)
  .map((octets) => octets.join('.'));
const hex4 = fc.integer({ min: 0xa000, max: 0xffff }).map((n) => n.toString(16));
const full8 = fc.array(hex4, { minLength: 8, maxLength: 8 });
const snowflake = fc.bigInt({ min: 10n ** 17n, max: (1n << 63n) - 1n }).map(String);

/** `text` percent-encoded `depth` times, as a URL inside a query string inside a query string is. */
function encodeTimes(text: string, depth: number): string {
  let out = text;
  for (let i = 0; i < depth; i++) out = encodeURIComponent(out);
  return out;
}

describe('class 2: percent-encoded contexts at any depth (%2F, %252F, %25252F)', () => {
  // A secret of each kind, as plain text that holds it after a separator; the needles are what must go.
  const plain = fc.oneof(
    fc.tuple(fc.constantFrom('=', '/', ':', '@', ' ', ',', '"', '('), ipv4).map(([sep, ip]) => ({
      text: `host${sep}${ip}`,
      needles: [ip],
    })),
    fc.tuple(fc.constantFrom('=', '/', ':', '@', ' ', ','), snowflake).map(([sep, id]) => ({
      text: `guild${sep}${id}`,
      needles: [id],
    })),
    fc.tuple(fc.constantFrom('=', '/', ' ', ':'), fc.constantFrom(TOKEN, HMAC)).map(([sep, t]) => ({
      text: `token${sep === '=' ? 's' : ''}${sep}${t}`,
      needles: [HMAC],
    })),
    fc
      .tuple(
        fc.constantFrom('https://', '', ' '),
        fc.constantFrom('discord.gg/', 'discord.com/invite/', 'discord.gg/invite/'),
        secretWord(6, 12),
      )
      .map(([scheme, host, code]) => ({ text: `join ${scheme}${host}${code}`, needles: [code] })),
    fc.tuple(fc.constantFrom('redis', 'https', 'postgres'), secretWord(8, 16)).map(([scheme, pw]) => ({
      text: `${scheme}://bot:${pw}@db.example:6379/0`,
      needles: [pw],
    })),
    fc
      .tuple(fc.constantFrom('token', 'access_token', 'password', 'api_key', 'sig', 'code'), secretWord(8, 16))
      .map(([name, value]) => ({ text: `/cb?${name}=${value}&state=ok`, needles: [value] })),
    fc
      .tuple(fc.constantFrom('/', '=', '@', ' '), fc.constantFrom('Alice', 'alices-laptop', 'ALICES-LAPTOP'))
      .map(([sep, name]) => ({ text: `by${sep}${name}`, needles: [name.toLowerCase()] })),
    fc.constant({ text: '/home/alice/bot/index.js', needles: ['alice'] }),
    secretWord(8, 16).map((pw) => {
      const credential = Buffer.from(`bot:${pw}`).toString('base64');
      return { text: `Authorization: Basic ${credential}`, needles: [credential.slice(0, 8)] };
    }),
  );

  it(`every kind of secret, encoded once, twice or three times inside a query string (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(plain, fc.integer({ min: 1, max: 3 }), ({ text, needles }, depth) => {
        const encoded = encodeTimes(text, depth);
        const encodedNeedles = needles.map((n) => encodeTimes(n, depth));
        expectScrubbed(
          scrubber,
          { before: 'https://app.example/login?next=', secret: encoded, after: '&state=xyz', needles: encodedNeedles },
          true,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it(`an IPv6 address between %5B and %5D encoded at any depth goes, the rest stays (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(full8, fc.integer({ min: 1, max: 3 }), (groups, depth) => {
        const pct = `%${'25'.repeat(depth - 1)}`;
        const out = expectScrubbed(scrubber, {
          before: `u=http${pct}3A${pct}2F${pct}2F${pct}5B`,
          secret: groups.join(':'),
          after: `${pct}5D${pct}3A8080${pct}2Fcb`,
          needles: groups,
        });
        expect(out).toBe('IP_V6');
      }),
      { numRuns: RUNS },
    );
  });

  it('the examples', () => {
    expect(scrubber.string('next=http%253A%252F%252F203.0.113.5%253A8080%252F')).toBe(
      'next=http%253A%252F%252FIP_V4%253A8080%252F',
    );
    expect(scrubber.string('r=https%253A%252F%252Fdiscord.gg%252FabcDEF12&y=1')).toBe(
      'r=https%253A%252F%252F[DISCORD-INVITE-LINK]&y=1',
    );
    expect(scrubber.string('next=%252Fcb%253Ftoken%253DS3cr3tValue99%2526s%253D1')).toBe(
      'next=%252Fcb%253Ftoken%253D[Filtered]%2526s%253D1',
    );
    expect(scrubber.string('r=https%253A%252F%252Fbob%253Ahunter2pw%2540example.com')).toBe(
      'r=https%253A%252F%252Fbob%253A[Filtered]%2540example.com',
    );
    expect(scrubber.string('a%2540123456789012345678%20b')).toBe('a%2540[SHORTENED-ID-2216]%20b');
    // A zone id is not a separator encoded again.
    expect(scrubber.string('http%255Bfe80::1ff:fe23:4567:890a%255D')).toBe('http%255BIP_V6%255D');
    expect(scrubber.string('[fe80::1ff:fe23:4567:890a%25eth0]:80')).toBe('[IP_V6]:80');
  });
});

describe('class 3: escapes that join a secret’s parts (\\u002e \\x2e \\/ \\u002f \\x2f \\u003a \\u0040 \\x40)', () => {
  const escapes = (char: string) => {
    const code = char.charCodeAt(0).toString(16).padStart(2, '0');
    const forms = [char, `\\u00${code}`, `\\u00${code.toUpperCase()}`, `\\\\u00${code}`, `\\x${code}`];
    return fc.constantFrom(...(char === '/' ? [...forms, '\\/', '\\\\\\/'] : forms));
  };
  const dot = escapes('.');
  const slash = escapes('/');
  const colon = escapes(':');
  const at = escapes('@');
  const [first, second] = TOKEN.split('.') as [string, string];
  // Each part joined by its own, independently drawn, escape; the needles are the secret parts.
  const secret = fc.oneof(
    fc.tuple(dot, dot).map(([d1, d2]) => ({ text: `${first}${d1}${second}${d2}${HMAC}`, needles: [second, HMAC] })),
    fc
      .tuple(fc.constantFrom('', 'https:', 'http:'), slash, slash, dot, slash, secretWord(6, 12))
      .map(([scheme, s1, s2, d, s3, code]) => ({
        text: `${scheme ? `${scheme}${s1}${s2}` : ''}discord${d}gg${s3}${code}`,
        needles: [code],
      })),
    fc
      .tuple(dot, slash, fc.constantFrom('discord', 'discordapp'), slash, secretWord(6, 12))
      .map(([d, s1, host, s2, code]) => ({ text: `${host}${d}com${s1}invite${s2}${code}`, needles: [code] })),
    fc
      .tuple(colon, slash, colon, at, fc.constantFrom('redis', 'postgres', 'https', 'amqp'), secretWord(8, 16))
      .map(([c1, s, c2, a, scheme, pw]) => ({
        text: `${scheme}${c1}${s}${s}bot${c2}${pw}${a}db.example`,
        needles: [pw],
      })),
    fc
      .tuple(slash, chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-', 68, 68), snowflake)
      .map(([s, webhookToken, id]) => ({
        text: `api${s}webhooks${s}${id}${s}${webhookToken}`,
        needles: [webhookToken],
      })),
  );

  it(`a token, invite, URL password or webhook whose separators are escaped goes; the JSON around it survives (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        secret,
        fc.constantFrom(['{"message":"failed: ', '","code":1}'], ['"', '\\n"'], ["'at ", "'"]),
        ({ text, needles }, [before, after]) => {
          expectScrubbed(scrubber, { before, secret: text, after, needles });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the examples', () => {
    expect(scrubber.string('{"u":"redis://bot:hunter2pw\\u0040db.example:6379"}')).toBe(
      '{"u":"redis://bot:[Filtered]\\u0040db.example:6379"}',
    );
    expect(scrubber.string('"redis\\u003a\\u002f\\u002fbot\\u003ahunter2pw\\u0040db"')).toBe(
      '"redis\\u003a\\u002f\\u002fbot\\u003a[Filtered]\\u0040db"',
    );
    expect(scrubber.string("'https:\\x2f\\x2fdiscord\\x2egg\\x2fabcDEF12'")).toBe(
      "'https:\\x2f\\x2f[DISCORD-INVITE-LINK]'",
    );
    expect(scrubber.string(`"${TOKEN.replaceAll('.', '\\x2e')}"`)).toBe('"[BOT-TOKEN]"');
  });
});

describe('class 5: credentials that are not Discord’s, with the characters people really put in them', () => {
  const pieces = fc.array(secretWord(4, 8), { minLength: 1, maxLength: 4 });
  // Characters a password holds unencoded when pasted into a connection string. One with '@' or ':' in it runs to
  // the last '@' before the host; one with '/', '?', '#' or "'" (not a valid URL any more) to its '@'.
  const joiner = fc.oneof(
    fc.constantFrom(
      '@',
      ':',
      '!',
      '$',
      '&',
      '(',
      ')',
      '*',
      '+',
      ',',
      ';',
      '=',
      '~',
      '.',
      '%',
      '[',
      ']',
      '{',
      '}',
      '|',
      '^',
      '-',
      '_',
    ),
    fc.constantFrom('/', '?', '#', "'", '!', '$', '&', '*', '+', ',', ';', '=', '~', '.', '%', '[', ']', '-'),
  );
  const password = fc
    .tuple(pieces, fc.boolean())
    .chain(([words, authorityOnly]) =>
      fc
        .array(authorityOnly ? fc.constantFrom('@', ':', '!', '$', '&', '*', '+', ';', '=', '~', '%') : joiner, {
          minLength: words.length - 1,
          maxLength: words.length - 1,
        })
        .map((joins) => ({
          text: words.map((w, i) => (i === 0 ? w : `${joins[i - 1]}${w}`)).join(''),
          needles: words,
        })),
    )
    // A password with an '@' and after it a '/', '?', '#' or "'" is read up to that '@' (documented).
    .filter(({ text }) => !/@.*[/?#']/.test(text));
  const scheme = fc.constantFrom(
    'redis',
    'rediss',
    'postgres',
    'postgresql',
    'mongodb+srv',
    'mysql',
    'amqps',
    'https',
    'ftp',
    'git+ssh',
  );
  const user = fc.constantFrom('', 'bot', 'app.user', 'u-1');

  it(`scheme://user:password@host keeps the host, whatever the password holds (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        scheme,
        user,
        password,
        fc.constantFrom(['connecting to ', ' failed'], ['REDIS_URL=', ''], ["{ url: '", "' }"], ['<', '>']),
        (sch, u, pw, [before, after]) => {
          const out = expectScrubbed(scrubber, {
            before: `${before}${sch}://${u}:`,
            secret: pw.text,
            after: `@db.example.com:5432/app?ssl=true${after}`,
            needles: pw.needles,
          });
          expect(out).toBe('[Filtered]');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`a URL without a password stays as it is, also with a port, a path and an '@' later (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom('https', 'http', 'redis', 'mongodb'),
        fc.integer({ min: 1, max: 65535 }),
        fc.constantFrom('/@me', '/users/@me', '/?mail=a@b.c', '/#/a@b', ',h2:27017/?replicaSet=a@b', '/@scope%2fpkg'),
        (sch, p, rest) => {
          const url = `${sch}://host.example:${p}${rest}`;
          expect(scrubber.string(`get ${url} ok`)).toBe(`get ${url} ok`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`Authorization: Basic with any printable user:password, UTF-8 or Latin-1 (${RUNS} cases)`, () => {
    const text = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
      .filter((t) => !/[\p{Cc}:\ufffd]/u.test(t));
    fc.assert(
      fc.property(
        text,
        text,
        fc.constantFrom<BufferEncoding>('utf8', 'latin1'),
        fc.constantFrom(['Authorization: ', '\r\n'], ['{"authorization":"', '"}'], ['', ''], ['auth failed: ', '.']),
        (u, pw, encoding, [before, after]) => {
          const bytes = Buffer.from(`${u}:${pw}`, encoding);
          fc.pre(encoding === 'utf8' || bytes.toString('latin1') === `${u}:${pw}`);
          const credential = bytes.toString('base64');
          const out = expectScrubbed(scrubber, {
            before: `${before}Basic `,
            secret: credential,
            after,
            needles: [credential.replace(/=+$/, '')],
          });
          expect(out).toBe('[Filtered]');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`Basic alone, followed by a '/' or '+' and more text, still goes (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        secretWord(4, 10),
        secretWord(6, 16),
        fc.constantFrom('/path', '/i>', '+more', '/ next'),
        (u, pw, after) => {
          const credential = Buffer.from(`${u}:${pw}`).toString('base64').replace(/=+$/, '');
          const out = scrubber.string(`sent Basic ${credential}${after} end`);
          expect(out).not.toContain(credential);
          // A '/' or '+' and what follows may be base64 too: the end of the credential is read as well as it can be.
          expect(out.startsWith('sent Basic [Filtered]') && out.endsWith(' end')).toBe(true);
          expect(scrubber.string(out)).toBe(out);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`a secret-named parameter inside brackets (user[password]=, %5B…%5D at any depth) (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom('user', 'data', 'form', 'db'),
        fc.constantFrom('password', 'pass', 'token', 'api_key', 'secret', 'auth'),
        secretWord(8, 16),
        fc.integer({ min: 0, max: 2 }),
        (outer, name, value, depth) => {
          const pct = `%${'25'.repeat(Math.max(0, depth - 1))}`;
          const [open, close, eq, amp] =
            depth === 0 ? ['[', ']', '=', '&'] : [`${pct}5B`, `${pct}5D`, `${pct}3D`, `${pct}26`];
          const out = expectScrubbed(scrubber, {
            before: `https://app.example/form?${outer}${open}${name}${close}${eq}`,
            secret: value,
            after: `${amp}${outer}${open}name${close}${eq}bob`,
            needles: [value],
          });
          expect(out).toBe('[Filtered]');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`a secret value holding an encoded & or # one level deeper than its '=' is filtered whole (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom('password', 'token', 'client_secret', 'sig'),
        fc.array(secretWord(4, 10), { minLength: 2, maxLength: 4 }),
        fc.constantFrom('26', '23', '3D', '2F'),
        fc.integer({ min: 0, max: 2 }),
        (name, words, inner, depth) => {
          const pct = (d: number) => `%${'25'.repeat(d)}`;
          const [eq, amp] = depth === 0 ? ['=', '&'] : [`${pct(depth - 1)}3D`, `${pct(depth - 1)}26`];
          const out = expectScrubbed(scrubber, {
            before: `https://app.example/cb?x${eq}1${amp}${name}${eq}`,
            secret: words.join(`${pct(depth)}${inner}`),
            after: `${amp}state${eq}ok`,
            needles: words,
          });
          expect(out).toBe('[Filtered]');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the examples', () => {
    expect(scrubber.string('redis://:p#ss@h:6379')).toBe('redis://:[Filtered]@h:6379');
    expect(scrubber.string('postgres://app:s3cr/et?x@db/app')).toBe('postgres://app:[Filtered]@db/app');
    expect(scrubber.string('https://u:p@h/x?mail=a@b.c')).toBe('https://u:[Filtered]@h/x?mail=a@b.c');
    expect(scrubber.string('Basic dXNlcjpww6Rzc3fDtnJk')).toBe('Basic [Filtered]');
    expect(scrubber.string('?user[password]=S3cr3t&x=1')).toBe('?user[password]=[Filtered]&x=1');
    expect(scrubber.string('[BOT-TOKEN]=abc x[0]=5 user[passenger]=3')).toBe(
      '[BOT-TOKEN]=abc x[0]=5 user[passenger]=3',
    );
  });
});

describe('property: string() stays idempotent where the widened rules meet', () => {
  const pieces = [
    ...['%', '%25', '%252F', '%2540', '%253A', '%253D', '%2526', '%255B', '%255D', '%5B', '%5D', '%3D', '%2F', '%40'],
    ...['\\x2f', '\\x2e', '\\u0040', '\\u003a', '\\u002f', '\\/', '\\n', '\\'],
    ...['=', '@', ':', '//', '.', '/', '?', '&', '#', '[', ']', "'", '"', ' ', '*', ',', '-'],
    ...['redis://', 'https://', 'u', 'pw', 'token', 'pass', 'user', 'Basic ', 'dXNlcjpww6Rzc3fDtnJk', 'IP_V4'],
    ...['123456789012345678', '203.0.113.5', '2001', 'db8', 'fe80', 'eth0', '8080', 'discord', '.gg', 'invite'],
    ...['Alice', 'alices-laptop', '.local', '/home/alice', ...TOKEN.split('.'), '*****'],
  ];
  it('holds for 30,000 strings built from the pieces the widened rules look for', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), (parts) => {
        const once = scrubber.string(parts.join(''));
        expect(scrubber.string(once), JSON.stringify(parts.join(''))).toBe(once);
      }),
      { numRuns: 30_000 },
    );
  });
});

describe('class 7: the token at the edges, for any token', () => {
  const B64URL = `${ALNUM}_-`;
  // A token of the real shape: base64 of a user id, a six-character timestamp, an HMAC.
  const token = fc.tuple(snowflake, chars(B64URL, 6, 6), chars(B64URL, 27, 38)).map(([id, second, secret]) => {
    const first = Buffer.from(id).toString('base64').replace(/=+$/, '');
    return { first, second, secret, text: `${first}.${second}.${secret}` };
  });
  const around = fc.constantFrom(
    ['login(', ')'],
    ['Provided token: ', '\n[WS => Shard 0] Preparing'],
    ['"', '"'],
    ['', ' rest'],
  );

  it(`cut anywhere after '<first>.', and censored with stars from any point, it goes whole (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(token, fc.nat(), fc.nat(), fc.nat({ max: 6 }), around, (t, cut, starFrom, extra, [before, after]) => {
        const k = t.first.length + 1 + (cut % (t.text.length - t.first.length));
        const m = t.first.length + 1 + (starFrom % (k - t.first.length));
        const form = t.text.slice(0, m) + t.text.slice(m, k).replace(/[^.]/g, '*') + '*'.repeat(extra);
        const s = createScrubber({ botToken: t.text, env: {} });
        expect(s.string(`${before}${form}${after}`)).toBe(`${before}[BOT-TOKEN]${after}`);
      }),
      { numRuns: RUNS },
    );
  });

  it(`wrapped before its secret segment by a line break in any encoding, it goes whole (${RUNS} cases)`, () => {
    const wrap = fc.constantFrom('\n', '\r\n', '\\n', '\\r\\n', '\\\\n', '\\u000a', '\\u000d\\u000a', '%0A', '%0D%0A');
    fc.assert(
      fc.property(
        token,
        fc.nat(),
        wrap,
        fc.constantFrom('', '  ', '\t'),
        around,
        (t, cut, nl, indent, [before, after]) => {
          const k = 1 + (cut % (t.first.length + t.second.length + 2));
          const s = createScrubber({ botToken: t.text, env: {} });
          const text = `${t.text.slice(0, k)}${nl}${indent}${t.text.slice(k)}`;
          expect(s.string(`${before}${text}${after}`)).toBe(`${before}[BOT-TOKEN]${after}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`a token given with 'Bot ', quotes, whitespace or a '\\r' is the same token (${RUNS} cases)`, () => {
    const given = fc.constantFrom(
      (t: string) => `Bot ${t}`,
      (t: string) => `bot  ${t}`,
      (t: string) => `Bearer ${t}`,
      (t: string) => ` ${t}\n`,
      (t: string) => `${t}\r`,
      (t: string) => `"${t}"`,
      (t: string) => `'${t}'\r\n`,
    );
    const shape = fc.constantFrom('string', 'array', 'getter');
    fc.assert(
      fc.property(token, given, shape, fc.nat(), around, (t, wrap, how, cut, [before, after]) => {
        const value = wrap(t.text);
        const s = createScrubber({
          botToken: how === 'string' ? value : how === 'array' ? [value] : () => value,
          env: {},
        });
        const censored = `${t.first}.${t.second}.${'*'.repeat(t.secret.length)}`;
        const k = t.first.length + 1 + (cut % (t.text.length - t.first.length));
        for (const form of [t.text, censored, t.text.slice(0, k)]) {
          expect(s.string(`${before}${form}${after}`)).toBe(`${before}[BOT-TOKEN]${after}`);
        }
        expect(s.string(`${before}${t.secret}${after}`)).toBe(`${before}[BOT-TOKEN]${after}`);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('class 1: eight groups are an address whatever colon follows them', () => {
  const group = fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.boolean(), fc.boolean()).map(([n, upper, padded]) => {
    const hex = padded ? n.toString(16).padStart(4, '0') : n.toString(16);
    return upper ? hex.toUpperCase() : hex;
  });
  // The first group is never zero, so the address is never loopback or unspecified (kept on purpose).
  const address = fc
    .tuple(
      fc.integer({ min: 0x2000, max: 0xfeff }).map((n) => n.toString(16)),
      fc.array(group, { minLength: 7, maxLength: 7 }),
    )
    .map(([head, rest]) => [head, ...rest].join(':'));
  const port = fc.integer({ min: 1, max: 65535 }).map(String);

  it(`followed by :port, :port: text, ': ', '::' or ':name', the address goes and the rest stays (${RUNS} cases)`, () => {
    const after = fc.oneof(
      port.map((p) => `:${p}`),
      port.map((p) => `:${p}: timeout`),
      fc.constantFrom(': reset', ':', '::', ':tcp', ':udp4 closed', ', retrying', '.', ' (eth0)'),
    );
    const before = fc.constantFrom('connect ECONNREFUSED ', 'ip:', 'addr=', '(', '"', 'peer ', 'remote_address:');
    fc.assert(
      fc.property(before, address, after, (b, ip, a) => {
        expect(scrubber.string(`${b}${ip}${a}`)).toBe(`${b}IP_V6${a}`);
        expect(scrubber.string(`${b}IP_V6${a}`)).toBe(`${b}IP_V6${a}`);
      }),
      { numRuns: RUNS },
    );
  });
  it(`after a dotted key (client.ip:) or a time glued to it (12:30:45:), no group of the address is left (${RUNS} cases)`, () => {
    const before = fc.constantFrom(
      ['client.ip:', 'client.ip:'],
      ['net.peer.ip:', 'net.peer.ip:'],
      ['at 12:30:45:', 'at '],
      ['[11:24:32:', '['],
    );
    fc.assert(
      fc.property(before, address, fc.constantFrom(' closed', '', ', retrying'), ([b, kept], ip, a) => {
        expect(scrubber.string(`${b}${ip}${a}`)).toBe(`${kept}IP_V6${a}`);
      }),
      { numRuns: RUNS },
    );
    // A compressed address after a time (or an ISO timestamp): the address goes, whatever of the time is left.
    const compressed = fc
      .tuple(fc.array(hex4, { minLength: 1, maxLength: 4 }), fc.array(hex4, { minLength: 1, maxLength: 3 }))
      .map(([left, right]) => ({ ip: `${left.join(':')}::${right.join(':')}`, groups: [...left, ...right] }));
    fc.assert(
      fc.property(
        fc.constantFrom('at 12:30:45:', '[11:24:32:', 'at 2026-11-30T11:24:32Z:', 'at T11:24:32.123Z:'),
        compressed,
        (b, { ip, groups }) => {
          const out = scrubber.string(`${b}${ip} closed`);
          for (const group of groups) expect(out).not.toContain(group);
          expect(out.startsWith(b.split(/\d/)[0] as string) && out.endsWith('IP_V6 closed')).toBe(true);
          expect(scrubber.string(out)).toBe(out);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('class 1: a compressed address followed by colon runs of digits', () => {
  // "2001:db8::ff00:42:8329:65535:65535": groups of five digits are no address's, so they must be ports; the run is
  // ambiguous and goes whole, never leaving the address because what follows it could not be read.
  it(`followed by one or more :digits of any length up to five, nothing of the address is left (${RUNS} cases)`, () => {
    const compressed = fc
      .tuple(fc.array(hex4, { minLength: 1, maxLength: 3 }), fc.array(hex4, { minLength: 1, maxLength: 3 }))
      .map(([left, right]) => ({ ip: `${left.join(':')}::${right.join(':')}`, groups: [...left, ...right] }));
    const ports = fc.array(fc.integer({ min: 1, max: 99999 }).map(String), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(
        fc.constantFrom('connect ECONNREFUSED ', 'peer ', '('),
        compressed,
        ports,
        fc.constantFrom(' closed', '', ')'),
        (b, { ip, groups }, p, a) => {
          const out = scrubber.string(`${b}${ip}:${p.join(':')}${a}`);
          for (const g of groups) expect(out, out).not.toContain(g);
          expect(out).toBe(`${b}IP_V6${a}`);
          expect(scrubber.string(out)).toBe(out);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('class 6: every invite form discord.js accepts, in any case, subdomain and spelling of its separators', () => {
  const mixedCase = (text: string) =>
    fc
      .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
      .map((flips) => [...text].map((c, i) => (flips[i] ? c.toUpperCase() : c)).join(''));
  const dot = fc.constantFrom('.', '\\.', '\\u002e', '%2E', '%252e');
  const slash = fc.constantFrom('/', '\\/', '\\u002f', '%2F', '%252F');
  const host = fc.constantFrom(
    ['discord', 'gg', ''],
    ['discord', 'gg', 'invite'],
    ['discord', 'com', 'invite'],
    ['discordapp', 'com', 'invite'],
    ['dsc', 'gg', ''],
  );
  // A part that cannot occur in the text around it (it ends in a digit), then any [A-Za-z0-9_-].
  const code = fc.tuple(secretWord(4, 12), chars(`${ALNUM}_-`, 0, 20));
  const after = fc.constantFrom(
    '',
    ' now',
    '.',
    '!',
    ')',
    '>',
    '?event=1',
    '#x',
    '/',
    '"',
    ',',
    '**',
    '\n',
    "'s",
    '...',
    '&x=1',
  );

  it(`the code goes, the scheme, subdomain and text after it stay (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', 'https://', 'http://', 'HTTPS://', '<https://', '//'),
        fc.constantFrom('', 'www.', 'canary.', 'ptb.', 'm.'),
        host.chain(([name, tld, path]) =>
          fc
            .tuple(mixedCase(name), mixedCase(tld), mixedCase(path), dot, slash)
            .map(([n, t, p, d, s]) => `${n}${d}${t}${p ? `${s}${p}` : ''}${s}`),
        ),
        code,
        after,
        (scheme, sub, h, [word, rest], a) => {
          const out = expectScrubbed(scrubber, {
            before: `join ${scheme}`,
            secret: `${sub}${h}${word}${rest}`,
            after: a,
            needles: [word],
          });
          // www., canary. and ptb. of discord.gg/.com are part of the link; another subdomain stays before it.
          expect([`${sub}[DISCORD-INVITE-LINK]`, '[DISCORD-INVITE-LINK]']).toContain(out);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`an invite code under a key or parameter named for it goes (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom('inviteCode', 'invite_code', 'INVITE_CODE', 'invite-code'),
        secretWord(6, 12),
        (key, code) => {
          expect(JSON.stringify(scrubber.value({ [key]: code, code: 'ECONNREFUSED' }))).not.toContain(code);
          expect(scrubber.string(`?${key}=${code}&x=1`)).toBe(`?${key}=[Filtered]&x=1`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`the code of an invite object (discord.js's Invite, the API's) under an invite-named key goes (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom('invite', 'invites', 'guildInvite', 'lastInvite', 'INVITE'),
        secretWord(6, 12),
        fc.boolean(),
        (key, code, inArray) => {
          const invite = { code, uses: 3, guild: { code: 'guild-feature', name: 'kept' } };
          const out = scrubber.value({ [key]: inArray ? [invite, invite] : invite, status: { code: 'ECONNRESET' } });
          const text = JSON.stringify(out);
          expect(text, text).not.toContain(code);
          // Only the invite's own code: a code elsewhere, and the invite's other fields, stay.
          expect(text).toContain('"guild-feature"');
          expect(text).toContain('"ECONNRESET"');
          expect(text).toContain('"uses":3');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a look-alike domain stays', () => {
    for (const text of [
      'mydiscord.gg/abc1',
      'xdiscord.com/invite/abc1',
      'my-discord.gg/abc1',
      'discord.com/channels/@me',
    ]) {
      expect(scrubber.string(text)).toBe(text);
    }
  });
});

describe('false positive: a decimal fraction is not an id, with or without its leading zero', () => {
  const fraction = fc
    .tuple(fc.integer({ min: 1, max: 9 }), chars('0123456789', 16, 24))
    .map(([d, rest]) => `${d}${rest}`);

  it(`digits after the '.' of a number stay, however the number starts (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', 'x = ', '(', '[', ', ', ': ', '=', '-', '+', '*', ' ', 'took ', '{"v":'),
        fc.constantFrom('0.', '.', '-0.', '-.', '12.', '+.'),
        fraction,
        fc.constantFrom('', 'ms', 'e-7', 'e+21', ')', ']', ',', ' s', '}'),
        (before, whole, digits, after) => {
          const text = `${before}${whole}${digits}${after}`;
          expect(scrubber.string(text)).toBe(text);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a secret-named parameter that holds a flag or nothing keeps it (pin=true, auth=false, token=null)', () => {
    for (const text of ['?pin=true&x=1', 'auth=false', 'token=null;', '?password=undefined']) {
      expect(scrubber.string(text)).toBe(text);
    }
  });

  it(`an id after a name's dot, a call, an index, a path or an ellipsis is still an id (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom('guild.', 'a_b.', 'list[0].', 'fn().', '/srv/.', 'wait...', '$.', '{x}.'),
        snowflake,
        (before, id) => {
          const out = expectScrubbed(scrubber, { before, secret: id, after: ' joined', needles: [id] });
          expect(out).toMatch(/^\[SHORTENED-ID-\d{4}\]$/);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('class 4: any host name, in any case, with any domain, in the errors that name it', () => {
  const label = fc
    .tuple(secretWord(3, 8), fc.constantFrom('', '-pc', '-laptop', '-01', '_box'))
    .map(([word, suffix]) => `${word}${suffix}`);
  const domain = fc.constantFrom('.local', '.fritz.box', '.lan', '.home.arpa', '.localdomain', '.ec2.internal');
  const place = fc.constantFrom(
    (h: string) => [`getaddrinfo ENOTFOUND `, h, ''],
    (h: string) => ['ssh bot@', h, ':22'],
    (h: string) => ['http://', h, ':3000/health'],
    (h: string) => ['\\\\', h, '\\share'],
    (h: string) => ['{"host":"', h, '","pid":1}'],
    (h: string) => ['u%40', h, '%2Fx'],
    (h: string) => ['running on ', h, '.'],
  );

  it(`COMPUTERNAME or HOSTNAME, with or without a domain, is found in any case and with any domain after it (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        label,
        fc.option(domain, { nil: undefined }),
        fc.constantFrom('COMPUTERNAME', 'HOSTNAME'),
        fc.option(domain, { nil: undefined }),
        fc.constantFrom(
          (t: string) => t,
          (t: string) => t.toUpperCase(),
          (t: string) => t.toLowerCase(),
        ),
        place,
        (name, ownDomain, variable, textDomain, casing, where) => {
          const s = createScrubber({ env: { [variable]: `${name}${ownDomain ?? ''}` } });
          const [before, host, after] = where(`${casing(name)}${textDomain ?? ''}`) as [string, string, string];
          const out = expectScrubbed(s, { before, secret: host, after, needles: [name] }, true);
          expect(out.startsWith('{COMPUTERNAME}')).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a server named after its role (bot.example.com) leaves the word in prose', () => {
    for (const role of ['bot', 'web', 'api', 'worker', 'server']) {
      const s = createScrubber({ env: { HOSTNAME: `${role}.example.com` } });
      expect(s.string(`the ${role} crashed on ${role}.example.com`)).toBe(`the ${role} crashed on {COMPUTERNAME}`);
    }
  });
});

describe('class 5: object keys that say secret, in any naming style, under any container', () => {
  const styles = fc.constantFrom(
    (w: string[]) => w.map((x, i) => (i ? x[0]?.toUpperCase() + x.slice(1) : x)).join(''),
    (w: string[]) => w.map((x) => x[0]?.toUpperCase() + x.slice(1)).join(''),
    (w: string[]) => w.join('_'),
    (w: string[]) => w.join('_').toUpperCase(),
    (w: string[]) => w.join('-'),
    (w: string[]) => w.join('.'),
  );
  const containers = fc.constantFrom(
    (k: string, v: string) => ({ [k]: v }),
    (k: string, v: string) => new Map([[k, v]]),
    (k: string, v: string) => ({ config: { db: [{ [k]: v }] } }),
    (k: string, v: string) => Object.assign(new Error('failed'), { [k]: v }),
    (k: string, v: string) => Object.assign(Object.create(null) as object, { [k]: v }),
  );

  it(`a key made of a secret word and any other words, with a version digit or not, filters its value (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', 'db', 'user', 'redis', 'smtp', 'admin', 'mfa', 'api'),
        fc.constantFrom(
          'pass',
          'pwd',
          'auth',
          'oauth',
          'jwt',
          'otp',
          'totp',
          'pin',
          'salt',
          'creds',
          'hmac',
          'csrf',
          'passcode',
        ),
        fc.constantFrom('', '2', '1'),
        styles,
        containers,
        secretWord(10, 16),
        (prefix, word, digit, style, container, value) => {
          const key = style([...(prefix ? [prefix] : []), `${word}${digit}`]);
          const out = JSON.stringify(scrubber.value(container(key, value)), (_k, v) => (v instanceof Map ? [...v] : v));
          expect(out, key).not.toContain(value);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a key whose word only starts like a secret one keeps its value', () => {
    for (const key of ['passenger', 'pinned', 'author', 'authority', 'bypass', 'compass', 'spinner', 'saltwater']) {
      expect(scrubber.value({ [key]: 'visible' })).toEqual({ [key]: 'visible' });
    }
  });
});

describe('class 2: a personal path or name that a URL must percent-encode (spaces, non-ASCII letters)', () => {
  const name = fc.constantFrom('Alice Smith', 'Jörg', 'Zoë Ågren', 'José María', 'Łukasz', '田中 太郎', 'Ørjan');
  const encodings = fc.constantFrom(
    (t: string) => t,
    (t: string) => encodeURI(t),
    (t: string) => encodeURIComponent(t),
    (t: string) => encodeURIComponent(encodeURIComponent(t)),
  );

  it(`home, profile and working directory in file:// URLs (ESM stack frames) and encoded text (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(name, fc.constantFrom('HOME', 'USERPROFILE', 'CWD'), encodings, (who, variable, encode) => {
        const path =
          variable === 'USERPROFILE' ? `C:\\Users\\${who}` : variable === 'HOME' ? `/home/${who}` : `/srv/${who} bot`;
        const s = createScrubber({ env: { [variable]: path } });
        const url = variable === 'USERPROFILE' ? `file:///${path.replaceAll('\\', '/')}` : `file://${path}`;
        const out = expectScrubbed(s, {
          before: 'at ',
          secret: encode(`${url}/index.js`),
          after: ':3:7',
          needles: [encode(who)],
        });
        expect(out).toContain(`{${variable}}`);
      }),
      { numRuns: RUNS },
    );
  });

  it(`a user name with a space or non-ASCII letters, plain, percent-encoded or form-encoded (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        name,
        fc.constantFrom(
          (t: string) => t.replaceAll(' ', '+'),
          (t: string) => encodeURIComponent(t).replaceAll('%20', '+'),
        ),
        encodings,
        fc.boolean(),
        (who, form, encode, formEncoded) => {
          const s = createScrubber({ env: { USERNAME: who } });
          const text = formEncoded ? form(who) : encode(who);
          const out = expectScrubbed(s, { before: 'user=', secret: text, after: '&x=1', needles: [text] });
          expect(out).toBe('{USERNAME}');
        },
      ),
      { numRuns: RUNS },
    );
  });
});
