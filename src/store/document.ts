import { describeError, type onceLogger } from '../log/index.js';
import { isPlainObject } from '../values/index.js';
import type { StoredDocument, UpdateFunction } from './store.js';

export class CorruptDocumentError extends Error {
  override readonly name = 'CorruptDocumentError';
}

/** Parses stored text; anything but a JSON object (truncated, empty, an array…) is corrupt. */
export function parseDocument(text: string): StoredDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CorruptDocumentError(
      text.length === 0 ? 'the file is empty' : `invalid JSON (${(error as Error).message})`,
    );
  }
  if (!isPlainObject(value)) throw new CorruptDocumentError('it holds JSON but not an object');
  return value;
}

export function copyDocument<T extends StoredDocument | undefined>(document: T): T {
  return document === undefined ? document : (JSON.parse(JSON.stringify(document)) as T);
}

export interface PendingUpdate {
  fn: UpdateFunction;
  resolve(document: StoredDocument): void;
  reject(error: unknown): void;
}

export interface AppliedBatch {
  /** Serialized result, or undefined when nothing changed. */
  nextText: string | undefined;
  next: StoredDocument | undefined;
  /** Settles every update of the batch once the result is stored. */
  settle(): void;
}

/**
 * Applies a batch of updates in order to one current document. An update that throws or returns a non-object is
 * rejected alone; the others still apply. Each function gets a private copy, so a failed one cannot leave half-made
 * changes behind.
 */
export function applyUpdates(
  current: StoredDocument | undefined,
  currentText: string | undefined,
  batch: readonly PendingUpdate[],
): AppliedBatch {
  let document = current;
  const outcomes: Array<{ ok: true; document: StoredDocument } | { ok: false; error: unknown }> = [];
  for (const update of batch) {
    try {
      const next = update.fn(copyDocument(document));
      if (!isPlainObject(next)) throw new TypeError('consentry: a store update function must return a JSON object');
      document = copyDocument(next);
      outcomes.push({ ok: true, document });
    } catch (error) {
      outcomes.push({ ok: false, error });
    }
  }
  const text = document === undefined ? undefined : JSON.stringify(document);
  const changed = text !== undefined && text !== currentText;
  return {
    nextText: changed ? text : undefined,
    next: document,
    settle() {
      batch.forEach((update, index) => {
        const outcome = outcomes[index];
        if (!outcome) return;
        if (outcome.ok) update.resolve(copyDocument(outcome.document));
        else update.reject(outcome.error);
      });
    },
  };
}

type QueueItem = { kind: 'update'; update: PendingUpdate } | { kind: 'task'; task: () => Promise<void> };

/**
 * Runs a suite's work one item at a time. Consecutive updates are handed to `runBatch` together, so a process takes
 * a lock (or does one compare-and-set) per batch instead of per update, and never races itself. Tasks (e.g. a retry
 * after a write error) run alone, between batches.
 */
export function suiteQueue(runBatch: (suite: string, batch: PendingUpdate[]) => Promise<void>, maxBatch = 100) {
  const queues = new Map<string, QueueItem[]>();
  const drains = new Set<Promise<void>>();

  async function drain(suite: string, queue: QueueItem[]): Promise<void> {
    while (queue.length > 0) {
      const head = queue[0];
      if (head?.kind === 'task') {
        queue.shift();
        await head.task().catch(() => {});
        continue;
      }
      const batch: PendingUpdate[] = [];
      while (batch.length < maxBatch && queue[0]?.kind === 'update') {
        const item = queue.shift() as { kind: 'update'; update: PendingUpdate };
        batch.push(item.update);
      }
      try {
        await runBatch(suite, batch);
      } catch (error) {
        for (const update of batch) update.reject(error);
      }
    }
    queues.delete(suite);
  }

  function push(suite: string, item: QueueItem): void {
    const existing = queues.get(suite);
    if (existing) {
      existing.push(item);
      return;
    }
    const queue = [item];
    queues.set(suite, queue);
    const draining = drain(suite, queue).finally(() => drains.delete(draining));
    drains.add(draining);
  }

  return {
    update(suite: string, fn: UpdateFunction): Promise<StoredDocument> {
      return new Promise<StoredDocument>((resolve, reject) =>
        push(suite, { kind: 'update', update: { fn, resolve, reject } }),
      );
    },
    /** Resolves once every queued item has run. */
    async idle(): Promise<void> {
      while (drains.size > 0) await Promise.allSettled([...drains]);
    },
    task(suite: string, task: () => Promise<void>): Promise<void> {
      return new Promise<void>((resolve, reject) =>
        push(suite, { kind: 'task', task: () => task().then(resolve, reject) }),
      );
    },
  };
}

/**
 * Calls each listener with its own copy; a listener that throws does not stop the others, and gives one warning
 * through `once` (none without it).
 */
export function notifyAll(
  listeners: Iterable<(document: StoredDocument | undefined) => void>,
  document: StoredDocument | undefined,
  once?: ReturnType<typeof onceLogger>,
): void {
  for (const listener of [...listeners]) {
    try {
      listener(copyDocument(document));
    } catch (error) {
      once?.report(
        'listener',
        'warn',
        `consentry: a settings listener threw (${describeError(error)}); others still ran`,
      );
    }
  }
}
