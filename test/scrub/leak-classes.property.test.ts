// Issue #12: each class of leak, closed as a class. For every class a generator places secrets of that kind in
// each context (plain, percent-encoded, JSON-escaped, in URLs, next to colons and ports, in error messages) and
// asserts that the input really holds the secret, that the output does not, that the text around it survives
// exactly, and that scrubbing again changes nothing.
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScrubber, FILTERED, isSecretKey, type Scrubber } from '../../src/scrub/index.js';

const RUNS = 1_500;
const TOKEN = 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs';
const scrubber = createScrubber({ botToken: TOKEN, env: {} });

// Surrounding words hold no hex run of four, no digit and no secret name, so any of them surviving is meaningful.
const WORDS = ['alpha', 'bravo', 'echo', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima', 'mike', 'oscar'];
const words = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));
const chars = (alphabet: string, min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max });
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64URL = `${ALNUM}_-`;
const withDigit = (min: number, max: number) =>
  fc.tuple(chars(ALNUM, min - 1, max - 1), fc.nat({ max: 9 })).map(([s, d]) => `${s}${d}`);

/** A generated case: the whole input, the text that must be gone, and the text that must survive on each side. */
interface Placed {
  before: string;
  secret: string;
  after: string;
  needles: readonly string[];
}

function expectScrubbed(s: Scrubber, { before, secret, after, needles }: Placed, caseless = false): string {
  const input = `${before}${secret}${after}`;
  const fold = (text: string) => (caseless ? text.toLowerCase() : text);
  for (const needle of needles) expect(fold(input)).toContain(fold(needle));
  const out = s.string(input);
  for (const needle of needles) expect(fold(out)).not.toContain(fold(needle));
  expect(out.startsWith(before), `${JSON.stringify(out)} keeps ${JSON.stringify(before)}`).toBe(true);
  expect(out.endsWith(after), `${JSON.stringify(out)} keeps ${JSON.stringify(after)}`).toBe(true);
  expect(s.string(out)).toBe(out);
  return out.slice(before.length, out.length - after.length);
}

const hex4 = fc.integer({ min: 0xa000, max: 0xffff }).map((n) => n.toString(16));
const full8 = fc.array(hex4, { minLength: 8, maxLength: 8 });
const compressed = fc
  .tuple(fc.array(hex4, { minLength: 1, maxLength: 3 }), fc.array(hex4, { minLength: 1, maxLength: 3 }))
  .map(([left, right]) => ({ address: `${left.join(':')}::${right.join(':')}`, groups: [...left, ...right] }));
const port = fc.constantFrom('443', '80', '8080', '6379', '5432', '27017', '65535');

describe('class 1: IPv6 next to colons', () => {
  it(`a full address then :port keeps the port (${RUNS} cases)`, () => {
    const context = fc.constantFrom(
      (ip: string, p: string) => ['connect ECONNREFUSED ', ip, `:${p}`],
      (ip: string, p: string) => ['Error: connect ETIMEDOUT ', ip, `:${p} (after 3 tries)`],
      (ip: string, p: string) => ['ip:', ip, `:${p}`],
      (ip: string, p: string) => ['{"message":"connect ECONNREFUSED ', ip, `:${p}"}`],
    );
    fc.assert(
      fc.property(full8, port, context, words, (groups, p, place, tail) => {
        const [before, secret, after] = place(groups.join(':'), p) as [string, string, string];
        const kept = expectScrubbed(scrubber, { before, secret, after: `${after} ${tail}`, needles: groups });
        expect(kept).toBe('IP_V6');
      }),
      { numRuns: RUNS },
    );
  });

  it(`an address before ': ', after 'ip:' or a label, or a compressed one with :digits goes whole (${RUNS} cases)`, () => {
    const address = fc.oneof(
      full8.map((groups) => ({ address: groups.join(':'), groups })),
      compressed,
    );
    const context = fc.constantFrom(
      (ip: string) => ['peer ', ip, ': reset'],
      (ip: string) => ['ip:', ip, ' closed'],
      (ip: string) => ['remote_addr:', ip, ', retrying'],
      (ip: string) => ['from ', ip, ':'],
      (ip: string) => ['[', ip, ']:8443'],
    );
    fc.assert(
      fc.property(address, context, words, ({ address: ip, groups }, place, tail) => {
        const [before, secret, after] = place(ip) as [string, string, string];
        expect(expectScrubbed(scrubber, { before, secret, after: `${after} ${tail}`, needles: groups })).toBe('IP_V6');
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(compressed, port, words, ({ address: ip, groups }, p, tail) => {
        const placed = { before: 'connect ', secret: `${ip}:${p}`, after: ` ${tail}`, needles: groups };
        expect(expectScrubbed(scrubber, placed)).toBe('IP_V6');
      }),
      { numRuns: RUNS },
    );
  });

  it('the examples of the issue', () => {
    const ip = '2a02:8071:5e80:1a00:b5c1:4d2e:aa9f:7d10';
    expect(scrubber.string(`connect ECONNREFUSED ${ip}:443`)).toBe('connect ECONNREFUSED IP_V6:443');
    expect(scrubber.string('peer 2001:db8::1: reset')).toBe('peer IP_V6: reset');
    expect(scrubber.string('ip:2001:db8::1')).toBe('ip:IP_V6');
    expect(scrubber.string('connect 2001:db8::1:65535 failed')).toBe('connect IP_V6 failed');
    // Loopback and unspecified stay, also with Node's port notation; code and times stay untouched.
    for (const kept of ['listen EADDRINUSE: address already in use :::3000', 'connect ECONNREFUSED ::1:6379']) {
      expect(scrubber.string(kept)).toBe(kept);
    }
    for (const code of ['Foo::bar: x', 'std::vector<int>', 'at 12:30:45: done', 'sha256:9f86d081884c7d65']) {
      expect(scrubber.string(code)).toBe(code);
    }
  });
});

// Secrets of each kind with a word boundary, as they would appear right after an encoded separator.
const bounded = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 1, max: 223 }),
      fc.nat({ max: 255 }),
      fc.nat({ max: 255 }),
      fc.integer({ min: 1, max: 254 }),
    )
    .filter(([a]) => a !== 127)
    .map((octets) => ({ secret: octets.join('.'), needles: [octets.join('.')] })),
  full8.map((groups) => ({ secret: groups.join(':'), needles: groups })),
  compressed.map(({ address, groups }) => ({ secret: address, needles: groups })),
  fc.bigInt({ min: 10n ** 17n, max: (1n << 63n) - 1n }).map((id) => ({ secret: String(id), needles: [String(id)] })),
  withDigit(6, 12).map((code) => ({ secret: `discord.gg/${code}`, needles: [code] })),
  fc.constant({ secret: TOKEN.split('.')[2] as string, needles: [TOKEN.split('.')[2] as string] }),
  fc.constant({ secret: 'Alice', needles: ['Alice'] }),
  fc.constant({ secret: 'alices-laptop', needles: ['alices-laptop'] }),
);
const personal = createScrubber({ botToken: TOKEN, env: { USERNAME: 'Alice', COMPUTERNAME: 'alices-laptop' } });

