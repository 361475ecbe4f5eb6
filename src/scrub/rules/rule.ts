/**
 * One scrubbing rule. `trigger` is the source of a regular expression that matches somewhere in every string the
 * rule can change (a necessary condition, cheap to test); `apply` runs only on strings where it matches. All
 * triggers are joined into one expression, so a string no rule can touch costs a single scan.
 * Triggers are case-sensitive: spell case-insensitive ones with `caseless()`.
 */
export interface Rule {
  readonly name: string;
  readonly trigger: string;
  apply(s: string): string;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** A case-insensitive regular expression source for a literal, usable inside a case-sensitive expression. */
export function caseless(literal: string): string {
  let out = '';
  for (const char of literal) {
    const lower = char.toLowerCase();
    const upper = char.toUpperCase();
    out += lower === upper ? escapeRegExp(char) : `[${lower}${upper}]`;
  }
  return out;
}
