import * as fsp from 'node:fs/promises';
import type { StoreFileSystem } from '../../../src/store/index.js';

function errno(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  const messages: Record<string, string> = {
    ENOSPC: 'no space left on device',
    EACCES: 'permission denied',
    EROFS: 'read-only file system',
  };
  const error = new Error(`${code}: ${messages[code] ?? 'error'}, ${syscall} '${path}'`) as NodeJS.ErrnoException;
  error.code = code;
  error.syscall = syscall;
  error.path = path;
  return error;
}

/**
 * The real file system with a switch: while `failWith` is set, every operation that would create or change a file
 * fails with that errno, as the kernel would on a full disk (ENOSPC on write) or a read-only folder (EACCES/EROFS on
 * open for writing). Reads keep working. We run as root in CI, where chmod cannot make a folder unwritable, so this
 * seam is the honest way to get those errors from the store's own calls.
 */
export function faultyFileSystem(): StoreFileSystem & { failWith: string | undefined; failures: number } {
  const fs = {
    failWith: undefined as string | undefined,
    failures: 0,
    mkdir: ((path: string, options?: object) => fsp.mkdir(path, options as never)) as StoreFileSystem['mkdir'],
    readFile: fsp.readFile,
    stat: fsp.stat,
    async open(path: Parameters<StoreFileSystem['open']>[0], flags?: string | number, mode?: number) {
      const writing = typeof flags === 'string' && /[wax+]/.test(flags);
      if (fs.failWith === 'ENOSPC' && writing) {
        // A full disk: creating the file works, writing its bytes does not.
        const handle = await fsp.open(path, flags, mode);
        return new Proxy(handle, {
          get(target, property, receiver) {
            if (property === 'writeFile' || property === 'write') {
              return async () => {
                fs.failures += 1;
                throw errno('ENOSPC', 'write', String(path));
              };
            }
            const value = Reflect.get(target, property, receiver);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
      }
      if (fs.failWith && writing) {
        fs.failures += 1;
        throw errno(fs.failWith, 'open', String(path));
      }
      return fsp.open(path, flags, mode);
    },
    async rename(from: Parameters<StoreFileSystem['rename']>[0], to: Parameters<StoreFileSystem['rename']>[1]) {
      if (fs.failWith && fs.failWith !== 'ENOSPC') {
        fs.failures += 1;
        throw errno(fs.failWith, 'rename', String(from));
      }
      return fsp.rename(from, to);
    },
    async unlink(path: Parameters<StoreFileSystem['unlink']>[0]) {
      if (fs.failWith && fs.failWith !== 'ENOSPC') throw errno(fs.failWith, 'unlink', String(path));
      return fsp.unlink(path);
    },
  };
  return fs as StoreFileSystem & { failWith: string | undefined; failures: number };
}