describe('class 2: percent-encoded contexts', () => {
  it(`anything right after %3D %2F %3A %40 %20 %2C, and IPv6 between %5B and %5D (${RUNS} cases)`, () => {
    const encoded = fc.constantFrom('%3D', '%3d', '%2F', '%2f', '%3A', '%40', '%20', '%2C');
    const end = fc.constantFrom('%26next%3D1', '%2Fpath', '%20and', '%5D%3A443', '&next=1');
    fc.assert(
      fc.property(words, bounded, encoded, end, (head, { secret, needles }, open, close) => {
        const before = `${head.replaceAll(' ', '_')}=redirect${open}`;
        const after = `${close}`;
        expectScrubbed(personal, { before, secret, after, needles });
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          full8.map((g) => ({ ip: g.join(':'), g })),
          compressed.map((c) => ({ ip: c.address, g: c.groups })),
        ),
        ({ ip, g }) => {
          const out = expectScrubbed(scrubber, {
            before: 'http%3A%2F%2F%5B',
            secret: ip,
            after: '%5D%3A8080%2Fx',
            needles: g,
          });
          expect(out).toBe('IP_V6');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the examples of the issue', () => {
    expect(scrubber.string('q%3D203.0.113.5%26x')).toBe('q%3DIP_V4%26x');
    expect(scrubber.string('u=http%3A%2F%2F%5B2001:db8::1%5D%3A80')).toBe('u=http%3A%2F%2F%5BIP_V6%5D%3A80');
    expect(scrubber.string('next=%2Fchannels%40123456789012345678')).toBe('next=%2Fchannels%40[SHORTENED-ID-2216]');
    // Percent-encoded colons inside an IPv6 address stay a documented limitation (corpus ip-37).
    expect(scrubber.string('q=%5B2001%3Adb8%3A%3A1%5D')).toBe('q=%5B2001%3Adb8%3A%3A1%5D');
  });
});

const ESCAPED_DOT = ['\\u002e', '\\u002E', '\\\\u002e', '%2E'];
const ESCAPED_SLASH = ['\\/', '\\u002f', '\\u002F', '\\\\/', '%2F'];

describe('class 3: JSON and JavaScript escapes', () => {
  it(`a token whose dots are escaped goes whole (${RUNS} cases)`, () => {
    const [first, second, hmac] = TOKEN.split('.') as [string, string, string];
    fc.assert(
      fc.property(fc.constantFrom(...ESCAPED_DOT, '.'), fc.constantFrom(...ESCAPED_DOT, '.'), words, (d1, d2, w) => {
        const placed = {
          before: `{"msg":"${w} `,
          secret: `${first}${d1}${second}${d2}${hmac}`,
          after: `\\" ${w}"}`,
          needles: [second, hmac],
        };
        expect(expectScrubbed(scrubber, placed)).toBe('[BOT-TOKEN]');
      }),
      { numRuns: RUNS },
    );
  });

  it(`an invite whose slash or dot is escaped goes, and the JSON around it survives (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ESCAPED_SLASH, '/'),
        fc.constantFrom('.', '\\u002e'),
        fc.constantFrom('https:\\/\\/', 'https:\\u002f\\u002f', '', '\\n', '\\u0020'),
        withDigit(6, 12),
        words,
        (slash, dot, scheme, code, w) => {
          const placed = {
            before: `{"text":"${w} ${scheme}`,
            secret: `discord${dot}gg${slash}${code}`,
            after: `\\",\\"n\\":1"}`,
            needles: [code],
          };
          expect(expectScrubbed(scrubber, placed)).toBe('[DISCORD-INVITE-LINK]');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`ids, addresses and names right after an escape (\\n, \\t, \\u0040, \\u003d) are found (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(bounded, fc.constantFrom('\\n', '\\t', '\\r', '\\u0040', '\\u003d', '\\u0020'), (s, escaped) => {
        expectScrubbed(personal, {
          before: `"line one${escaped}`,
          secret: s.secret,
          after: '\\nline two"',
          needles: s.needles,
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('the examples of the issue', () => {
    expect(scrubber.string('"MTk4NjIyNDgzNDcxOTI1MjQ4\\u002eCl2FMQ\\u002eZnCjm1XVW7vRze4b7Cq4se7kKWs"')).toBe(
      '"[BOT-TOKEN]"',
    );
    expect(scrubber.string('{"u":"https:\\/\\/discord.gg\\u002fAbC123","x":1}')).toBe(
      '{"u":"https:\\/\\/[DISCORD-INVITE-LINK]","x":1}',
    );
  });
});

describe('class 4: the host name, in a domain and in its short form', () => {
  const label = fc
    .tuple(
      fc.constantFrom('alices', 'bobs', 'carols', 'daves'),
      fc.constantFrom('laptop', 'macbook-pro', 'desktop', 'pc'),
    )
    .map(([a, b]) => `${a}-${b}`);
  const casing = fc.constantFrom(
    (s: string) => s,
    (s: string) => s.toUpperCase(),
    (s: string) => s.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase()),
  );
  const domain = fc.constantFrom('.local', '.fritz.box', '.lan', '.home.arpa', '.example.com');
  const context = fc.constantFrom(
    (host: string) => ['getaddrinfo ENOTFOUND ', host, ''],
    (host: string) => ['ssh alice@', host, ':22 refused'],
    (host: string) => ['connect to http://', host, ':3000/health'],
    (host: string) => ['url=http%3A%2F%2F', host, '%3A3000'],
    (host: string) => ['{"host":"', host, '"}'],
    (host: string) => ['mailto\\u003abot\\u0040', host, ' failed'],
  );
  it(`a host name from COMPUTERNAME or HOSTNAME, followed by a domain or not (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        label,
        casing,
        domain,
        fc.boolean(),
        fc.boolean(),
        context,
        (name, cased, dom, macStyle, viaHostname, place) => {
          const configured = macStyle ? `${name}.local` : name;
          const s = createScrubber({ env: viaHostname ? { HOSTNAME: configured } : { COMPUTERNAME: configured } });
          for (const written of [cased(name), `${cased(name)}${dom}`]) {
            const [before, secret, after] = place(written) as [string, string, string];
            const out = expectScrubbed(s, { before, secret, after, needles: [name] }, true);
            expect(['{COMPUTERNAME}', `{COMPUTERNAME}${dom}`]).toContain(out);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the examples of the issue, and no false positive on a longer name', () => {
    const s = createScrubber({ env: { COMPUTERNAME: 'Alices-MacBook-Pro.local', HOSTNAME: 'alices-laptop' } });
    expect(s.string('getaddrinfo ENOTFOUND alices-laptop.fritz.box')).toBe(
      'getaddrinfo ENOTFOUND {COMPUTERNAME}.fritz.box',
    );
    expect(s.string('alice@alices-laptop.local')).toBe('alice@{COMPUTERNAME}.local');
    expect(s.string('Alices-MacBook-Pro and Alices-MacBook-Pro.local')).toBe('{COMPUTERNAME} and {COMPUTERNAME}');
    expect(s.string('alices-laptop2 and my-alices-laptop')).toBe('alices-laptop2 and my-alices-laptop');
  });
});

describe('class 5: credentials that are not Discord’s', () => {
  const schemes = fc.oneof(
    fc.constantFrom(
      'redis',
      'rediss',
      'postgres',
      'postgresql',
      'mongodb+srv',
      'amqp',
      'mysql',
      'https',
      'ftp',
      'smtp',
    ),
    fc
      .tuple(chars('abcdefghijklmnopqrstuvwxyz', 1, 1), chars('abcdefghijklmnopqrstuvwxyz0123456789+.-', 1, 8))
      .map(([a, b]) => a + b),
  );
  const user = fc.oneof(fc.constant(''), chars(ALNUM, 1, 10));
  // Characters a password may hold unencoded in a URL a person wrote, '@' and ':' included.
  const password = fc.tuple(chars(`${ALNUM}!$&()*+,;=:@~-._`, 5, 20), fc.nat({ max: 9 })).map(([p, d]) => `${p}${d}X`);
  const hostPart = fc.constantFrom('db.example.com', 'localhost:6379', 'pg.internal:5432', 'cache', '[::1]:6379');

  it(`scheme://user:password@host in text, JSON, percent-encoded and as a URL object (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(schemes, user, password, hostPart, words, (scheme, u, p, host, w) => {
        const url = `${scheme}://${u}:${p}@${host}/0`;
        const plain = expectScrubbed(scrubber, {
          before: `${w} connect to `,
          secret: url,
          after: ` failed ${w}`,
          needles: [p],
        });
        expect(plain).toBe(`${scheme}://${u}:${FILTERED}@${host}/0`);
        const json = JSON.stringify(url).slice(1, -1).replaceAll('/', '\\/');
        expectScrubbed(scrubber, { before: '{"url":"', secret: json, after: '","n":1}', needles: [p] });
        const encoded = encodeURIComponent(url);
        expectScrubbed(scrubber, {
          before: '/login?next=',
          secret: encoded,
          after: '&lang=en',
          needles: [encodeURIComponent(p)],
        });
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.constantFrom('redis', 'postgres', 'https', 'amqp'), user, password, (scheme, u, p) => {
        const url = new URL(`${scheme}://${u}:${encodeURIComponent(p)}@db.example.com:1234/x`);
        expect(String(url)).toContain(url.password);
        const out = JSON.stringify(scrubber.value({ url, nested: [url] }));
        expect(out).not.toContain(url.password);
        expect(out).toContain('db.example.com:1234');
      }),
      { numRuns: RUNS },
    );
  });

  it(`Authorization: Basic in headers, JSON and encoded, and alone when it decodes to user:password (${RUNS} cases)`, () => {
    const context = fc.constantFrom(
      (c: string) => ['Authorization: Basic ', c, '\r\nAccept: */*'],
      (c: string) => ['{"authorization":"Basic ', c, '","accept":"*/*"}'],
      (c: string) => ['h=Authorization%3A%20Basic%20', c, '&x=1'],
      (c: string) => ['sent Basic ', c, ' to the proxy'],
    );
    fc.assert(
      fc.property(chars(ALNUM, 1, 12), password, context, (u, p, place) => {
        const credential = Buffer.from(`${u}:${p}`).toString('base64');
        const encoded = place(credential)[0]?.includes('%') ? encodeURIComponent(credential) : credential;
        const [before, , after] = place(encoded) as [string, string, string];
        const out = expectScrubbed(scrubber, {
          before: before.replace(/Basic( |%20)$/, ''),
          secret: `Basic${before.endsWith('%20') ? '%20' : ' '}${encoded}`,
          after,
          needles: [encoded],
        });
        expect(out).toBe('Basic [Filtered]');
      }),
      { numRuns: RUNS },
    );
    expect(scrubber.string('Basic usage: see the docs')).toBe('Basic usage: see the docs');
  });

  const secretNames = fc.constantFrom(
    'password',
    'passwd',
    'pwd',
    'pass',
    'token',
    'access_token',
    'refresh_token',
    'secret',
    'client_secret',
    'key',
    'api_key',
    'apikey',
    'apiKey',
    'X-Api-Key',
    'auth',
    'sig',
    'signature',
    'X-Amz-Signature',
    'code',
    'session',
  );
  it(`secret-named query parameters and key=value pairs, plain, encoded and escaped (${RUNS} cases)`, () => {
    const value = fc.tuple(chars(B64URL, 6, 30), fc.nat({ max: 9 })).map(([v, d]) => `${v}${d}`);
    const context = fc.constantFrom(
      (n: string, v: string) => [`GET /cb?${n}=`, v, '&state=ok'],
      (n: string, v: string) => [`GET /cb?lang=en&${n}=`, v, '#top'],
      (n: string, v: string) => [`login failed ${n}=`, v, ' user=bob'],
      (n: string, v: string) => [`next=%2Fcb%3F${n}%3D`, v, '%26state%3Dok'],
      (n: string, v: string) => [`{"url":"https:\\/\\/x\\/cb?a=1\\u0026${n}\\u003d`, v, '\\u0026b=2"}'],
      (n: string, v: string) => [`(see ?${n}=`, v, ').'],
      (n: string, v: string) => [`${n}="`, v, '" next'],
    );
    fc.assert(
      fc.property(secretNames, value, context, (name, v, place) => {
        const [before, secret, after] = place(name, v) as [string, string, string];
        expect(expectScrubbed(scrubber, { before, secret, after, needles: [v] })).toBe(FILTERED);
      }),
      { numRuns: RUNS },
    );
    // Names that merely contain a secret word's letters keep their values.
    for (const kept of ['?monkey=banana1', '?passenger=ann1', '?error_code=50013', '?author=bob']) {
      expect(scrubber.string(kept)).toBe(kept);
    }
  });

  it(`object keys pass, pwd and auth, and their camelCase, snake_case and kebab-case compounds (${RUNS} cases)`, () => {
    const word = fc.constantFrom('db', 'redis', 'proxy', 'basic', 'user', 'admin', 'smtp');
    const compose = fc.constantFrom(
      (a: string, s: string, b: string) =>
        `${a}${s[0]?.toUpperCase()}${s.slice(1)}${b ? b[0]?.toUpperCase() + b.slice(1) : ''}`,
      (a: string, s: string, b: string) => [a, s, b].filter(Boolean).join('_'),
      (a: string, s: string, b: string) => [a, s, b].filter(Boolean).join('-').toUpperCase(),
      (_a: string, s: string, b: string) => [s, b].filter(Boolean).join('_'),
    );
    fc.assert(
      fc.property(
        word,
        fc.constantFrom('pass', 'pwd', 'auth'),
        fc.constantFrom('', 'value', 'header'),
        compose,
        chars(ALNUM, 4, 16),
        (a, s, b, join, v) => {
          const key = join(a, s, b);
          const out = scrubber.value({ [key]: `${v}!`, keep: `${v}?` }) as Record<string, unknown>;
          expect(out).toEqual({ [key]: FILTERED, keep: `${v}?` });
        },
      ),
      { numRuns: RUNS },
    );
    expect(scrubber.value({ passenger: 'a', author: 'b', compass: 'c' })).toEqual({
      passenger: 'a',
      author: 'b',
      compass: 'c',
    });
  });
});

