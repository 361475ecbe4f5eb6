/**
 * One scrubbing rule. Every string the rule can change contains a match of `trigger` (the source of a regular
 * expression) or one of the characters in `chars`: a necessary condition, cheap to test; `apply` runs only on
 * strings that meet it. All triggers are joined into one expression, so a string no rule can touch costs a single
 * scan, plus one scan for a class of all the `chars` (single characters such as '=', '@', '%' or '\\' are
 * cheaper to find that way than as alternatives of the joined expression).
 * Triggers are case-sensitive: spell case-insensitive ones with `caseless()`.
 */
export interface Rule {
  readonly name: string;
  readonly trigger?: string | undefined;
  readonly chars?: string | undefined;
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
