import { readFile, utimes, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../../src/store/file-system.js';
import { fileStore, type StoreFileSystem } from '../../src/store/index.js';
import { assertBuilt, root } from '../support/built.js';
import { captureLogger } from '../support/logger.js';
import { tempDir, waitFor } from '../support/wait.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.remove();
});

type LockModule = typeof import('../../src/store/file-lock.js');
type FsModule = typeof import('../../src/store/file-system.js');

describe('the settings lock', () => {
  it('is held across both builds in one process (the CommonJS preload and the ES module import)', async () => {
    assertBuilt();
    const require = createRequire(join(root, 'package.json'));
    const cjsLock = require(join(root, 'dist/cjs/src/store/file-lock.js')) as LockModule;
    const cjsFs = require(join(root, 'dist/cjs/src/store/file-system.js')) as FsModule;
    const esmLock = (await import(pathToFileURL(join(root, 'dist/esm/src/store/file-lock.js')).href)) as LockModule;
    const esmFs = (await import(pathToFileURL(join(root, 'dist/esm/src/store/file-system.js')).href)) as FsModule;
    expect(esmLock.acquireFileLock).not.toBe(cjsLock.acquireFileLock);
    const path = join(dir.path, 'acme.json.lock');
    const options = { timeoutMs: 300, staleMs: 30_000 };
    const release = await cjsLock.acquireFileLock(cjsFs.nodeFileSystem, path, options);
    // The other copy must wait, not take the lock as one this process leaked.
    await expect(esmLock.acquireFileLock(esmFs.nodeFileSystem, path, options)).rejects.toThrow(/lock/i);
    await release();
    const again = await esmLock.acquireFileLock(esmFs.nodeFileSystem, path, options);
    await again();
  });

  it('breaks an empty lock left by a process that died between creating and filling it, without a 30 s wait', async () => {
    const lock = join(dir.path, 'acme.json.lock');
    await writeFile(lock, '');
    const longAgo = new Date(Date.now() - 5_000);
    await utimes(lock, longAgo, longAgo);
    const store = fileStore({ dir: dir.path, logger: captureLogger(), lockTimeoutMs: 3_000 });
    const written = await store.update('acme', () => ({ level: 'errors' }));
    expect(written.level).toBe('errors');
    await store.close();
  });

  it('waits for a lock that is still being written (fresh and empty) instead of breaking it', async () => {
    const lock = join(dir.path, 'acme.json.lock');
    await writeFile(lock, '');
    // Dated in the future, the lock stays "fresh" however slow this machine is, until the test ages it below.
    const later = new Date(Date.now() + 3_600_000);
    await utimes(lock, later, later);
    let attempts = 0;
    const fs: StoreFileSystem = {
      ...nodeFileSystem,
      open: ((path, flags, mode) => {
        if (String(path) === lock && flags === 'wx') attempts++;
        return nodeFileSystem.open(path, flags, mode);
      }) as StoreFileSystem['open'],
    };
    const store = fileStore({ dir: dir.path, logger: captureLogger(), fs });
    let done = false;
    const update = store
      .update('acme', () => ({ level: 'errors' }))
      .then(() => {
        done = true;
      });
    await waitFor('the store to try the lock three times (or give up waiting)', () => attempts >= 3 || done);
    expect(done).toBe(false);
    expect(await readFile(lock, 'utf8')).toBe('');
    // Now left over from a process that died: broken after the grace period, and the update goes through.
    const longAgo = new Date(Date.now() - 5_000);
    await utimes(lock, longAgo, longAgo);
    await update;
    expect(done).toBe(true);
    await store.close();
  });
});

describe('settings listeners', () => {
  it('a listener that throws does not stop the others, and gives one warning however often it throws', async () => {
    const logger = captureLogger();
    const store = fileStore({ dir: dir.path, logger });
    const seen: unknown[] = [];
    store.subscribe('acme', () => {
      throw new Error('listener bug');
    });
    store.subscribe('acme', (document) => seen.push(document?.level));
    await store.update('acme', () => ({ level: 'errors' }));
    await store.update('acme', () => ({ level: 'all' }));
    expect(seen.filter((level) => level !== undefined)).toEqual(['errors', 'all']);
    const warnings = logger.at('warn').filter((line) => line.includes('settings listener threw'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('listener bug');
    await store.close();
  });
});
