import { AsyncLocalStorage } from 'node:async_hooks';
import { COMMAND_SCOPE_KEY } from '../global-keys.js';

/**
 * "A command or listener is running here": one fact for the whole process. `mod.command()` and `mod.listener()`
 * of every module of every suite run their handler inside it, and every sampler of consentry (plugin mode and the
 * preload's) records nothing that starts inside it. The storage lives on `globalThis` under a registered symbol, so
 * every copy and version of consentry in the process (ESM and CommonJS builds, a plugin's own copy, the preload)
 * shares it. Contract between versions: any store other than `undefined` means "inside a command".
 */
function sharedStorage(): AsyncLocalStorage<unknown> {
  const global = globalThis as Record<symbol, unknown>;
  const found = global[COMMAND_SCOPE_KEY];
  if (found instanceof AsyncLocalStorage) return found;
  const created = new AsyncLocalStorage<unknown>();
  try {
    Object.defineProperty(global, COMMAND_SCOPE_KEY, {
      value: created,
      enumerable: false,
      writable: false,
      configurable: false,
    });
  } catch {
    // Something else holds the key and will not let go: this copy keeps its own marker.
  }
  return created;
}

const storage = sharedStorage();

/** True while a command or listener (of any module, any suite, any copy of consentry) is running in this context. */
export function insideCommand(): boolean {
  return storage.getStore() !== undefined;
}

/** Runs `fn` as part of a command: nothing it starts, now or later in its async context, is exported. */
export function runAsCommand<R>(fn: () => R): R {
  return storage.run(true, fn);
}

/**
 * Runs `fn` outside any command, e.g. to arm a timer whose callback is scheduled work, not the command that set it
 * up (timers inherit the async context they were created in).
 */
export function outsideCommand<R>(fn: () => R): R {
  return storage.exit(fn);
}
