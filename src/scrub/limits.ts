/** Bounds on what `value()` copies. Anything beyond them is replaced by a marker, never silently dropped. */
export interface ScrubLimits {
  /** Nesting depth below the top value; deeper values become `[Truncated]`. */
  maxDepth: number;
  /** Items kept per array, Set or Map; the rest are counted in a `[Truncated: N more items]` item. */
  maxArrayLength: number;
  /** Keys kept per object; the rest are counted under a `[Truncated]` key. */
  maxKeys: number;
  /** Characters kept per string; a longer string ends with `…[Truncated]`. */
  maxStringLength: number;
  /** Values copied per call in all; past it every value becomes `[Truncated]`, so huge graphs stay cheap. */
  maxNodes: number;
  /**
   * Characters of string copied per call in all (keys included); past it strings are cut, then become
   * `[Truncated]`. Bounds the work of one call, so scrubbing never blocks the event loop for long.
   */
  maxTotalLength: number;
}

export const DEFAULT_LIMITS: Readonly<ScrubLimits> = Object.freeze({
  maxDepth: 16,
  maxArrayLength: 250,
  maxKeys: 250,
  maxStringLength: 16_384,
  maxNodes: 5_000,
  maxTotalLength: 65_536,
});

export const CIRCULAR = '[Circular]';
export const TRUNCATED = '[Truncated]';
export const UNREADABLE = '[Unreadable]';
export const STRING_TRUNCATED_SUFFIX = '…[Truncated]';
export const truncatedItems = (count: number): string => `[Truncated: ${count} more items]`;
export const truncatedKeys = (count: number): string => `${count} more keys`;

// Secrets are at most a few hundred characters: scrubbing this much past the cut keeps one that straddles it whole.
export const STRING_SCRUB_MARGIN = 512;
