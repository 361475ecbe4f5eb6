import { randomUUID } from 'node:crypto';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { ConsentLevel, ConsentStatus } from '../consent/index.js';
import { type Tracing, USER_ID } from '../otel/index.js';
import type { SpanIdentity } from '../tasks/index.js';
import type { ModuleRuntime } from './module.js';

// How many given-up user ids are remembered, to drop the spans that still carry one.
const FORGOTTEN_KEPT = 16;

/** The suite's level and user as every module, span and event must see them, kept in step with consent. */
export interface ConsentSync {
  /** Read on every span start: kept here so the hot path does not recompute the status. */
  readonly level: ConsentLevel;
  readonly userId: string | null;
  /** Per process, and new with each new user id (forget()): a session id must not link the two identities. */
  readonly sessionId: string;
  /** The user and session of the events, on every span; a new object when either changes (forget()). */
  readonly identity: SpanIdentity | undefined;
  /** Applies a status to the modules and the span pipeline. */
  follow(status: ConsentStatus): void;
  /** The settings were read: from now on a replaced user id is a forget. */
  settle(status: ConsentStatus): void;
  /** A span that started before forget() and ends after it still carries the old user id: it is dropped. */
  keep(span: ReadableSpan): boolean;
}

export function consentSync(
  initialLevel: ConsentLevel,
  suite: {
    modules(): Iterable<ModuleRuntime>;
    tracing(): Tracing | undefined;
    sessionChanged(sessionId: string): void;
  },
): ConsentSync {
  let level = initialLevel;
  let userId: string | null = null;
  let sessionId = randomUUID();
  let identity: SpanIdentity | undefined;
  // User ids given up since the settings were read (forget(), here or on another shard): no span carries them out.
  // Before that, a first identity may still be replaced while processes agree on one: not a forget.
  const forgotten = new Set<string>();
  let settled = false;
  const follow = (status: ConsentStatus) => {
    const previous = identity?.userId;
    const replaced = settled && previous !== undefined && previous !== status.userId;
    level = status.level;
    if (userId !== null && status.userId !== null && status.userId !== userId) {
      sessionId = randomUUID();
      suite.sessionChanged(sessionId);
    }
    userId = status.userId;
    // The store may hand back an older document for a moment (a write seen late): an id that is current is not gone.
    if (userId !== null) forgotten.delete(userId);
    identity = spanIdentity(identity, userId, sessionId);
    for (const module of suite.modules()) module.sync(level, userId);
    if (replaced) {
      forgotten.add(previous);
      if (forgotten.size > FORGOTTEN_KEPT) forgotten.delete(forgotten.values().next().value as string);
      void suite.tracing()?.discard();
    } else {
      void suite.tracing()?.levelChanged();
    }
  };
  return {
    get level() {
      return level;
    },
    get userId() {
      return userId;
    },
    get sessionId() {
      return sessionId;
    },
    get identity() {
      return identity;
    },
    follow,
    settle(status) {
      settled = true;
      follow(status);
    },
    keep(span) {
      const spanUser = span.attributes[USER_ID];
      return typeof spanUser !== 'string' || !forgotten.has(spanUser);
    },
  };
}

/** The same object while user and session stay, so spans can compare identities by reference. */
function spanIdentity(
  previous: SpanIdentity | undefined,
  userId: string | null,
  sessionId: string,
): SpanIdentity | undefined {
  if (userId === null) return undefined;
  return previous?.userId === userId && previous.sessionId === sessionId ? previous : { userId, sessionId };
}
