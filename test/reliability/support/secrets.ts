import { homedir, hostname } from 'node:os';
import fc from 'fast-check';
import { attackSecrets } from './secrets-attack.js';

export const BOT_TOKEN = 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs';

/** A secret as placed in data, and the text that must never appear in anything Sentry receives. */
export interface Secret {
  text: string;
  needle: string;
}

const chars = (alphabet: string, min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max });
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const snowflake = fc.bigInt({ min: 10n ** 16n, max: (1n << 63n) - 1n }).map(String);
const secret = (text: string, needle = text): Secret => ({ text, needle });

const personal: Secret[] = [];
const home = homedir();
if (home.replace(/[\\/:.]+/g, '').length >= 2 && home.length >= 7) personal.push(secret(`${home}/bot/index.js`, home));
const host = hostname();
if (host.length >= 7 && !['localhost'].includes(host.toLowerCase())) personal.push(secret(host));

// The kinds and encodings of issue #12: IPv6 next to colons, percent-encoded and JSON-escaped contexts, passwords in
// URLs, Basic credentials, secret-named parameters, every invite form, the bot token censored or wrapped, and
// secret-named fields written as text (JSON, escaped JSON, util.inspect, YAML, header lines).
const hex4 = fc.integer({ min: 0xa000, max: 0xffff }).map((n) => n.toString(16));
const ipv6Full = fc.array(hex4, { minLength: 8, maxLength: 8 }).map((groups) => groups.join(':'));
const ipv6Compressed = fc
  .tuple(fc.array(hex4, { minLength: 1, maxLength: 3 }), fc.array(hex4, { minLength: 1, maxLength: 3 }))
  .map(([left, right]) => `${left.join(':')}::${right.join(':')}`);
const ipv4 = fc
  .tuple(fc.integer({ min: 1, max: 223 }), fc.nat({ max: 255 }), fc.nat({ max: 255 }), fc.nat({ max: 255 }))
  .map((octets) => octets.join('.'))
  .filter((ip) => ip.length >= 7 && !ip.startsWith('127.') && !'127.0.0.1'.includes(ip));
// Six digits after at least eight characters: longer than any filler, so a needle cannot turn up in the text around it
// (fast-check favours strings such as "toString" and "arguments", in fillers too).
const withDigits = (alphabet: string, min: number, max: number) =>
  fc.tuple(chars(alphabet, min, max), fc.integer({ min: 100_000, max: 999_999 })).map(([s, n]) => `${s}${n}`);
const password = withDigits(`${ALNUM}!$()*+,;=:@~-._`, 8, 20);
const [tokenFirst, tokenSecond, tokenHmac] = BOT_TOKEN.split('.') as [string, string, string];
const escapedDot = fc.constantFrom('\\u002e', '\\u002E', '%2E');
const escapedSlash = fc.constantFrom('/', '\\/', '\\u002f', '%2F');

const issue12: fc.Arbitrary<Secret>[] = [
  fc
    .tuple(ipv6Full, fc.constantFrom('443', '6379', '65535'))
    .map(([ip, port]) => secret(`connect ECONNREFUSED ${ip}:${port}`, ip)),
  fc
    .tuple(fc.oneof(ipv6Full, ipv6Compressed), fc.constantFrom('peer # : reset', 'ip:#', '#:65535', 'u=%5B#%5D%3A80'))
    .map(([ip, context]) => secret(context.replace('#', ip), ip)),
  fc
    .tuple(ipv4, fc.constantFrom('%3D', '%2F', '%3A', '%40', '%20', '\\n', '\\u003d'))
    .map(([ip, before]) => secret(`q${before}${ip}%26x`, ip)),
  fc
    .tuple(
      snowflake.filter((id) => id.length >= 17),
      fc.constantFrom('%2F', '%40', '%20', '%3D', '\\n', '\\u0040'),
    )
    .map(([id, before]) => secret(`next${before}${id}`, id)),
  fc
    .tuple(
      fc.constantFrom('discord.gg/invite/', 'discord.gg/', 'discordapp.com/invite/', 'canary.discord.com/invite/'),
      withDigits(`${ALNUM}_-`, 8, 12),
      escapedSlash,
    )
    .map(([host, code, slash]) => secret(`https://${host}${code}?x=1`.replaceAll('/', slash), code)),
  fc.tuple(snowflake, chars(B64, 6, 6), chars(B64, 27, 38), escapedDot).map(([id, ts, hmac, dot]) => {
    const first = Buffer.from(id).toString('base64').replace(/=+$/, '');
    return secret(`${first}${dot}${ts}${dot}${hmac}`, hmac);
  }),
  fc.constant(secret(`${tokenFirst}.${tokenSecond}.${'*'.repeat(tokenHmac.length)}`, `.${'*'.repeat(6)}`)),
  fc
    .constantFrom(
      `${tokenFirst}.\\n${tokenSecond}.${tokenHmac}`,
      `${tokenFirst.slice(0, 12)}\n${tokenFirst.slice(12)}.${tokenSecond}.${tokenHmac}`,
    )
    .map((text) => secret(text, `${tokenSecond}.`)),
  fc
    .tuple(fc.constantFrom('redis', 'postgres', 'mongodb+srv', 'amqp', 'https'), chars(ALNUM, 0, 8), password)
    .chain(([scheme, user, pw]) => {
      const url = `${scheme}://${user}:${pw}@db.example.com:5432/0`;
      return fc.constantFrom(
        secret(url, pw),
        secret(url.replaceAll('/', '\\/'), pw),
        secret(`next=${encodeURIComponent(url)}&lang=en`, encodeURIComponent(pw)),
      );
    }),
  fc
    .tuple(chars(ALNUM, 1, 10), password)
    .map(([user, pw]) => Buffer.from(`${user}:${pw}`).toString('base64'))
    .map((credential) => secret(`Authorization: Basic ${credential}`, credential)),
  fc
    .tuple(
      fc.constantFrom(
        'password',
        'pwd',
        'token',
        'access_token',
        'client_secret',
        'api_key',
        'apiKey',
        'auth',
        'sig',
        'code',
      ),
      withDigits(B64, 8, 24),
      fc.constantFrom(
        '?#=$&state=ok',
        'next=%2Fcb%3F#%3D$%26a%3D1',
        '\\u0026#\\u003d$\\u0026b=2',
        'login failed #=$ user',
      ),
    )
    .map(([name, value, context]) => secret(context.replace('#', name).replace('$', value), value)),
  // Fields written as text: JSON, JSON in JSON, util.inspect, YAML, and header lines (whose values hold spaces).
  fc
    .tuple(
      fc.constantFrom('password', 'dbPass', 'token', 'access_token', 'clientSecret', 'api_key', 'basicAuth', 'cookie'),
      withDigits(B64, 8, 24),
      fc.constantFrom(
        '{"#":"$","user":"bob"}',
        '{"#" : "$", "n": 1}',
        '{\\"#\\":\\"$\\",\\"n\\":1}',
        "{ #: '$', user: 'bob' }",
        '{"#": $, "n": 1}',
        'db:\n  #: $\n  user: bob',
        'failed for #: $ (user bob)',
      ),
    )
    .map(([name, value, context]) => secret(context.replace('#', name).replace('$', value), value)),
  fc
    .tuple(
      fc.constantFrom(
        ['Authorization', 'Token '],
        ['Proxy-Authorization', 'Digest u='],
        ['Cookie', 'session='],
        ['Cookie', 'a=1; sid='],
        ['X-Api-Key', ''],
        ['X-Auth-Token', ''],
        ['Private-Token', ''],
      ),
      withDigits(B64, 8, 24),
      fc.constantFrom('GET / HTTP/1.1\r\n#: $\r\nAccept: */*', '#: $\n', '{"headers":"#: $\\r\\nHost: x"}'),
    )
    .map(([[name, scheme], value, context]) => secret(context.replace('#', name).replace('$', scheme + value), value)),
];

