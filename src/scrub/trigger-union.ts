// Several rules' triggers joined into one expression only need to match where any of them does. Literal words often
// repeat among them (the home folder's last segment is the user name; the host name starts with it): an alternative
// that always contains another one adds a test at every position of every string and can never decide anything.

interface Literal {
  /** Lower-cased when caseless. */
  text: string;
  caseless: boolean;
}

const SPECIAL = new Set([...'.^$*+?()[]{}|\\/']);

/**
 * The literal an alternative spells, when it is one: plain or escaped characters, or a caseless word written with
 * `caseless()` (`[aA][lL]…`, every letter in both cases). Anything else (classes, groups, quantifiers): undefined.
 */
function literalOf(source: string): Literal | undefined {
  let text = '';
  let caselessLetters = 0;
  let plainLetters = 0;
  for (let i = 0; i < source.length; ) {
    const char = source[i] as string;
    if (char === '\\') {
      const next = source[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return undefined; // \d, \s, \b, \1: not a literal
      text += next;
      i += 2;
    } else if (char === '[') {
      const pair = /^\[([a-z])([A-Z])\]/.exec(source.slice(i));
      if (!pair || pair[1] !== pair[2]?.toLowerCase()) return undefined;
      text += pair[1];
      caselessLetters++;
      i += 4;
    } else if (SPECIAL.has(char)) {
      return undefined;
    } else {
      if (char.toLowerCase() !== char.toUpperCase()) plainLetters++;
      text += char;
      i++;
    }
  }
  if (caselessLetters > 0 && plainLetters > 0) return undefined;
  return caselessLetters > 0 ? { text, caseless: true } : { text, caseless: false };
}

/** The top-level alternatives of an expression (split at `|` outside groups and classes). */
function alternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') i++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  return out;
}

/** True when every match of `a` contains a match of `b` (both literals). */
function contains(a: Literal, b: Literal): boolean {
  if (b.caseless) return a.text.toLowerCase().includes(b.text);
  return !a.caseless && a.text.includes(b.text);
}

/**
 * The triggers as one expression source that matches exactly where one of them matches, without the alternatives
 * that contain another (a literal that contains another literal) or repeat one.
 */
export function triggerUnion(triggers: readonly string[]): string {
  const all = [...new Set(triggers.flatMap(alternatives))];
  const literals = all.map(literalOf);
  const kept = all.filter((_, i) => {
    const own = literals[i];
    if (!own) return true;
    return !literals.some(
      (other, j) => j !== i && other !== undefined && contains(own, other) && !(contains(other, own) && j > i),
    );
  });
  return kept.join('|');
}
