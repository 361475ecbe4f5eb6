import { showValue } from '../log/index.js';

/** Store documents that belong to a suite without being its settings. */
export const COMPANION_SUFFIXES = ['.sent', '.reports'] as const;

const SUITE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** A suite name names a file and a Redis key, so it is kept to a safe alphabet. Returns a problem or undefined. */
export function suiteNameProblem(suite: unknown): string | undefined {
  if (typeof suite !== 'string' || !SUITE_NAME.test(suite)) {
    return (
      `must be 1-100 characters of letters, digits, '.', '_' or '-', starting with a letter or digit ` +
      `(it names the settings file and the Redis key); got ${showValue(suite)}. ` +
      `Fix: use the plugin author's name for all their modules, e.g. 'acme-plugins'.`
    );
  }
  return undefined;
}

export function assertSuiteName(suite: string): void {
  const problem = suiteNameProblem(suite);
  if (problem) throw new TypeError(`consentry: suite name ${problem}`);
}

/** Suite names among stored document names: valid names that are not a companion document (`<suite>.sent`…). */
export function suiteNames(documents: readonly string[]): string[] {
  return documents
    .filter((name) => SUITE_NAME.test(name) && !COMPANION_SUFFIXES.some((suffix) => name.endsWith(suffix)))
    .sort();
}
