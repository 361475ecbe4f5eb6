// Secrets of the kinds an outside attack on the scrubber found leaving (issue #12): any depth of percent-encoding,
// JavaScript \x escapes, unencoded characters in URL passwords, nested parameter names, Basic credentials with any
// letter, encoded separators deeper than a parameter's '=', stars after the token's second segment, invites under
// any subdomain or with a Markdown-escaped dot, eight IPv6 groups before any colon.
import fc from 'fast-check';

interface Secret {
  text: string;
  needle: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const chars = (alphabet: string, min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max });
// Six digits after at least eight characters, so a needle cannot turn up in the random text around it.
const word = fc.tuple(chars(ALNUM, 8, 14), fc.integer({ min: 100_000, max: 999_999 })).map(([s, n]) => `${s}${n}`);
const secret = (text: string, needle: string): Secret => ({ text, needle });
const encodeTimes = (text: string, depth: number) => {
  let out = text;
  for (let i = 0; i < depth; i++) out = encodeURIComponent(out);
  return out;
};
const ipv4 = fc
  .tuple(
    fc.integer({ min: 1, max: 223 }),
    fc.nat({ max: 255 }),
    fc.nat({ max: 255 }),
    fc.integer({ min: 10, max: 254 }),
  )
  .filter(([a]) => a !== 127)
  .map((octets) => octets.join('.'));
const hex4 = fc.integer({ min: 0xa000, max: 0xffff }).map((n) => n.toString(16));

export function attackSecrets(botToken: string): fc.Arbitrary<Secret>[] {
  const [first, second, hmac] = botToken.split('.') as [string, string, string];
  return [
    fc
      .tuple(
        fc.oneof(
          ipv4.map((ip) => ({ text: `http://${ip}:8080/cb`, needle: ip })),
          word.map((w) => ({ text: `https://bot:${w}@db.example/x`, needle: w })),
          word.map((w) => ({ text: `/cb?token=${w}&state=1`, needle: w })),
          word.map((w) => ({ text: `https://discord.gg/${w}`, needle: w })),
          fc.constant({ text: `/x/${botToken}`, needle: hmac }),
        ),
        fc.integer({ min: 2, max: 3 }),
      )
      .map(([{ text, needle }, depth]) =>
        secret(`next=${encodeTimes(text, depth)}&lang=en`, encodeTimes(needle, depth)),
      ),
    word.map((w) => secret(`'https:\\x2f\\x2fdiscord\\x2egg\\x2f${w}'`, w)),
    word.map((w) => secret(`{"u":"redis\\u003a//bot\\u003a${w}\\u0040db.example:6379"}`, w)),
    fc
      .tuple(word, fc.constantFrom('#', '/', '?', "'", '@', ':'), word)
      .map(([a, c, b]) => secret(`redis://app:${a}${c}${b}@db.example:6379/0`, b)),
    fc
      .tuple(fc.constantFrom('user[password]', 'data[api_key]', 'user%5Btoken%5D'), word)
      .map(([name, w]) => secret(`/form?${name}=${w}&x=1`, w)),
    fc
      .tuple(word, fc.constantFrom('pässwörd', 'пароль', 'パスワード'))
      .map(([u, pw]) => Buffer.from(`${u}:${pw}`).toString('base64'))
      .map((credential) => secret(`Basic ${credential}`, credential.replace(/=+$/, ''))),
    fc
      .tuple(fc.constantFrom('password', 'token', 'secret'), word, word, fc.constantFrom('%26', '%23'))
      .map(([name, a, b, sep]) => secret(`/cb?${name}=${a}${sep}${b}&x=1`, b)),
    fc.constant(secret(`${first}.${second}${'*'.repeat(5)}`, `${second}*`)),
    fc
      .tuple(
        fc.constantFrom('m.discord.com/invite/', 'x.discord.gg/', 'discord\\.gg/', 'discordapp\\.com/invite/'),
        word,
      )
      .map(([host, w]) => secret(`https://${host}${w}`, w)),
    fc
      .tuple(fc.array(hex4, { minLength: 8, maxLength: 8 }), fc.constantFrom(':tcp', '::', ':443:443'))
      .map(([groups, after]) => secret(`connect ${groups.join(':')}${after}`, groups.join(':'))),
  ];
}