/** Every kind of secret the scrubber promises to remove, generated. */
export const secrets: fc.Arbitrary<Secret> = fc.oneof(
  fc.constant(secret(BOT_TOKEN)),
  fc.tuple(snowflake, chars(B64, 6, 6), chars(B64, 27, 38)).map(([id, ts, hmac]) => {
    const first = Buffer.from(id).toString('base64').replace(/=+$/, '');
    return secret(`${first}.${ts}.${hmac}`, `${ts}.${hmac}`);
  }),
  fc
    .tuple(snowflake, chars(B64, 60, 68))
    .map(([id, token]) => secret(`https://discord.com/api/webhooks/${id}/${token}`, token)),
  fc.tuple(snowflake, chars(B64, 40, 80)).map(([id, rest]) => {
    const token = `aW50ZXJhY3Rpb246${rest}`;
    return secret(`https://discord.com/api/v10/interactions/${id}/${token}/callback`, token);
  }),
  chars(ALNUM, 5, 12).map((code) => secret(`https://discord.gg/${code}`, `gg/${code}`)),
  fc
    .tuple(fc.integer({ min: 1, max: 223 }), fc.nat({ max: 255 }), fc.nat({ max: 255 }), fc.nat({ max: 255 }))
    .filter(([a]) => a !== 127)
    .map((octets) => secret(octets.join('.')))
    // 7.0.0.1 and 27.0.0.1 are in every request's `Host: 127.0.0.1:<port>` header (loopback is kept, by design).
    .filter(({ needle }) => !'127.0.0.1'.includes(needle)),
  fc
    .tuple(fc.integer({ min: 0x2000, max: 0x3fff }), fc.integer({ min: 0x1000, max: 0xffff }))
    .map(([a, b]) => secret(`${a.toString(16)}:db8::${b.toString(16)}`)),
  snowflake.map((id) => secret(id)),
  chars(B64, 20, 40).map((token) => secret(`Bearer ${token}`, token)),
  ...(personal.length ? [fc.constantFrom(...personal)] : []),
  ...issue12,
  ...attackSecrets(BOT_TOKEN),
);

const separator = fc.constantFrom(' ', '\n', '/', '(', ')', ',', '=', '<', '>', '[', ']', '{', '}', "'", '\t');
const filler = fc.string({ maxLength: 10 });

/** A string with a secret somewhere in it, between separators. */
export const textWithSecret = fc
  .tuple(filler, separator, secrets, separator, filler)
  .map(([before, s1, s, s2, after]) => ({ text: `${before}${s1}${s.text}${s2}${after}`, needle: s.needle }));

/** A value of random shape (nested objects and arrays) with a secret at a random depth, as a key or a value. */
export const valueWithSecret = textWithSecret.chain(({ text, needle }) =>
  fc
    .tuple(fc.array(fc.constantFrom('a', 'list', 'extra', 'nested'), { maxLength: 6 }), fc.boolean(), fc.integer())
    .map(([path, asKey, noise]) => {
      let value: unknown = asKey ? { [text]: noise } : text;
      for (const key of path.reverse()) value = key === 'list' ? [noise, value] : { [key]: value, noise };
      return { value, needle };
    }),
);
