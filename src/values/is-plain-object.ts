/** An object that is neither null nor an array: what JSON calls an object, for data read from outside. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
