import { homedir, hostname } from 'node:os';
import fc from 'fast-check';

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
