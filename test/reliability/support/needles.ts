/**
 * Finds which of many needles occur in a large text: every window of PROBE characters of the text is looked up in
 * a set of needle prefixes, and only those hits are compared in full. Linear in the text, whatever the needle count.
 */
export const PROBE = 7;

export function findNeedles(text: string, needles: Iterable<string>): string[] {
  const byPrefix = new Map<string, string[]>();
  for (const needle of needles) {
    if (needle.length < PROBE) throw new Error(`needle ${JSON.stringify(needle)} is shorter than ${PROBE} characters`);
    const prefix = needle.slice(0, PROBE);
    const list = byPrefix.get(prefix);
    if (list) list.push(needle);
    else byPrefix.set(prefix, [needle]);
  }
  const found = new Set<string>();
  for (let i = 0; i + PROBE <= text.length; i++) {
    const candidates = byPrefix.get(text.slice(i, i + PROBE));
    if (!candidates) continue;
    for (const needle of candidates) if (text.startsWith(needle, i)) found.add(needle);
  }
  return [...found];
}
