export const FILTERED = '[Filtered]';

// Matched against the key with separators removed and lower-cased: "api_key", "X-Api-Key" and "apiKey" all match.
const SECRET_KEY =
  /token|passw(?:or)?d|passphrase|secret|authorization|cookie|apikey|accesskey|privatekey|credential|signature|sessionkey/;
const SEPARATORS = /[\s_.-]+/g;

/** True when a key's name says its value is a secret (token, password, secret, authorization, cookie, api key, …). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.replace(SEPARATORS, '').toLowerCase());
}
