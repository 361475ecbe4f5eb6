import type { StoredDocument } from '../store/index.js';

/**
 * The settings' revision: every write that changes them stores one more than the highest revision its writer knows,
 * inside the store's atomic update, so revisions order the documents of a suite across processes. A document without
 * one (written before revisions existed) is revision 0.
 */
export function revisionOf(document: StoredDocument | undefined): number {
  const revision = document?.revision;
  return Number.isSafeInteger(revision) && (revision as number) > 0 ? (revision as number) : 0;
}

/**
 * `next` with its revision set: unchanged when nothing else changed (so an update that changes nothing still writes
 * nothing), else one more than both the stored revision and `known`, the highest this process has seen (a store that
 * lost its data starts again from nothing, and must not go back to a revision already delivered).
 */
export function withNextRevision(stored: StoredDocument | undefined, next: StoredDocument, known = 0): StoredDocument {
  const storedRevision = revisionOf(stored);
  const unchanged =
    stored !== undefined && JSON.stringify({ ...next, revision: stored.revision }) === JSON.stringify(stored);
  if (unchanged) return { ...next, revision: stored.revision };
  return { ...next, revision: Math.max(storedRevision, known) + 1 };
}
