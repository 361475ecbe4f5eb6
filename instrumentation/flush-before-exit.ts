type Listener = (...args: unknown[]) => void;

/**
 * Flushes what is queued when the bot ends by itself (its event loop ran empty, Node emits `beforeExit`), without
 * changing how often the bot's own `beforeExit` listeners run.
 *
 * The flush is network work: once it is done the loop runs empty again and Node emits `beforeExit` once more. Without
 * the preload that second emission happens only if the bot's listeners scheduled work of their own. So right after
 * the first emission (every listener and microtask of it done) we look whether anything else keeps the loop alive;
 * if nothing does, the bot's listeners are taken off for the emission our flush causes and put back in it.
 */
export function flushBeforeExit(queued: () => boolean, flush: () => Promise<void>): void {
  let flushing = false;
  let held: Listener[] | undefined;

  const restore = () => {
    const listeners = held ?? [];
    held = undefined;
    for (const listener of listeners) process.on('beforeExit', listener);
  };

  const ours = (): void => {
    if (held !== undefined) {
      // The emission caused by our flush alone: the bot's listeners were off for it; they are back for any later one.
      restore();
      return;
    }
    if (flushing || !queued()) return;
    flushing = true;
    // The loop is empty now, so whatever is listed keeps nothing alive (stdio pipes, unref'd sockets and timers).
    const idle = process.getActiveResourcesInfo();
    setImmediate(() => {
      const botScheduledWork = added(idle, process.getActiveResourcesInfo());
      void flush()
        .catch(() => {})
        .finally(() => {
          flushing = false;
          if (botScheduledWork) return; // a later emission was coming anyway: the bot's listeners run in it
          held = process.rawListeners('beforeExit').filter((listener) => listener !== ours) as Listener[];
          for (const listener of held) process.removeListener('beforeExit', listener);
        });
    });
  };
  process.prependListener('beforeExit', ours);
}

/** Whether `now` lists a resource more than `before` did (compared as multisets of resource types). */
function added(before: readonly string[], now: readonly string[]): boolean {
  const counts = new Map<string, number>();
  for (const type of before) counts.set(type, (counts.get(type) ?? 0) + 1);
  for (const type of now) {
    const left = counts.get(type) ?? 0;
    if (left === 0) return true;
    counts.set(type, left - 1);
  }
  return false;
}
