import { randomUUID } from 'node:crypto';
import type { Client, Scope, Session } from '@sentry/core';
import { closeSession, makeSession, updateSession } from '@sentry/core';

export interface ReleaseHealthOptions {
  client: Client;
  scope: Scope;
  release: string;
  environment: string;
  /** The permanent user UUID: the session `did`. */
  userId: string;
  /** The `sid` of the first session; later ones (rotation, consent raised again) get a fresh one. */
  firstSid: () => string;
  rotateMs: number;
  /** Called before a session ends, rotates or is abandoned: what is still on its way to the client is handed over. */
  settle?: (() => void) | undefined;
}

export interface ReleaseHealth {
  readonly active: boolean;
  /** Starts a session (status ok, init) unless one runs. */
  start(): void;
  /** Counts an error; the first one of a session (and a crash) is sent at once, so Sentry sees it errored. */
  recordError(crashed: boolean): void;
  /** Ends the session and sends its final state (`exited`, or `crashed`, with its error count). */
  end(): void;
  /** Forgets the session without sending anything (consent lowered: nothing may leave any more). */
  abandon(): void;
}

/**
 * Release-health sessions of one module client, on that module's own scope (never the host's).
 * Rotated every `rotateMs` (Sentry drops sessions older than five days), with an unref'd timer.
 *
 * The first session's `sid` is the per-process session UUID (also the `session` tag of every event).
 * Each later session gets a fresh `sid`: Sentry counts errored sessions by distinct `sid` and treats a
 * second `init` of a `sid` as the same session, so reusing it would merge hours and undercount errors.
 */
export function releaseHealth(options: ReleaseHealthOptions): ReleaseHealth {
  const { client, scope } = options;
  let session: Session | undefined;
  let timer: NodeJS.Timeout | undefined;

  const stop = (send: boolean) => {
    options.settle?.();
    if (timer) clearInterval(timer);
    timer = undefined;
    if (!session) return;
    if (send) {
      closeSession(session);
      client.captureSession(session);
    }
    session = undefined;
    scope.setSession(undefined);
  };

  const start = () => {
    if (session) return;
    const next = makeSession({ release: options.release, environment: options.environment, did: options.userId });
    // makeSession draws a random sid, and updateSession would only take a 32-character one: set ours as is.
    next.sid = options.firstSid();
    session = next;
    scope.setSession(next);
    client.captureSession(next);
    timer = setInterval(() => {
      stop(true);
      start();
    }, options.rotateMs);
    timer.unref();
  };

  return {
    get active() {
      return session !== undefined;
    },
    start,
    recordError(crashed) {
      if (!session) return;
      const wasOk = session.status === 'ok';
      const first = session.errors === 0;
      updateSession(session, { errors: session.errors + 1, ...(crashed && wasOk ? { status: 'crashed' } : {}) });
      if (wasOk && (first || crashed)) client.captureSession(session);
    },
    end: () => stop(true),
    abandon: () => stop(false),
  };
}

/** The sid source: the per-process session id once, then fresh UUIDs. */
export function sidSource(sessionId: string): () => string {
  let used = false;
  return () => {
    if (used) return randomUUID();
    used = true;
    return sessionId;
  };
}
