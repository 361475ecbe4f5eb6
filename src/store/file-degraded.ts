import { describeError } from '../log/index.js';
import { applyUpdates, copyDocument, type PendingUpdate } from './document.js';
import { isStorageError } from './errors.js';
import { acquireFileLock } from './file-lock.js';
import { readFromDisk } from './file-read.js';
import { adopt, type FileStoreContext, type FileSuiteState, notify } from './file-store-state.js';
import { writeFileAtomic } from './file-system.js';

// Past this many updates made in memory, recovery writes the memory state instead of replaying them.
const MAX_REPLAY = 256;

/** Runs a task in the suite's queue, between update batches. */
export type Enqueue = (suite: string, task: () => Promise<void>) => Promise<void>;

/** The file cannot be written: keep the suite in memory, say so once, and retry later. */
export function enterDegraded(ctx: FileStoreContext, st: FileSuiteState, error: unknown, enqueue: Enqueue): void {
  if (st.degraded) return;
  st.degraded = { replay: [], overflow: false, delayMs: ctx.firstRetryMs, timer: undefined };
  ctx.once.report(
    `degraded:${st.path}`,
    'warn',
    `consentry: cannot write the settings file ${st.path} (${describeError(error)}); keeping settings in memory ` +
      `and retrying in ${formatDelay(ctx.firstRetryMs)}. Changes made meanwhile are saved once writing works again.`,
  );
  scheduleRetry(ctx, st, enqueue);
}

/** Applies a batch to the memory state of a degraded suite and remembers it for replay. */
export function applyInMemory(ctx: FileStoreContext, st: FileSuiteState, batch: PendingUpdate[]): void {
  const applied = applyUpdates(st.document, st.text, batch);
  const degraded = st.degraded;
  if (applied.nextText !== undefined && degraded) {
    st.text = applied.nextText;
    st.document = applied.next;
    st.known = true;
    if (!degraded.overflow) {
      degraded.replay.push(...batch.map((update) => update.fn));
      if (degraded.replay.length > MAX_REPLAY) {
        degraded.overflow = true;
        degraded.replay = [];
      }
    }
  }
  applied.settle();
  if (applied.nextText !== undefined) notify(ctx, st);
}

function scheduleRetry(ctx: FileStoreContext, st: FileSuiteState, enqueue: Enqueue): void {
  const degraded = st.degraded;
  if (!degraded || ctx.lifecycle.stopping) return;
  const delay = degraded.delayMs;
  degraded.delayMs = Math.min(delay * 2, ctx.maxRetryMs);
  degraded.timer = setTimeout(() => {
    degraded.timer = undefined;
    void enqueue(st.suite, () => recover(ctx, st, enqueue)).catch(() => {});
  }, delay);
  degraded.timer.unref();
}

/** Replays the updates made in memory onto the file's current content (or writes memory after an overflow). */
async function recover(ctx: FileStoreContext, st: FileSuiteState, enqueue: Enqueue): Promise<void> {
  const degraded = st.degraded;
  if (!degraded || ctx.lifecycle.stopping) return;
  const memory = st.document;
  const memoryText = st.text;
  try {
    await ctx.fs.mkdir(ctx.dir, { recursive: true, mode: 0o700 });
    const release = await acquireFileLock(ctx.fs, `${st.path}.lock`, ctx.lockOptions);
    try {
      const current = await readFromDisk(ctx, st, true);
      let next = current;
      if (degraded.overflow) next = memory;
      else for (const fn of degraded.replay) next = fn(copyDocument(next));
      const text = next === undefined ? undefined : JSON.stringify(next);
      if (text !== undefined && text !== st.text) await writeFileAtomic(ctx.fs, st.path, text);
      st.degraded = undefined;
      adopt(st, text, next);
    } finally {
      await release();
    }
  } catch (error) {
    st.text = memoryText;
    st.document = memory;
    if (!isStorageError(error)) {
      ctx.once.report(`recover:${st.path}`, 'warn', `consentry: retrying ${st.path} failed (${describeError(error)})`);
    }
    scheduleRetry(ctx, st, enqueue);
    return;
  }
  ctx.once.clear(`degraded:${st.path}`);
  ctx.once.clear(`recover:${st.path}`);
  ctx.log.info(`consentry: the settings file ${st.path} is writable again; settings saved.`);
  if (st.text !== memoryText) notify(ctx, st);
}

function formatDelay(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 1_000)} s`;
}
