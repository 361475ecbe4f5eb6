import { type ConsentLevel, isConsentLevel, sendsAutomatically } from '../consent/index.js';
import { connect, disconnect } from './live-client.js';
import type { ReporterState } from './reporter-state.js';
import { sendWaiting } from './send-soon.js';

/** `ModuleReporter.setLevel`: applies a consent change at once. */
export function setLevel(state: ReporterState, next: ConsentLevel): void {
  if (!isConsentLevel(next)) {
    throw new TypeError(`consentry: setLevel: level must be 'off', 'manual', 'errors' or 'all'; got ${String(next)}`);
  }
  const before = state.level;
  state.level = next;
  if (state.closed || next === before) return;
  if (next === 'off') {
    disconnect(state);
    state.scope.clearBreadcrumbs();
  } else if (sendsAutomatically(next) && !sendsAutomatically(before)) {
    connect(state).sessions.start();
  } else if (!sendsAutomatically(next)) {
    // Consent lowered: from now on nothing leaves by itself, not even the session's end.
    state.live?.sessions.abandon();
  }
}

export async function flush(state: ReporterState, timeoutMs: number): Promise<boolean> {
  if (!state.live) return true;
  sendWaiting(state.live.waiting);
  return holdProcess(timeoutMs, state.live.client.flush(timeoutMs));
}

/**
 * `close`: ends the session (sent) and flushes. `discard` (the identity was forgotten): drops the session unsent and
 * the breadcrumbs; what the transport already holds is still delivered. Both are idempotent.
 */
export async function closeReporter(state: ReporterState, timeoutMs: number, mode: 'close' | 'discard') {
  if (state.closed) return true;
  state.closed = true;
  const current = state.live;
  if (!current) return true;
  // Captured before the close: handed over as they would have been a turn later.
  sendWaiting(current.waiting);
  if (mode === 'close') {
    // The session's final state is sent before the client closes, and the flush waits for it.
    current.sessions.end();
  } else {
    current.sessions.abandon();
    state.scope.clearBreadcrumbs();
  }
  const flushed = await holdProcess(timeoutMs, current.client.close(timeoutMs));
  disconnect(state);
  return flushed;
}

/** Keeps the process alive while waiting (our sockets do not), at most `timeoutMs`. */
async function holdProcess<T>(timeoutMs: number, work: PromiseLike<T>): Promise<T> {
  const timer = setTimeout(() => {}, Math.max(1, timeoutMs));
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
}
