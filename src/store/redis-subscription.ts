import {
  adopt,
  fetchCurrent,
  notify,
  type RedisStoreContext,
  type RedisSuiteState,
  reportOutage,
  suiteState,
} from './redis-store-state.js';
import type { StoreListener } from './store.js';

/** `Store.subscribe`: listens on the suite's change channel and catches up on what was stored meanwhile. */
export function subscribeToChanges(ctx: RedisStoreContext, suite: string, listener: StoreListener): () => void {
  const st = suiteState(ctx, suite);
  st.listeners.add(listener);
  if (!ctx.lifecycle.closed) void ensureSubscribed(ctx, st).then(() => refresh(ctx, st));
  return () => {
    st.listeners.delete(listener);
  };
}

/**
 * Logs outages once and, after a reconnect, lets subscribers catch up on changes they missed. Either connection may
 * come back first and a refresh needs the command connection, so both trigger one. At close: `stopRefreshing`, and
 * `releaseErrors` for a user's client only (our own connections keep swallowing late socket errors).
 */
export function watchConnections(ctx: RedisStoreContext): { stopRefreshing(): void; releaseErrors(): void } {
  const onError = (error: unknown) => reportOutage(ctx, error);
  const refreshSubscribed = () => {
    for (const st of ctx.states.values()) {
      if (st.listeners.size > 0) void ensureSubscribed(ctx, st).then(() => refresh(ctx, st));
    }
  };
  const onCommandReady = () => {
    if (ctx.once.clear('outage')) ctx.log.info(`consentry: Redis at ${ctx.where} is reachable again.`);
    refreshSubscribed();
  };
  const onSubscriberReady = refreshSubscribed;
  ctx.commandClient.on('error', onError);
  ctx.commandClient.on('ready', onCommandReady);
  ctx.subscriber.on('error', onError);
  ctx.subscriber.on('ready', onSubscriberReady);
  return {
    stopRefreshing() {
      ctx.commandClient.off('ready', onCommandReady);
      ctx.subscriber.off('ready', onSubscriberReady);
    },
    releaseErrors() {
      ctx.commandClient.off('error', onError);
    },
  };
}

async function refresh(ctx: RedisStoreContext, st: RedisSuiteState): Promise<void> {
  try {
    if (adopt(ctx, st, await fetchCurrent(ctx, st))) notify(ctx, st);
  } catch {
    // Still down; the next reconnect refreshes again.
  }
}

async function ensureSubscribed(ctx: RedisStoreContext, st: RedisSuiteState): Promise<void> {
  if (!ctx.lifecycle.subscriberStarted) {
    ctx.lifecycle.subscriberStarted = true;
    ctx.subscriber.connect().catch(() => {});
  }
  if (st.subscribed) return;
  st.subscribed = true;
  try {
    await ctx.subscriber.subscribe(st.channel, (message: string) => {
      const newline = message.indexOf('\n');
      const [gen = '', rev = '0'] = message.slice(0, newline).split(' ');
      try {
        if (adopt(ctx, st, { gen, rev: Number(rev), text: message.slice(newline + 1) })) notify(ctx, st);
      } catch {
        // Unreadable settings with quarantine off: keep the last known state.
      }
    });
  } catch {
    st.subscribed = false;
  }
}
