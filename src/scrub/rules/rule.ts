/**
 * One scrubbing rule. `mayMatch` is a cheap check run first; `apply` runs only when it says yes.
 * Rules are pure: the same input always gives the same output.
 */
export interface Rule {
  readonly name: string;
  mayMatch(s: string): boolean;
  apply(s: string): string;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
