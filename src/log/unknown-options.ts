// Options nobody reads: `polcyVersion` for `policyVersion`, or an option of another function. Each options parser
// calls `reportUnknownOptions` with the names it knows; a misspelt key is then reported with the closest known name,
// once per call site and key for the life of the process, instead of being ignored in silence.
import type { HostLogger } from './logger.js';

/** Every option name of `T`, exactly: the compiler rejects a missing or an extra one. */
export type OptionNames<T> = { readonly [K in keyof Required<T>]: true };

export interface UnknownOption {
  key: string;
  /** The known name closest to `key`, when one is close enough to be a typo. */
  closest: string | undefined;
  message: string;
}

/** Levenshtein distance, case-insensitive, for short option names. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitution = (previous[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[y.length] as number;
}

/** The known name within typo distance of `key` (a third of its length, at least 2), the nearest first. */
export function closestName(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of known) {
    const distance = editDistance(key, name);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** The own keys of `input` that `known` does not list, each with its message. */
export function unknownOptions(input: unknown, known: OptionNames<object> | readonly string[], where: string) {
  if (typeof input !== 'object' || input === null) return [];
  let keys: string[];
  try {
    keys = Object.keys(input);
  } catch {
    return []; // a Proxy that refuses to list its keys: the parser reports what it cannot read
  }
  const names = Array.isArray(known) ? (known as readonly string[]) : Object.keys(known);
  const found: UnknownOption[] = [];
  for (const key of keys) {
    if (names.includes(key)) continue;
    const closest = closestName(key, names);
    const hint = closest ? `did you mean ${closest}?` : `the options are ${names.join(', ')}.`;
    found.push({ key, closest, message: `consentry: ${where}: unknown option ${key}: ${hint}` });
  }
  return found;
}

const warned = new Set<string>();

/**
 * Reports unknown keys of an options object: with `strict`, throws the error `strict` builds for the first one (all
 * of them in its message); otherwise warns once per call site and key.
 */
export function reportUnknownOptions(
  input: unknown,
  known: OptionNames<object> | readonly string[],
  where: string,
  how: { logger: Pick<HostLogger, 'warn'>; strict?: ((option: string, message: string) => Error) | undefined },
): void {
  const found = unknownOptions(input, known, where);
  const first = found[0];
  if (!first) return;
  if (how.strict) throw how.strict(first.key, found.map((option) => option.message).join(' '));
  for (const option of found) {
    const id = `${where}\0${option.key}`;
    if (warned.has(id)) continue;
    warned.add(id);
    how.logger.warn(`${option.message} It is ignored.`);
  }
}
