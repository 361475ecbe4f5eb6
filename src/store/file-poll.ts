import { readFromDisk } from './file-read.js';
import { type FileStoreContext, type FileSuiteState, notify, suiteState } from './file-store-state.js';
import { errorCode } from './file-system.js';
import type { StoreListener } from './store.js';

/** `Store.subscribe`: while a suite has listeners, its file is polled for changes made by other processes. */
export function subscribeToFile(ctx: FileStoreContext, suite: string, listener: StoreListener): () => void {
  const st = suiteState(ctx, suite);
  st.listeners.add(listener);
  if (!st.poller && !ctx.lifecycle.stopping) {
    st.poller = setInterval(() => startPoll(ctx, st), ctx.pollIntervalMs);
    st.poller.unref();
    startPoll(ctx, st);
  }
  return () => {
    st.listeners.delete(listener);
    if (st.listeners.size === 0 && st.poller) {
      clearInterval(st.poller);
      st.poller = undefined;
    }
  };
}

function startPoll(ctx: FileStoreContext, st: FileSuiteState): void {
  const polling = poll(ctx, st).finally(() => ctx.polls.delete(polling));
  ctx.polls.add(polling);
}

/** Rereads the file when its inode, size or mtime changed, and tells the listeners when its content did. */
async function poll(ctx: FileStoreContext, st: FileSuiteState): Promise<void> {
  if (st.polling || st.degraded || ctx.lifecycle.stopping) return;
  st.polling = true;
  try {
    let key: string;
    try {
      const stats = await ctx.fs.stat(st.path);
      key = `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') return;
      key = 'missing';
    }
    if (key === st.statKey) return;
    st.statKey = key;
    const before = st.text;
    const wasKnown = st.known;
    await readFromDisk(ctx, st, false);
    if (!wasKnown || st.text !== before) notify(ctx, st);
  } catch {
    // A failed poll is retried at the next tick.
  } finally {
    st.polling = false;
  }
}
