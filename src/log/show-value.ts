/**
 * A value as an error message shows it (`got …`): JSON for plain data (`"verbose"`, `1.5`, `{"every":0}`), `1n` for
 * a BigInt, `a function`, and a plain description for what JSON cannot show (a circular object, a throwing
 * `toJSON`, a Proxy). Never throws: a message about a bad option must not become a crash of its own.
 */
export function showValue(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  try {
    const json = JSON.stringify(value, (_, inner: unknown) => (typeof inner === 'bigint' ? `${inner}n` : inner));
    if (json !== undefined) return json.length > 200 ? `${json.slice(0, 200)}…` : json;
  } catch {
    // Circular, or a toJSON/getter that throws: described below.
  }
  try {
    if (value === undefined || value === null || typeof value !== 'object') return String(value);
    return Array.isArray(value) ? 'an array that cannot be shown' : 'an object that cannot be shown';
  } catch {
    return 'a value that cannot be shown';
  }
}
