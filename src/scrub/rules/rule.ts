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
  /** A looser `trigger` for the gate every string passes (defaults to `trigger`): cheaper to scan for. */
  readonly gate?: string | undefined;
  /** The length of the shortest text the trigger can match (when known): shorter strings skip the trigger. */
  readonly minLength?: number | undefined;
  apply(s: string): string;
}

/**
 * `s.replace(pattern, replacer)` for a global expression, as an exec loop: V8 sends a replacer function through a
 * slower path (all matches collected by the runtime first), which costs more than the match itself on short text.
 * Returning `match[0]` keeps the match. Returning `undefined` says "not one of these": the search goes on from the
 * next character, so a rejected run cannot hide a real match that starts inside it ("Basic Basic dXNl…").
 */
export function replaceMatches(
  s: string,
  pattern: RegExp,
  replacer: (match: RegExpExecArray) => string | undefined,
): string {
  pattern.lastIndex = 0;
  let match = pattern.exec(s);
  if (match === null) return s;
  let out = '';
  let done = 0;
  do {
    const at = match.index;
    const replacement = replacer(match);
    if (replacement === undefined) {
      pattern.lastIndex = at + 1;
    } else {
      const length = match[0].length;
      out += s.slice(done, at) + replacement;
      done = at + length;
      if (length === 0) pattern.lastIndex++;
    }
    match = pattern.exec(s);
  } while (match !== null);
  return done === 0 && out === '' ? s : out + s.slice(done);
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
