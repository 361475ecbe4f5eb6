import { readFileSync } from 'node:fs';
import { describeError } from '../log/index.js';
import { CorruptDocumentError, copyDocument, parseDocument } from './document.js';
import { StoreUnavailableError } from './errors.js';
import { acquireFileLock } from './file-lock.js';
import { adopt, assertOpen, type FileStoreContext, type FileSuiteState, suiteState } from './file-store-state.js';
import { errorCode, readIfExists } from './file-system.js';
import type { StoredDocument } from './store.js';

/** `Store.read`: the file's document, or the last known one (the one in memory while degraded). */
export async function readSuite(ctx: FileStoreContext, suite: string): Promise<StoredDocument | undefined> {
  assertOpen(ctx);
  const st = suiteState(ctx, suite);
  if (st.degraded) return copyDocument(st.document);
  try {
    return copyDocument(await readFromDisk(ctx, st, false));
  } catch (error) {
    if (error instanceof CorruptDocumentError) throw error;
    if (st.known) return copyDocument(st.document);
    throw new StoreUnavailableError(`consentry: cannot read ${st.path} (${describeError(error)})`);
  }
}

/** `Store.readSync`, for a crash handler that cannot wait. */
export function readSuiteSync(ctx: FileStoreContext, suite: string): StoredDocument | undefined {
  const st = suiteState(ctx, suite);
  if (st.degraded) return copyDocument(st.document);
  let text: string;
  try {
    text = readFileSync(st.path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  return parseDocument(text);
}

/** Reads and adopts the file; an unreadable one is quarantined (or rejected when quarantine is off). */
export async function readFromDisk(
  ctx: FileStoreContext,
  st: FileSuiteState,
  locked: boolean,
): Promise<StoredDocument | undefined> {
  const text = await readIfExists(ctx.fs, st.path);
  if (text === undefined) {
    adopt(st, undefined, undefined);
    return undefined;
  }
  try {
    const document = parseDocument(text);
    adopt(st, text, document);
    return document;
  } catch (error) {
    if (!(error instanceof CorruptDocumentError)) throw error;
    if (!ctx.quarantine) {
      throw new CorruptDocumentError(`the settings file ${st.path} is unreadable (${error.message})`);
    }
    const recovered = await quarantine(ctx, st, error.message, !locked);
    if (recovered === undefined) adopt(st, undefined, undefined);
    return recovered;
  }
}

/** Moves an unreadable file aside. Call with the lock held, or with `lock: true` to take it. */
async function quarantine(
  ctx: FileStoreContext,
  st: FileSuiteState,
  reason: string,
  lock: boolean,
): Promise<StoredDocument | undefined> {
  let release: (() => Promise<void>) | undefined;
  try {
    if (lock) release = await acquireFileLock(ctx.fs, `${st.path}.lock`, ctx.lockOptions);
    const text = await readIfExists(ctx.fs, st.path);
    if (text === undefined) return undefined;
    try {
      const document = parseDocument(text);
      adopt(st, text, document);
      return document;
    } catch {
      // Still corrupt: move it aside below.
    }
    const copy = `${st.path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await ctx.fs.rename(st.path, copy);
    ctx.log.error(
      `consentry: the settings file ${st.path} was unreadable (${reason}); moved it to ${copy}. ` +
        `Consent falls back to unset ('manual': nothing is sent automatically) until the owner chooses again.`,
    );
    return undefined;
  } catch (error) {
    ctx.once.report(
      `corrupt:${st.path}`,
      'error',
      `consentry: the settings file ${st.path} is unreadable (${reason}) and could not be moved aside ` +
        `(${describeError(error)}); consent is treated as unset ('manual') until the file is fixed or removed.`,
    );
    return undefined;
  } finally {
    await release?.();
  }
}
