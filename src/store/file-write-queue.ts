import { applyUpdates, suiteQueue } from './document.js';
import { isStorageError } from './errors.js';
import { applyInMemory, enterDegraded } from './file-degraded.js';
import { acquireFileLock } from './file-lock.js';
import { readFromDisk } from './file-read.js';
import { adopt, assertOpen, type FileStoreContext, notify, suiteState } from './file-store-state.js';
import { writeFileAtomic } from './file-system.js';

/**
 * The file store's writer: each batch of updates is applied under the cross-process lock to what the file holds
 * now. When the file cannot be written, the suite goes degraded and later batches are kept in memory.
 */
export function fileWriteQueue(ctx: FileStoreContext): ReturnType<typeof suiteQueue> {
  const queue = suiteQueue(async (suite, batch) => {
    assertOpen(ctx);
    const st = suiteState(ctx, suite);
    if (st.degraded) {
      applyInMemory(ctx, st, batch);
      return;
    }
    try {
      await ctx.fs.mkdir(ctx.dir, { recursive: true, mode: 0o700 });
      const release = await acquireFileLock(ctx.fs, `${st.path}.lock`, ctx.lockOptions);
      let applied: ReturnType<typeof applyUpdates>;
      try {
        const current = await readFromDisk(ctx, st, true);
        applied = applyUpdates(current, st.text, batch);
        if (applied.nextText !== undefined) {
          await writeFileAtomic(ctx.fs, st.path, applied.nextText);
          adopt(st, applied.nextText, applied.next);
        }
      } finally {
        await release();
      }
      applied.settle();
      if (applied.nextText !== undefined) notify(ctx, st);
    } catch (error) {
      if (!isStorageError(error)) throw error;
      enterDegraded(ctx, st, error, (name, task) => queue.task(name, task));
      applyInMemory(ctx, st, batch);
    }
  });
  return queue;
}
