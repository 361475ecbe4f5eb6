import type { Waiting } from './reporter-state.js';

// Beyond this many events waiting for the next turn, they are handed over at once (memory stays bounded; the
// transport's own queue limit then applies as before).
const WAITING_LIMIT = 32;

/**
 * Hands a scrubbed event to the module's Sentry client (`send`: the event, then the session's error count, in that
 * order as before) in the next turn of the event loop. The caller's turn pays
 * for building and scrubbing the copy (after which nothing the caller changes reaches it); Sentry's processing and
 * the envelope's serialization, about a third of a capture, come one turn later, so a large capture never blocks
 * the loop for its whole cost. `flush` and `close` hand over what waits first; consent withdrawn drops it.
 */
export function sendSoon(waiting: Waiting[], send: () => void, failed: (error: unknown) => void): void {
  waiting.push({ send, failed });
  if (waiting.length >= WAITING_LIMIT) sendWaiting(waiting);
  else if (waiting.length === 1) setImmediate(() => sendWaiting(waiting));
}

/** Hands every waiting event to the client now (also before a session ends, so each error counts in its own). */
export function sendWaiting(waiting: Waiting[]): void {
  for (const { send, failed } of waiting.splice(0)) {
    try {
      send();
    } catch (error) {
      failed(error);
    }
  }
}