describe('class 6: every invite form discord.js accepts', () => {
  const host = fc.constantFrom(
    'discord.gg/',
    'discord.gg/invite/',
    'discord.com/invite/',
    'discordapp.com/invite/',
    'www.discord.gg/',
    'canary.discord.com/invite/',
    'ptb.discordapp.com/invite/',
    'dsc.gg/',
  );
  const code = fc.tuple(chars(`${ALNUM}_-`, 1, 14), fc.nat({ max: 9 })).map(([c, d]) => `x${c}${d}`);
  const encoding = fc.constantFrom(
    (link: string) => link,
    (link: string) => link.replaceAll('/', '\\/'),
    (link: string) => link.replaceAll('/', '\\u002f'),
    (link: string) => encodeURIComponent(link),
  );
  const after = fc.constantFrom('?event=1', '"', ',', ') next', '/', '&x=1', '%26x%3D1', '\\"}');
  it(`bounded, so the text after the code survives (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', 'https://', 'http://'),
        host,
        code,
        encoding,
        after,
        words,
        (scheme, h, c, encode, tail, w) => {
          const link = encode(`${scheme}${h}${c}`);
          const schemeText = encode(scheme);
          const placed = {
            before: `${w} ${schemeText}`,
            secret: link.slice(schemeText.length),
            after: tail,
            needles: [c],
          };
          expect(expectScrubbed(scrubber, placed)).toBe('[DISCORD-INVITE-LINK]');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the examples of the issue', () => {
    expect(scrubber.string('join discord.gg/invite/AbC123?x=1')).toBe('join [DISCORD-INVITE-LINK]?x=1');
    expect(scrubber.string('https://discord.com/invite/ab_c-1 now')).toBe('https://[DISCORD-INVITE-LINK] now');
  });
});

describe('class 7: the token at the edges', () => {
  const snowflake = fc.bigInt({ min: 10n ** 17n, max: (1n << 63n) - 1n }).map(String);
  const token = fc
    .tuple(snowflake, chars(B64URL, 6, 6), chars(B64URL, 27, 38))
    .map(([id, ts, hmac]) => [Buffer.from(id).toString('base64').replace(/=+$/, ''), ts, hmac] as const);
  const wrap = fc.constantFrom('\n', '\r\n', '\n    ', '\\n', '\\r\\n');

  it(`the censored form <first>.<second>.***** goes whole (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(token, words, ([first, second, hmac], w) => {
        const s = createScrubber({ botToken: `${first}.${second}.${hmac}`, env: {} });
        const censored = `${first}.${second}.${'*'.repeat(hmac.length)}`;
        const placed = {
          before: `[WS => Shard 0] Provided token: `,
          secret: censored,
          after: `\n${w}`,
          needles: [second, '*'],
        };
        expect(expectScrubbed(s, placed)).toBe('[BOT-TOKEN]');
      }),
      { numRuns: RUNS },
    );
  });

  it(`a token wrapped before its secret segment goes whole, no stray '.' (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        token,
        wrap,
        fc.nat(),
        fc.constantFrom('first', 'dot1', 'second', 'dot2'),
        words,
        ([first, second, hmac], nl, at, where, w) => {
          const s = createScrubber({ botToken: `${first}.${second}.${hmac}`, env: {} });
          const cut = (part: string) => 1 + (at % (part.length - 1));
          const wrapped =
            where === 'first'
              ? `${first.slice(0, cut(first))}${nl}${first.slice(cut(first))}.${second}.${hmac}`
              : where === 'second'
                ? `${first}.${second.slice(0, cut(second))}${nl}${second.slice(cut(second))}.${hmac}`
                : where === 'dot1'
                  ? `${first}${at % 2 ? `.${nl}` : `${nl}.`}${second}.${hmac}`
                  : `${first}.${second}${at % 2 ? `.${nl}` : `${nl}.`}${hmac}`;
          const placed = { before: `${w}: `, secret: wrapped, after: ` ${w}`, needles: [hmac] };
          expect(expectScrubbed(s, placed)).toBe('[BOT-TOKEN]');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`a getter that returns null, '' or nothing keeps the last token it returned (${RUNS} cases)`, () => {
    const step = fc.oneof(
      token.map((t) => t.join('.')),
      fc.constantFrom(null, '', undefined, [] as string[], ['']),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
        let current: string | readonly string[] | null | undefined = null;
        const s = createScrubber({ botToken: () => current, env: {} });
        let last: string | undefined;
        for (const value of steps) {
          current = value;
          if (typeof value === 'string' && value) last = value;
          if (last) expect(s.string(`token ${last} end`)).toBe('token [BOT-TOKEN] end');
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a wrap inside the secret segment keeps its tail (corpus tok-09, a documented limitation)', () => {
    expect(scrubber.string('MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vR\nze4b7Cq4se7kKWs')).toBe(
      '[BOT-TOKEN]\nze4b7Cq4se7kKWs',
    );
  });
});

describe('false positive: a decimal fraction is not an id', () => {
  it(`digits after the '.' of a number stay (${RUNS} cases)`, () => {
    const fraction = fc.tuple(
      fc.bigInt({ min: 0n, max: 10n ** 6n }),
      fc.bigInt({ min: 10n ** 16n, max: 10n ** 19n - 1n }),
      fc.constantFrom('', 'e-7', 'e+21'),
    );
    fc.assert(
      fc.property(fraction, words, ([whole, digits, exponent], w) => {
        const text = `${w} ${whole}.${digits}${exponent} ${w}`;
        expect(text).toMatch(/\.\d{17,}/);
        expect(scrubber.string(text)).toBe(text);
      }),
      { numRuns: RUNS },
    );
    expect(scrubber.string('0.1 + 0.2 = 0.30000000000000004')).toBe('0.1 + 0.2 = 0.30000000000000004');
    // An id after a dot that is not a number's (a path, a sentence) is still an id.
    expect(scrubber.string('guild.123456789012345678')).toBe('guild.[SHORTENED-ID-2216]');
  });
});

describe('property: string() stays idempotent where the new rules meet', () => {
  const pieces = [
    ...['%2F', '%3D', '%40', '%20', '%5B', '%5D', '%3A', '\\u002e', '\\u002f', '\\u0040', '\\/', '\\n', '\\"'],
    ...['=', '@', ':', '::', '//', '.', '/', '?', '&', '#', '[', ']', '{', '}', '"', "'", ' ', '\n', '*'],
    ...['redis://', 'user', 'pw', 'token', 'key', 'code', 'Authorization: ', 'Basic ', 'dXNlcjpwYXNz', 'ip'],
    ...['123456789012345678', '0.3', '203.0.113.5', '2001', 'db8', 'abcd', '443', 'discord', '.gg', 'invite'],
    ...['Alice', 'alices-laptop', '.local', '/home/alice', ...TOKEN.split('.')],
  ];
  const s = createScrubber({
    botToken: TOKEN,
    env: { HOME: '/home/alice', USERNAME: 'Alice', COMPUTERNAME: 'alices-laptop.local' },
  });
  it('holds for 20,000 strings built from the pieces the rules look for', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), (parts) => {
        const once = s.string(parts.join(''));
        expect(s.string(once)).toBe(once);
      }),
      { numRuns: 20_000 },
    );
  });
});

// Secrets written as fields inside text (an error message with a request body, a header dump, a YAML config): the
// value after a secret-named key goes, the key and the rest stay. Names are judged as object keys are (isSecretKey).
describe('class 8: secret fields written as text (JSON, escaped JSON, util.inspect, header lines, YAML)', () => {
  const styles = fc.constantFrom(
    (parts: string[]) => parts.map((p, i) => (i ? p[0]?.toUpperCase() + p.slice(1) : p)).join(''),
    (parts: string[]) => parts.join('_'),
    (parts: string[]) => parts.join('-'),
    (parts: string[]) => parts.join('_').toUpperCase(),
    (parts: string[]) => parts.map((p) => p[0]?.toUpperCase() + p.slice(1)).join('-'),
  );
  const cores = ['password', 'passwd', 'pwd', 'pass', 'token', 'secret', 'auth', 'authorization', 'cookie'];
  const compound = ['api key', 'access key', 'private key', 'session key', 'credential', 'signature', 'passphrase'];
  const secretName = fc
    .tuple(
      fc.constantFrom('', 'db', 'client', 'x', 'bot', 'proxy', 'refresh', 'access', 'x auth'),
      fc.constantFrom(...cores, ...compound),
      fc.constantFrom('', 'value', 'v2', 'header'),
      styles,
    )
    .map(([prefix, core, suffix, style]) => style([prefix, core, suffix].join(' ').trim().split(/\s+/)));
  const headerName = fc.constantFrom(
    'Authorization',
    'Proxy-Authorization',
    'Cookie',
    'Set-Cookie',
    'X-Api-Key',
    'x-api-key',
    'X-Auth-Token',
    'Private-Token',
    'X-Access-Token',
    'X-Client-Secret',
  );
  // A distinctive part (a digit, then X: no surrounding word holds one), and characters around it that may be in a value.
  const core = fc.tuple(chars(ALNUM, 5, 20), fc.nat({ max: 9 })).map(([v, d]) => `${v}${d}X`);
  const anyValue = fc
    .tuple(chars(` !$&()*+,;=:@~-._'"\\/#%{}[]<>é\n\t`, 0, 6), core, chars(' !$&*+,;:@~-._/#%', 0, 4))
    .map(([a, c, b]) => ({ value: `${a}${c}${b}`, core: c }));
  // A header or YAML value: anything but a line break, starting and ending with a letter (so trimming is not tested).
  const lineValue = fc
    .tuple(core, chars(` !$&()*+,;=:@~-._'"/#%{}[]<>`, 0, 8), core)
    .map(([a, mid, b]) => ({ value: `${a}${mid}${b}`, core: a }));
  const wordValue = fc.tuple(chars(`${B64URL}.~+/@!*$`, 0, 8), core).map(([a, c]) => ({ value: `${a}${c}`, core: c }));

  interface Context {
    input: string;
    encoded: string;
  }
  const json = (v: string) => JSON.stringify(v).slice(1, -1);
  const quoted: ((name: string, value: string) => Context)[] = [
    (n, v) => ({ input: `Request failed: ${JSON.stringify({ [n]: v, user: 'bob', n: 1 })}`, encoded: json(v) }),
    (n, v) => ({ input: JSON.stringify({ user: 'bob', body: { [n]: v, mode: 'x' } }, null, 2), encoded: json(v) }),
    (n, v) => ({ input: `{"${n}" : "${json(v)}", "user" : "bob"}`, encoded: json(v) }),
    (n, v) => ({
      input: JSON.stringify({ message: `bad body ${JSON.stringify({ [n]: v, user: 'bob' })}`, level: 'error' }),
      encoded: json(json(v)),
    }),
    (n, v) => ({
      input: JSON.stringify({ outer: JSON.stringify({ inner: JSON.stringify({ [n]: v, user: 'bob' }) }) }),
      encoded: json(json(json(v))),
    }),
    (n, v) => ({ input: inspect({ [n]: v, user: 'bob', n: 1 }), encoded: inspect(v).slice(1, -1) }),
    (n, v) => ({
      input: `options: ${inspect({ [n]: v, user: 'bob' }, { breakLength: Number.POSITIVE_INFINITY })} ignored`,
      encoded: inspect(v).slice(1, -1),
    }),
    (n, v) => ({ input: `${n}: "${json(v)}" and more`, encoded: json(v) }),
  ];
  const lines: ((name: string, value: string) => Context)[] = [
    (n, v) => ({ input: `GET /x HTTP/1.1\r\nHost: example.test\r\n${n}: ${v}\r\nAccept: */*`, encoded: v }),
    (n, v) => ({ input: `${n}: ${v}\nAccept: */*`, encoded: v }),
    (n, v) => ({ input: JSON.stringify({ headers: `${n}: ${v}\r\nAccept: */*`, n: 1 }), encoded: json(v) }),
    (n, v) => ({ input: JSON.stringify({ raw: `Host: example.test\n${n}: ${v}`, n: 1 }), encoded: json(v) }),
    (n, v) => ({ input: `db:\n  ${n}: ${v}\n  user: bob`, encoded: v }),
  ];
  const inline: ((name: string, value: string) => Context)[] = [
    (n, v) => ({ input: `login failed for ${n}: ${v} (user bob)`, encoded: v }),
    (n, v) => ({ input: `{ ${n}: ${v}, user: 'bob' }`, encoded: v }),
  ];

  const check = ({ input, encoded }: Context, needle: string) => {
    const at = input.indexOf(encoded);
    expect(at, `${JSON.stringify(input)} holds ${JSON.stringify(encoded)}`).toBeGreaterThanOrEqual(0);
    const placed = { before: input.slice(0, at), secret: encoded, after: input.slice(at + encoded.length) };
    expect(expectScrubbed(scrubber, { ...placed, needles: [needle] })).toBe(FILTERED);
  };

  it(`quoted values in JSON, JSON in JSON (twice), util.inspect and quoted text (${RUNS} cases per context)`, () => {
    for (const place of quoted) {
      fc.assert(
        fc.property(fc.oneof(secretName, headerName), anyValue, (name, { value, core: needle }) => {
          expect(isSecretKey(name)).toBe(true);
          check(place(name, value), needle);
        }),
        { numRuns: RUNS },
      );
    }
  });

  it(`header lines and YAML: the value runs to the end of the line, also an escaped one (${RUNS} cases per context)`, () => {
    for (const place of lines) {
      fc.assert(
        fc.property(fc.oneof(headerName, secretName), lineValue, (name, { value, core: needle }) => {
          check(place(name, value), needle);
        }),
        { numRuns: RUNS },
      );
    }
  });

  it(`a bare value inside a line, and numbers in JSON (${RUNS} cases per context)`, () => {
    const notWholeLine = secretName.filter((n) => !/authorization|cookie/i.test(n));
    for (const place of inline) {
      fc.assert(
        fc.property(notWholeLine, wordValue, (name, { value, core: needle }) => check(place(name, value), needle)),
        { numRuns: RUNS },
      );
    }
    fc.assert(
      fc.property(secretName, fc.integer({ min: 100_000, max: 99_999_999 }), (name, pin) => {
        check({ input: `{"${name}": ${pin}, "user": "bob"}`, encoded: String(pin) }, String(pin));
      }),
      { numRuns: RUNS },
    );
  });

  it(`keeps fields whose names do not say secret, file:line:column of any file, and null, true, false (${RUNS} cases)`, () => {
    // After a colon, names are judged as object keys are, not as the terser key=value names: `code: 404`,
    // `key: guildId` and `session: 3` are a status, prose and a counter far more often than a secret.
    const plainName = fc.constantFrom(
      'code',
      'status',
      'statusCode',
      'key',
      'Missing key',
      'session',
      'sig',
      'author',
      'passenger',
      'monkey',
      'keyboard',
      'guildId',
      'error',
    );
    const plainValue = fc.oneof(fc.constantFrom(...WORDS), fc.integer({ min: 0, max: 99_999 }).map(String));
    const shapes = fc.constantFrom(
      (n: string, v: string) => `{"${n}": ${/^\d+$/.test(v) ? v : `"${v}"`}, "user": "bob"}`,
      (n: string, v: string) => `{"${n}":"${v}"}`,
      (n: string, v: string) => inspect({ [n]: /^\d+$/.test(v) ? Number(v) : v, user: 'bob' }),
      (n: string, v: string) => `${n}: ${v}\nAccept: */*`,
      (n: string, v: string) => `request failed, ${n}: ${v} (retrying)`,
      (n: string, v: string) => JSON.stringify({ message: `${n}: ${v}` }),
    );
    fc.assert(
      fc.property(plainName, plainValue, shapes, (name, value, shape) => {
        const text = shape(name, value);
        expect(scrubber.string(text)).toBe(text);
      }),
      { numRuns: RUNS },
    );
    const frame = fc.constantFrom(
      (file: string, l: number, c: number) => `    at login (/app/src/${file}.js:${l}:${c})`,
      (file: string, l: number, c: number) => `    at file:///app/lib/${file}.mjs:${l}:${c}`,
      (file: string, l: number, c: number) => `${file}.ts:${l}:${c} - error TS2322`,
      (file: string, l: number, c: number) => `    at Object.<anonymous> (C:\\app\\${file}.js:${l}:${c})`,
    );
    fc.assert(
      fc.property(secretName, fc.nat({ max: 9999 }), fc.nat({ max: 200 }), frame, (file, l, c, place) => {
        const text = place(file, l, c);
        expect(scrubber.string(text)).toBe(text);
      }),
      { numRuns: RUNS },
    );
    for (const kept of ['{"token": null, "auth": true}', '{ password: false, cookie: undefined }', 'pwd: null']) {
      expect(scrubber.string(kept)).toBe(kept);
    }
  });

  it('the examples of the attack, and values an earlier rule already replaced', () => {
    const cases: [string, string][] = [
      ['Error: bad body {"password":"hunter2"}', `Error: bad body {"password":"${FILTERED}"}`],
      ['{"api_key": "abc123", "n": 1}', `{"api_key": "${FILTERED}", "n": 1}`],
      ['{"msg":"{\\"token\\":\\"x\\"}"}', `{"msg":"{\\"token\\":\\"${FILTERED}\\"}"}`],
      ['"clientSecret" : "s3cr3t"', `"clientSecret" : "${FILTERED}"`],
      ["{ password: 'hunter2', user: 'bob' }", `{ password: '${FILTERED}', user: 'bob' }`],
      ['token: "abc"', `token: "${FILTERED}"`],
      ['x-api-key: abc123', `x-api-key: ${FILTERED}`],
      ['Cookie: session=abc; other=def\r\nHost: x', `Cookie: ${FILTERED}\r\nHost: x`],
      ['Authorization: Token abc', `Authorization: ${FILTERED}`],
      ['Proxy-Authorization: Digest u="a", r="b"', `Proxy-Authorization: ${FILTERED}`],
      ['X-Auth-Token: abc\\r\\nAccept: x', `X-Auth-Token: ${FILTERED}\\r\\nAccept: x`],
      ['password: hunter2', `password: ${FILTERED}`],
      // Already replaced by the Bearer, Basic and bot token rules: kept as they wrote it.
      ['Authorization: Bearer abc.def', 'Authorization: Bearer [Filtered]'],
      ['Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic [Filtered]'],
      [`Authorization: Bot ${TOKEN}`, 'Authorization: Bot [BOT-TOKEN]'],
      [`{"token":"${TOKEN}"}`, '{"token":"[BOT-TOKEN]"}'],
      ['Missing key: guildId', 'Missing key: guildId'],
      ['"code": 404', '"code": 404'],
      ['status: 500', 'status: 500'],
    ];
    for (const [input, output] of cases) {
      expect(scrubber.string(input)).toBe(output);
      expect(scrubber.string(output)).toBe(output);
    }
  });

  it('string() stays idempotent on 20,000 strings built from the pieces of fields', () => {
    const pieces = [
      ...['"', "'", '\\"', '\\\\\\"', ':', ': ', ' : ', '\n', '\\n', '\r\n', '\\r\\n', ',', ' ', '{', '}', '`'],
      ...['password', 'token', 'api_key', 'X-Api-Key', 'Cookie', 'Authorization', 'key', 'code', 'null'],
      ...['hunter2', 'a=b', '; ', 'Bearer ', 'Basic ', 'dXNlcjpwYXNz', '[Filtered]', 'IP_V4', '203.0.113.5'],
      ...['123456789012345678', '/home/alice', TOKEN, '.js:12:3', '=', 'session='],
    ];
    const s = createScrubber({ botToken: TOKEN, env: { HOME: '/home/alice' } });
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), (parts) => {
        const once = s.string(parts.join(''));
        expect(s.string(once)).toBe(once);
      }),
      { numRuns: 20_000 },
    );
  });
});
