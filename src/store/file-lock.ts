import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { HELD_LOCK_TOKENS_KEY } from '../global-keys.js';
import { errorCode, readIfExists, type StoreFileSystem } from './file-system.js';

export interface LockOptions {
  /** Give up waiting for another process after this long. */
  timeoutMs: number;
  /** A lock older than this is considered abandoned even if its owner cannot be checked. */
  staleMs: number;
}

interface LockOwner {
  pid: number;
  host: string;
  token: string;
  at: number;
}

// Locks this process holds right now: a lock file naming this pid with another token was leaked by us (e.g. its
// removal failed while the disk was read-only) and can be broken at once. Shared through the global object: the
// process-mode preload (CommonJS build) and the bot's `import 'consentry'` (ES module build) are two copies of this
// module in one process, and each must see the other's locks as held, not leaked.
const shared = globalThis as { [HELD_LOCK_TOKENS_KEY]?: Set<string> };
shared[HELD_LOCK_TOKENS_KEY] ??= new Set<string>();
const heldTokens: Set<string> = shared[HELD_LOCK_TOKENS_KEY];

// The owner is written right after the lock file is created; a lock still empty or half-written after this long was
// left by a process that died in between, and is broken without waiting for `staleMs`.
export const INCOMPLETE_LOCK_GRACE_MS = 2_000;

export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError';
}

/**
 * A cross-process lock: the lock file is created with O_EXCL, so exactly one process holds it. A lock left by a
 * process that died (same host, pid gone) or older than `staleMs` is broken, after re-reading it to make sure it
 * is still the same abandoned lock.
 */
export async function acquireFileLock(
  fs: StoreFileSystem,
  lockPath: string,
  options: LockOptions,
): Promise<() => Promise<void>> {
  const owner: LockOwner = { pid: process.pid, host: hostname(), token: randomUUID(), at: Date.now() };
  const ownerText = JSON.stringify(owner);
  const deadline = Date.now() + options.timeoutMs;
  let attempt = 0;
  for (;;) {
    try {
      const handle = await fs.open(lockPath, 'wx', 0o600);
      try {
        await handle.writeFile(ownerText, 'utf8');
      } catch (error) {
        // A full disk can let us create the lock file but not fill it: never leave an empty lock behind.
        await handle.close().catch(() => {});
        await fs.unlink(lockPath).catch(() => {});
        throw error;
      }
      await handle.close();
      heldTokens.add(owner.token);
      return async () => {
        heldTokens.delete(owner.token);
        const text = await readIfExists(fs, lockPath).catch(() => undefined);
        if (text === ownerText) await fs.unlink(lockPath).catch(() => {});
      };
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    await breakIfStale(fs, lockPath, options.staleMs);
    if (Date.now() > deadline) {
      throw new LockTimeoutError(
        `consentry: timed out after ${options.timeoutMs} ms waiting for the lock ${lockPath}; another process holds it. ` +
          'If no other process uses these settings, delete the lock file.',
      );
    }
    attempt += 1;
    await sleep(Math.min(1 + Math.random() * attempt * 2, 25));
  }
}

async function breakIfStale(fs: StoreFileSystem, lockPath: string, staleMs: number): Promise<void> {
  let text: string | undefined;
  let modifiedAt: number;
  try {
    text = await readIfExists(fs, lockPath);
    if (text === undefined) return;
    modifiedAt = (await fs.stat(lockPath)).mtimeMs;
  } catch {
    return;
  }
  const owner = parseOwner(text);
  const abandoned = owner ? isAbandoned(owner) : false;
  const old = owner ? Date.now() - owner.at > staleMs : Date.now() - modifiedAt > INCOMPLETE_LOCK_GRACE_MS;
  if (!abandoned && !old) return;
  // Re-read right before removing: if another process broke it and took a fresh lock meanwhile, leave that one.
  const again = await readIfExists(fs, lockPath).catch(() => undefined);
  if (again === text) await fs.unlink(lockPath).catch(() => {});
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.at === 'number') {
      return value as LockOwner;
    }
  } catch {
    // Written a moment ago and not yet complete, or garbage: judged by age only.
  }
  return undefined;
}

function isAbandoned(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return !heldTokens.has(owner.token);
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return errorCode(error) === 'ESRCH';
  }
}
