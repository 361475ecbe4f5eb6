import type { ConsentLevel } from '../consent/index.js';

/**
 * Turns a level getter into the pipeline's gate: true only at `all`. A getter that throws or returns
 * something unknown closes the gate: a broken consent source must never send anything.
 */
export function allowsSpans(getLevel: () => ConsentLevel): () => boolean {
  return () => {
    try {
      return getLevel() === 'all';
    } catch {
      return false;
    }
  };
}
