import { CorruptDocumentError, copyDocument } from './document.js';
import {
  adopt,
  assertOpen,
  fetchCurrent,
  notify,
  type RedisStoreContext,
  suiteState,
  unavailable,
  whenConnected,
} from './redis-store-state.js';
import type { StoredDocument } from './store.js';
import { suiteNames } from './suite-name.js';

/** `Store.read`: the suite's settings, or the last known ones while Redis is down. */
export async function readSuite(ctx: RedisStoreContext, suite: string): Promise<StoredDocument | undefined> {
  assertOpen(ctx);
  const st = suiteState(ctx, suite);
  try {
    if (adopt(ctx, st, await fetchCurrent(ctx, st))) notify(ctx, st);
    return copyDocument(st.document);
  } catch (error) {
    if (error instanceof CorruptDocumentError) throw error;
    if (st.known) return copyDocument(st.document);
    throw unavailable(ctx, error);
  }
}

/** `Store.suites`: every hash under the prefix. */
export async function listSuites(ctx: RedisStoreContext): Promise<string[]> {
  assertOpen(ctx);
  await whenConnected(ctx);
  const names: string[] = [];
  try {
    for await (const keys of ctx.commands.scanIterator({ MATCH: `${ctx.prefix}*`, TYPE: 'hash', COUNT: 500 })) {
      for (const key of keys as string[]) names.push(key.slice(ctx.prefix.length));
    }
  } catch (error) {
    throw unavailable(ctx, error);
  }
  return suiteNames(names);
}

/** `Store.claim`: `SET NX` on `<prefix><suite>:claim:<key>`. */
export async function claimKey(ctx: RedisStoreContext, suite: string, key: string): Promise<boolean> {
  assertOpen(ctx);
  if (typeof key !== 'string' || key === '') throw new TypeError('consentry: claim key must be a non-empty string');
  const st = suiteState(ctx, suite);
  await whenConnected(ctx);
  try {
    const reply = await ctx.commands.set(`${st.key}:claim:${key}`, new Date().toISOString(), { condition: 'NX' });
    return reply === 'OK';
  } catch (error) {
    throw unavailable(ctx, error);
  }
}
