import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describeError } from '../log/index.js';
import { isStorageError } from './errors.js';
import { assertOpen, type FileStoreContext, suiteState } from './file-store-state.js';
import { errorCode } from './file-system.js';

/**
 * `Store.claim`: a file created with O_EXCL in `<dir>/<suite>.claims/`. When that folder cannot be written, claims
 * fall back to once per process (in memory).
 */
export async function claimFile(ctx: FileStoreContext, suite: string, key: string): Promise<boolean> {
  assertOpen(ctx);
  if (typeof key !== 'string' || key === '') throw new TypeError('consentry: claim key must be a non-empty string');
  const st = suiteState(ctx, suite);
  if (st.memoryClaims.has(key)) return false;
  const claimsDir = join(ctx.dir, `${suite}.claims`);
  const path = join(claimsDir, claimFileName(key));
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await ctx.fs.open(path, 'wx', 0o600);
      await handle.close();
      return true;
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EEXIST') return false;
      if (code === 'ENOENT' && attempt === 0) {
        await ctx.fs.mkdir(claimsDir, { recursive: true, mode: 0o700 }).catch(() => {});
        continue;
      }
      if (!isStorageError(error) && code !== 'ENOENT') throw error;
      ctx.once.report(
        `claims:${claimsDir}`,
        'warn',
        `consentry: cannot create claim files in ${claimsDir} (${describeError(error)}); ` +
          'one-time notices are de-duplicated within this process only until that works again.',
      );
      st.memoryClaims.add(key);
      return true;
    }
  }
}

function claimFileName(key: string): string {
  if (/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/.test(key)) return `k-${key}`;
  return `h-${createHash('sha256').update(key).digest('hex')}`;
}
