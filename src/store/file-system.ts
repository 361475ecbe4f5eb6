import * as fsp from 'node:fs/promises';

/**
 * The file operations the file store uses. Injectable so a full disk or a read-only directory can be simulated
 * with real errors thrown at this layer (running as root, permissions alone cannot stop a write).
 */
export type StoreFileSystem = Pick<typeof fsp, 'mkdir' | 'open' | 'readFile' | 'rename' | 'unlink' | 'stat'>;

export const nodeFileSystem: StoreFileSystem = {
  mkdir: fsp.mkdir,
  open: fsp.open,
  readFile: fsp.readFile,
  rename: fsp.rename,
  unlink: fsp.unlink,
  stat: fsp.stat,
};

export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Writes a file so readers see the old or the new content, never a mix: temp file, fsync, rename. */
export async function writeFileAtomic(fs: StoreFileSystem, path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    const handle = await fs.open(temp, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
  } catch (error) {
    await fs.unlink(temp).catch(() => {});
    throw error;
  }
}

/** Reads a file, `undefined` when it does not exist. */
export async function readIfExists(fs: StoreFileSystem, path: string): Promise<string | undefined> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}
