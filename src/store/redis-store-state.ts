import type { HostLogger, onceLogger } from '../log/index.js';
import { describeError } from '../log/index.js';
import { CorruptDocumentError, notifyAll, parseDocument } from './document.js';
import { StoreUnavailableError } from './errors.js';
import type { RedisConnections } from './redis-connection.js';
import type { StoredDocument, StoreListener } from './store.js';
import { assertSuiteName } from './suite-name.js';

/** A state of a suite's hash as seen in Redis (a reply or a change message). */
export interface Revision {
  gen: string;
  rev: number;
  text: string | undefined;
}

/** What the Redis store knows about one suite: the last revision seen and who listens. */
export interface RedisSuiteState {
  suite: string;
  key: string;
  channel: string;
  gen: string;
  rev: number;
  text: string | undefined;
  document: StoredDocument | undefined;
  known: boolean;
  listeners: Set<StoreListener>;
  subscribed: boolean;
}

/** Everything the pieces of one Redis store share: its settings, connections, logger and lifecycle. */
export interface RedisStoreContext extends RedisConnections {
  readonly prefix: string;
  /** The Redis server as log lines name it (password redacted). */
  readonly where: string;
  /** False: unreadable settings are left in place and reads reject (see `RedisStoreOptions.quarantine`). */
  readonly quarantine: boolean;
  readonly log: HostLogger;
  readonly once: ReturnType<typeof onceLogger>;
  readonly states: Map<string, RedisSuiteState>;
  /** Settles at the first success or failure of the command connection; set once the handlers are attached. */
  firstConnection: Promise<void>;
  readonly lifecycle: { closed: boolean; subscriberStarted: boolean };
}

export function suiteState(ctx: RedisStoreContext, suite: string): RedisSuiteState {
  let found = ctx.states.get(suite);
  if (!found) {
    assertSuiteName(suite);
    found = {
      suite,
      key: `${ctx.prefix}${suite}`,
      channel: `${ctx.prefix}changes:${suite}`,
      gen: '',
      rev: 0,
      text: undefined,
      document: undefined,
      known: false,
      listeners: new Set(),
      subscribed: false,
    };
    ctx.states.set(suite, found);
  }
  return found;
}

export function assertOpen(ctx: RedisStoreContext): void {
  if (ctx.lifecycle.closed) throw new Error('consentry: this Redis store is closed');
}

export async function whenConnected(ctx: RedisStoreContext): Promise<void> {
  await ctx.firstConnection;
  if (!ctx.commandClient.isReady) throw new StoreUnavailableError(`consentry: Redis at ${ctx.where} is not connected`);
}

export function notify(ctx: RedisStoreContext, st: RedisSuiteState): void {
  notifyAll(st.listeners, st.document, ctx.once);
}

/** Records a state seen in Redis unless it is older than the one already known (replies and messages race). */
export function adopt(ctx: RedisStoreContext, st: RedisSuiteState, seen: Revision): boolean {
  const { gen, rev, text } = seen;
  if (st.known && gen === st.gen && rev <= st.rev) return false;
  st.gen = gen;
  st.rev = rev;
  st.text = text;
  st.document = text === undefined ? undefined : decode(ctx, st, text);
  st.known = true;
  return true;
}

/** Parses stored settings; unreadable ones are copied aside and count as unset (or reject when quarantine is off). */
export function decode(ctx: RedisStoreContext, st: RedisSuiteState, text: string): StoredDocument | undefined {
  try {
    return parseDocument(text);
  } catch (error) {
    if (!(error instanceof CorruptDocumentError)) throw error;
    if (!ctx.quarantine) {
      throw new CorruptDocumentError(`the Redis key ${st.key} holds unreadable settings (${error.message})`);
    }
    const copyKey = `${st.key}:corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    ctx.commands.set(copyKey, text).catch(() => {});
    ctx.once.report(
      `corrupt:${st.key}:${st.rev}`,
      'error',
      `consentry: the Redis key ${st.key} held unreadable settings (${error.message}); copied them to ${copyKey}. ` +
        `Consent falls back to unset ('manual': nothing is sent automatically) until the owner chooses again.`,
    );
    return undefined;
  }
}

export async function fetchCurrent(ctx: RedisStoreContext, st: RedisSuiteState): Promise<Revision> {
  await whenConnected(ctx);
  const [text, rev, gen] = (await ctx.commands.hmGet(st.key, ['doc', 'rev', 'gen'])) as Array<string | null>;
  return { gen: gen ?? '', rev: Number(rev ?? 0), text: text ?? undefined };
}

/** One log line per outage (cleared when the command connection is ready again). */
export function reportOutage(ctx: RedisStoreContext, error: unknown): void {
  if (ctx.lifecycle.closed) return;
  ctx.once.report(
    'outage',
    'warn',
    `consentry: Redis at ${ctx.where} is unreachable (${describeError(error)}); keeping the last known consent ` +
      'settings (unknown settings count as unset, nothing is sent automatically) and reconnecting in the background.',
  );
}

/** The error a caller sees when a command failed; the outage is logged once. */
export function unavailable(ctx: RedisStoreContext, error: unknown): Error {
  if (error instanceof StoreUnavailableError) return error;
  reportOutage(ctx, error);
  return new StoreUnavailableError(`consentry: Redis at ${ctx.where} is unreachable (${describeError(error)})`);
}
