export const FILTERED = '[Filtered]';

// Matched against the key with separators removed and lower-cased: "api_key", "X-Api-Key" and "apiKey" all match.
const SECRET_KEY =
  /token|passw(?:or)?d|passphrase|passcode|secret|authorization|cookie|apikey|accesskey|privatekey|privkey|credential|signature|sessionkey|signingkey|encryptionkey|masterkey|licensekey|recoverycode|backupcode|seedphrase|invitecode/;
const SEPARATORS = /[\s_.-]+/g;
// Short words that say secret only as a whole word of the key: "dbPass", "DB_PWD", "basicAuth", "userJwt", "mfaOtp",
// not "passenger" or "pinned". Not session ids: consentry's own spans carry the release-health session.id. A word's trailing digits are a version or an index: "oauth2", "pass2", "pwd1".
const KEY_WORDS = new Set([
  'pass',
  'pwd',
  'auth',
  'oauth',
  'jwt',
  'otp',
  'totp',
  'pin',
  'salt',
  'mnemonic',
  'cred',
  'creds',
  'hmac',
  'csrf',
  'xsrf',
  'bearer',
]);
/**
 * Words every name that isSecretKey accepts holds (case-insensitively, unless a separator splits the word itself):
 * a rule that looks for secret names in text scans for these and lets isSecretKey decide. Keep in step with the
 * lists above; test/scrub/secret-names.property.test.ts checks every name the lists accept.
 */
export const SECRET_KEY_WORDS: readonly string[] = [
  'pass',
  'pwd',
  'token',
  'secret',
  'auth',
  'cookie',
  'key',
  'cred',
  'signature',
  'code',
  'phrase',
  'jwt',
  'otp',
  'pin',
  'salt',
  'mnemonic',
  'hmac',
  'csrf',
  'xsrf',
  'bearer',
];

// In a query string or key=value text, names are terser: ?key=, ?sig=, ?code= (OAuth), ?session=.
const PARAM_WORDS = new Set([...KEY_WORDS, 'key', 'sig', 'otp', 'jwt', 'session', 'sessionid']);
const PARAM_NAMES = new Set(['code', 'sid']);

/** The words of a camelCase, PascalCase, snake_case, kebab-case or dotted name, lower-cased. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .map((word) => word.replace(/(?<=[a-z])\d+$/, ''));
}

// Counts of a language model's tokens (OpenAI's usage.prompt_tokens, max_tokens, …) and a tokenizer's name: numbers
// and settings an AI bot's errors need, not credentials.
const TOKEN_COUNT =
  /^(?:(?:max|prompt|completion|total|input|output|cached|reasoning|used|remaining)tokens?(?:count|limit)?|tokens?(?:count|limit|usage|used)|tokenizer)$/;

/** True when a key's name says its value is a secret (token, password, secret, authorization, cookie, api key, …). */
export function isSecretKey(key: string): boolean {
  const folded = key.replace(SEPARATORS, '').toLowerCase();
  if (TOKEN_COUNT.test(folded)) return false;
  if (SECRET_KEY.test(folded)) return true;
  return words(key).some((word) => KEY_WORDS.has(word));
}

/** True when a query parameter's (or key=value pair's) name says secret: the key names, plus key, sig, code, … */
export function isSecretParam(name: string): boolean {
  if (isSecretKey(name)) return true;
  if (PARAM_NAMES.has(name.toLowerCase())) return true;
  return words(name).some((word) => PARAM_WORDS.has(word));
}
