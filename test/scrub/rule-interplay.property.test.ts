// Issue #12: leaks that come from how rules meet, not from one rule alone. Each block draws a whole class: a run a
// rule reads and rejects must not hide a real secret that starts inside it; a name the object walk calls secret must
// be secret when written as text too; a rule that runs first must not take away what a later rule needs to see.

import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScrubber, isSecretKey } from '../../src/scrub/index.js';

const RUNS = 1_500;
const scrubber = createScrubber({ botToken: undefined, env: { HOME: '/home/alice', USERNAME: 'alice' } });

// Letters (never hex, never a word of the text around) and a digit.
const secretWord = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...'GHJKMNPQRSTVWXYZghjkmnpqrstvwxyz'), minLength: 7, maxLength: 15 }),
    fc.nat(9),
  )
  .map(([s, d]) => `${s}${d}`);

function expectGone(input: string, secret: string, kept: readonly string[] = []): void {
  expect(input).toContain(secret);
  const out = scrubber.string(input);
  const shown = `${JSON.stringify(input)} → ${JSON.stringify(out)}`;
  expect(out, shown).not.toContain(secret);
  for (const text of kept) expect(out, shown).toContain(text);
  expect(scrubber.string(out), shown).toBe(out);
}

describe('a run a rule rejects does not hide a secret that starts inside it', () => {
  const base64 = (text: string) => Buffer.from(text).toString('base64');

  it('Basic credentials after a "Basic" that is no credential', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Basic ', 'basic ', 'BASIC ', 'Basic+', 'Basic usage '),
        fc.constantFrom('', 'session=', 'auth failed: ', '('),
        secretWord,
        (decoy, before, password) => {
          const credential = base64(`bot:${password}`);
          expectGone(`${before}${decoy}Basic ${credential} end`, credential, [' end']);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a Discord token after a dotted run shaped like one whose first part is no user id', () => {
    const tokenChars = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-');
    const segment = (min: number, max: number) => fc.string({ unit: tokenChars, minLength: min, maxLength: max });
    fc.assert(
      fc.property(
        segment(22, 30).map((s) => `N${s}`),
        segment(6, 6),
        fc.bigInt({ min: 10n ** 17n, max: 10n ** 19n - 1n }),
        segment(6, 6),
        segment(27, 38),
        (decoyFirst, decoyTime, userId, time, hmac) => {
          fc.pre(!/^\d{17,20}$/.test(Buffer.from(decoyFirst, 'base64').toString('latin1')));
          const token = `${base64(String(userId)).replace(/=+$/, '')}.${time}.${hmac}`;
          expectGone(`x ${decoyFirst}.${decoyTime}.${token} y`, hmac, ['x ', ' y']);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('every name the object walk calls secret is secret when written as text', () => {
  // Names built as people write them: words joined by case or separators, some of them secret words.
  const secretPart = fc.constantFrom(
    'password',
    'passwd',
    'pwd',
    'pass',
    'passphrase',
    'passcode',
    'token',
    'secret',
    'authorization',
    'auth',
    'oauth2',
    'cookie',
    'apiKey',
    'api_key',
    'accessKey',
    'privateKey',
    'privkey',
    'credential',
    'creds',
    'signature',
    'sessionKey',
    'signingKey',
    'encryptionKey',
    'masterKey',
    'licenseKey',
    'recoveryCode',
    'backupCode',
    'seedPhrase',
    'inviteCode',
    'jwt',
    'otp',
    'totp',
    'pin',
    'salt',
    'mnemonic',
    'hmac',
    'csrf',
    'xsrf',
    'bearer',
  );
  const plainPart = fc.constantFrom('db', 'user', 'client', 'x', 'app', 'bot', 'main', 'my', 'refresh', 'old');
  const name = fc
    .tuple(fc.array(plainPart, { maxLength: 2 }), secretPart, fc.array(plainPart, { maxLength: 1 }))
    .chain(([before, secret, after]) =>
      fc
        .constantFrom<(w: string[]) => string>(
          (w) => w.join('_'),
          (w) => w.join('-'),
          (w) => w.join('_').toUpperCase(),
          (w) => w.map((x, i) => (i === 0 ? x : `${x[0]?.toUpperCase()}${x.slice(1)}`)).join(''),
        )
        .map((join) => join([...before, secret, ...after])),
    );
  const forms: readonly ((key: string, value: string) => string)[] = [
    (key, value) => `${key}: ${value}`,
    (key, value) => `{"${key}":"${value}","user":"bob"}`,
    (key, value) => `{ ${key}: '${value}', user: 'bob' }`,
    (key, value) => JSON.stringify({ body: `{"${key}":"${value}"}` }),
    (key, value) => `config:\n  ${key}: ${value}\n  user: bob`,
  ];

  it('filtered in JSON, inspect, YAML and header text whenever isSecretKey says so', () => {
    fc.assert(
      fc.property(name, fc.nat(forms.length - 1), secretWord, (key, form, value) => {
        expect(isSecretKey(key), key).toBe(true);
        expectGone((forms[form] as (k: string, v: string) => string)(key, value), value, [key]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('a rule that runs first leaves what a later rule needs', () => {
  it('a secret parameter whose value is a secret header line: the header value goes too', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('key', 'token', 'auth', 'sig', 'password'),
        fc.constantFrom('Proxy-Authorization', 'Authorization', 'X-Api-Key', 'Cookie', 'X-Auth-Token'),
        fc.constantFrom('Digest u=', 'Token ', 'Bearer', 'session=', ''),
        fc.constantFrom('', 'x ', '{"k":"'),
        secretWord,
        (param, header, scheme, before, secret) => {
          expectGone(`${before}${param}=${header}: ${scheme}${secret}`, secret, [`${before}${param}=`]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('a secret parameter whose value is a link with escapes in it', () => {
  it('Markdown- or JSON-escaped dots and slashes do not end the value: nothing of the link is left', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('key', 'token', 'secret', 'auth'),
        fc.constantFrom('https://discordapp\\.com/invite/', 'discord\\.gg/', 'https:\\/\\/discord.gg\\/', 'x\\_y\\*z/'),
        secretWord,
        (param, link, code) => expectGone(`${param}=${link}${code}\nnext line`, code, [`${param}=`, 'next line']),
      ),
      { numRuns: RUNS },
    );
  });
});

describe('a secret field written as text, whatever its value is', () => {
  const key = fc.constantFrom('password', 'tokens', 'apiKeys', 'x-api-key', 'cookies', 'authorization', 'clientSecret');
  it('a list, an object or a Map entry as JSON and util.inspect write them: the whole value goes', () => {
    fc.assert(
      fc.property(key, fc.array(secretWord, { minLength: 1, maxLength: 3 }), fc.nat(4), (name, values, form) => {
        const value = [
          JSON.stringify({ [name]: values, user: 'bob' }),
          JSON.stringify({ [name]: [{ name: 'sid', value: values[0] }], user: 'bob' }),
          inspect({ [name]: values, user: 'bob' }),
          inspect({ [name]: { first: values[0], rest: values.slice(1) }, user: 'bob' }, { breakLength: 20 }),
          inspect(new Map([[name, values.join(' ')]])),
        ][form] as string;
        for (const secret of form === 1 ? values.slice(0, 1) : values) expectGone(value, secret, [name]);
        if (form < 4) expect(scrubber.string(value)).toContain('bob');
      }),
      { numRuns: RUNS },
    );
  });

  it("an error's name before its message is no field: the message stays", () => {
    fc.assert(
      fc.property(
        fc.constantFrom('JsonWebToken', 'TokenExpired', 'Auth', 'Credentials', 'InvalidPassword', 'Secret'),
        fc.constantFrom('Error', 'Exception', 'Warning'),
        fc.constantFrom('jwt malformed', 'jwt expired', 'could not load the settings', 'bad input'),
        (stem, kind, message) => {
          const line = `${stem}${kind}: ${message}\n    at verify (file.js:1:2)`;
          expect(scrubber.string(line)).toBe(line);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('counts of a language model’s tokens are numbers, not credentials', () => {
  it('usage objects and their text keep their counts; a token itself still goes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('prompt_tokens', 'completion_tokens', 'total_tokens', 'max_tokens', 'maxTokens', 'tokenCount'),
        fc.nat(100_000),
        secretWord,
        (name, count, token) => {
          const usage = { [name]: count, access_token: token };
          expect(scrubber.value(usage)).toEqual({ [name]: count, access_token: '[Filtered]' });
          const text = `usage: ${name}: ${count}, ${JSON.stringify(usage)}`;
          const out = scrubber.string(text);
          expect(out).toBe(text.replace(token, '[Filtered]'));
        },
      ),
      { numRuns: RUNS },
    );
  });
});
