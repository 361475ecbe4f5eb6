import { spawn, spawnSync } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileStore, type Store, type StoredDocument } from '../../src/store/index.js';
import { captureLogger } from '../support/logger.js';
import { tempDir, waitFor } from '../support/wait.js';
import { faultyFileSystem } from './support/faulty-fs.js';

const increment = (current: StoredDocument | undefined): StoredDocument => ({
  ...current,
  counter: ((current?.counter as number | undefined) ?? 0) + 1,
});

let dir: Awaited<ReturnType<typeof tempDir>>;
const stores: Store[] = [];
function track<T extends Store>(store: T): T {
  stores.push(store);
  return store;
}

beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await dir.remove();
});

describe('fileStore', () => {
  it('keeps each suite in <dir>/<suite>.json, private to the bot user, with no temp files left behind', async () => {
    const store = track(fileStore({ dir: dir.path, logger: captureLogger() }));
    expect(await store.read('acme')).toBeUndefined();
    const stored = await store.update('acme', () => ({ level: 'errors' }));
    expect(stored).toEqual({ level: 'errors' });
    expect(JSON.parse(await readFile(join(dir.path, 'acme.json'), 'utf8'))).toEqual({ level: 'errors' });
    expect((await stat(join(dir.path, 'acme.json'))).mode & 0o777).toBe(0o600);
    expect(await store.read('acme')).toEqual({ level: 'errors' });
    expect((await readdir(dir.path)).sort()).toEqual(['acme.json']);
    expect(store.describe('acme')).toBe(join(dir.path, 'acme.json'));
  });

  it('applies concurrent updates from one process without losing any', async () => {
    const store = track(fileStore({ dir: dir.path, logger: captureLogger() }));
    await Promise.all(Array.from({ length: 300 }, () => store.update('acme', increment)));
    expect((await store.read('acme'))?.counter).toBe(300);
  });

  it('does not lose updates between two stores on the same folder (each with its own lock attempts)', async () => {
    const a = track(fileStore({ dir: dir.path, logger: captureLogger() }));
    const b = track(fileStore({ dir: dir.path, logger: captureLogger() }));
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).update('acme', increment)).concat(
        Array.from({ length: 100 }, () => b.update('acme', increment)),
      ),
    );
    expect((await a.read('acme'))?.counter).toBe(200);
  });

  it('rejects only the update that throws or returns a non-object; the rest of the batch is stored', async () => {
    const store = track(fileStore({ dir: dir.path, logger: captureLogger() }));
    const results = await Promise.allSettled([
      store.update('acme', increment),
      store.update('acme', (current) => {
        if (current) current.counter = 999; // mutating its copy must not leak into the stored result
        throw new Error('boom');
      }),
      store.update('acme', () => [] as unknown as StoredDocument),
      store.update('acme', increment),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('boom');
    expect((results[2] as PromiseRejectedResult).reason.message).toMatch(/must return a JSON object/);
    expect((await store.read('acme'))?.counter).toBe(2);
  });

  it('writes nothing when an update returns an equal document', async () => {
    const store = track(fileStore({ dir: dir.path, logger: captureLogger() }));
    await store.update('acme', () => ({ a: 1 }));
    const before = await stat(join(dir.path, 'acme.json'));
    await store.update('acme', (current) => ({ ...current }));
    const after = await stat(join(dir.path, 'acme.json'));
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });

  it('grants a claim exactly once, also across store instances, per suite and key', async () => {
    const a = track(fileStore({ dir: dir.path, logger: captureLogger() }));
    const b = track(fileStore({ dir: dir.path, logger: captureLogger() }));
    const keys = ['master:v1', 'module:status', 'weird key/with:chars', 'x'.repeat(300)];
    for (const key of keys) {
      const wins = await Promise.all([a.claim('acme', key), b.claim('acme', key), a.claim('acme', key)]);
      expect(wins.filter(Boolean), key).toHaveLength(1);
    }
    expect(await a.claim('other-suite', 'master:v1')).toBe(true);
  });

  it('tells subscribers about its own writes at once and about another instance’s writes by polling', async () => {
    const a = track(fileStore({ dir: dir.path, logger: captureLogger(), pollIntervalMs: 50 }));
    const b = track(fileStore({ dir: dir.path, logger: captureLogger(), pollIntervalMs: 50 }));
    const seenByA: unknown[] = [];
    const seenByB: unknown[] = [];
    a.subscribe('acme', (document) => seenByA.push(document?.level));
    b.subscribe('acme', (document) => seenByB.push(document?.level));
    await a.update('acme', () => ({ level: 'all' }));
    expect(seenByA).toContain('all');
    await waitFor('b to see a’s write', () => seenByB.includes('all'));
    await b.update('acme', () => ({ level: 'off' }));
    await waitFor('a to see b’s write', () => seenByA.at(-1) === 'off');
  });

  it('keeps telling the other subscribers when one throws, and logs it once', async () => {
    const logger = captureLogger();
    const store = track(fileStore({ dir: dir.path, logger }));
    const seen: unknown[] = [];
    store.subscribe('acme', () => {
      throw new Error('listener bug');
    });
    store.subscribe('acme', (document) => seen.push(document?.n));
    await store.update('acme', () => ({ n: 1 }));
    await store.update('acme', () => ({ n: 2 }));
    expect(seen).toEqual(expect.arrayContaining([1, 2]));
    expect(logger.at('warn').filter((line) => line.includes('listener bug'))).toHaveLength(1);
  });

  it('refuses a suite name that is not safe for a file name', async () => {
    const store = track(fileStore({ dir: dir.path, logger: captureLogger() }));
    await expect(store.read('../escape')).rejects.toThrow(/suite name must be/);
    await expect(store.update('a/b', increment)).rejects.toThrow(/suite name must be/);
  });

  it('breaks a lock left behind by a process that died, and waits while its holder is alive', async () => {
    const store = track(fileStore({ dir: dir.path, logger: captureLogger(), lockTimeoutMs: 60_000 }));
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
    const lockPath = join(dir.path, 'acme.json.lock');
    await writeFile(lockPath, JSON.stringify({ pid: dead, host: hostname(), token: 'x', at: Date.now() }));
    await store.update('acme', increment);
    expect((await store.read('acme'))?.counter).toBe(1);

    // A live holder blocks the update; once it dies, its lock is broken and the update goes through.
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await writeFile(lockPath, JSON.stringify({ pid: holder.pid, host: hostname(), token: 'y', at: Date.now() }));
    let done = false;
    const pending = store.update('acme', increment).then(() => {
      done = true;
    });
    // Cannot flake: the holder is alive and its lock fresh (stale after 30 s), so a correct store cannot finish before
    // the holder dies. The 300 ms only give a wrong one (breaking a live lock) time to show itself.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(done).toBe(false);
    expect((await store.read('acme'))?.counter).toBe(1);
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    holder.kill('SIGKILL');
    await exited;
    await pending;
    expect((await store.read('acme'))?.counter).toBe(2);
  });

  it('breaks a lock this process leaked (its removal failed), without waiting for it to age', async () => {
    const store = track(fileStore({ dir: dir.path, logger: captureLogger(), lockTimeoutMs: 60_000 }));
    const lockPath = join(dir.path, 'acme.json.lock');
    await writeFile(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), token: 'leaked', at: Date.now() }));
    await store.update('acme', increment);
    expect((await store.read('acme'))?.counter).toBe(1);
  });
});

describe('fileStore with a damaged file', () => {
  it.each([
    ['corrupt', '{"version":2,"level":"all",,,}'],
    ['truncated', '{"version":2,"level":"all","userId":"0b7c'],
    ['empty', ''],
    ['not an object', '["all"]'],
  ])(
    'moves a %s file aside, answers "no settings" (fail closed) and logs one line naming the copy',
    async (_kind, text) => {
      const logger = captureLogger();
      const store = track(fileStore({ dir: dir.path, logger, pollIntervalMs: 50 }));
      const path = join(dir.path, 'acme.json');
      await writeFile(path, text);
      const seen: unknown[] = [];
      store.subscribe('acme', (document) => seen.push(document));

      expect(await store.read('acme')).toBeUndefined();
      const files = await readdir(dir.path);
      const copy = files.find((name) => name.startsWith('acme.json.corrupt-'));
      expect(copy).toBeDefined();
      expect(files).not.toContain('acme.json');
      expect(await readFile(join(dir.path, copy as string), 'utf8')).toBe(text);

      expect(logger.lines).toHaveLength(1);
      expect(logger.lines[0]?.level).toBe('error');
      expect(logger.lines[0]?.message).toContain(join(dir.path, copy as string));
      expect(logger.lines[0]?.message).toContain("unset ('manual'");

      // Usable again afterwards, without further log lines.
      await store.update('acme', () => ({ level: 'errors' }));
      expect(await store.read('acme')).toEqual({ level: 'errors' });
      await waitFor('the subscriber to see the new document', () => seen.some((d) => (d as StoredDocument)?.level));
      expect(logger.lines).toHaveLength(1);
    },
  );

  it('also moves a file aside that became corrupt under an update, then applies the update to nothing', async () => {
    const logger = captureLogger();
    const store = track(fileStore({ dir: dir.path, logger }));
    await store.update('acme', () => ({ counter: 41 }));
    await writeFile(join(dir.path, 'acme.json'), '{"counter": 4');
    expect(await store.update('acme', increment)).toEqual({ counter: 1 });
    expect(logger.at('error')).toHaveLength(1);
  });
});

describe('fileStore when the folder cannot be written', () => {
  it.each([
    ['a full disk', 'ENOSPC'],
    ['a read-only folder', 'EACCES'],
    ['a read-only file system', 'EROFS'],
  ])('on %s it keeps working in memory, logs one line, and saves once writing works again', async (_what, code) => {
    const logger = captureLogger();
    const fs = faultyFileSystem();
    const store = track(fileStore({ dir: dir.path, logger, fs, retryDelayMs: 50, maxRetryDelayMs: 100 }));
    const seen: unknown[] = [];
    store.subscribe('acme', (document) => seen.push(document?.counter));
    await store.update('acme', () => ({ counter: 10 }));

    fs.failWith = code;
    for (let i = 0; i < 5; i++) expect((await store.update('acme', increment)).counter).toBe(11 + i);
    expect((await store.read('acme'))?.counter).toBe(15);
    expect(seen).toContain(15);
    // The file still has the last state that was written; no temp files are left.
    expect(JSON.parse(await readFile(join(dir.path, 'acme.json'), 'utf8')).counter).toBe(10);
    expect((await readdir(dir.path)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    // Retries keep failing quietly.
    const failuresBefore = fs.failures;
    await waitFor('a few retries', () => fs.failures >= failuresBefore + 2);
    expect(logger.at('warn', 'error')).toHaveLength(1);
    expect(logger.at('warn')[0]).toContain(code);
    expect(logger.at('warn')[0]).toContain(join(dir.path, 'acme.json'));

    // Claims fall back to once per process while files cannot be created.
    expect(await store.claim('acme', 'master:v1')).toBe(true);
    expect(await store.claim('acme', 'master:v1')).toBe(false);

    fs.failWith = undefined;
    await waitFor('the recovery line', () => logger.at('info').some((line) => line.includes('writable again')));
    expect(JSON.parse(await readFile(join(dir.path, 'acme.json'), 'utf8')).counter).toBe(15);
    expect(logger.at('info').filter((line) => line.includes('writable again'))).toHaveLength(1);
    expect((await store.update('acme', increment)).counter).toBe(16);
    expect(JSON.parse(await readFile(join(dir.path, 'acme.json'), 'utf8')).counter).toBe(16);
    // The outage line, plus one for claims where files cannot even be created (a full disk still creates empty files).
    expect(logger.at('warn', 'error')).toHaveLength(code === 'ENOSPC' ? 1 : 2);
  });

  it('replays the changes made in memory on top of what another process wrote meanwhile', async () => {
    const fs = faultyFileSystem();
    const broken = track(fileStore({ dir: dir.path, logger: captureLogger(), fs, retryDelayMs: 50 }));
    const healthy = track(fileStore({ dir: dir.path, logger: captureLogger() }));
    await healthy.update('acme', () => ({ counter: 0 }));
    await broken.read('acme');
    fs.failWith = 'ENOSPC';
    await broken.update('acme', increment);
    await broken.update('acme', increment);
    await healthy.update('acme', (current) => ({ ...increment(current), other: true }));
    fs.failWith = undefined;
    await waitFor('the replay', async () => {
      const document = JSON.parse(await readFile(join(dir.path, 'acme.json'), 'utf8'));
      return document.counter === 3 && document.other === true;
    });
  });

  it('starts in memory when the folder cannot even be created', async () => {
    const logger = captureLogger();
    const fs = faultyFileSystem();
    fs.failWith = 'EACCES';
    const mkdir = fs.mkdir;
    fs.mkdir = (async (...args: Parameters<typeof mkdir>) => {
      if (fs.failWith) throw Object.assign(new Error('EACCES: permission denied, mkdir'), { code: 'EACCES' });
      return mkdir(...args);
    }) as typeof mkdir;
    const store = track(fileStore({ dir: join(dir.path, 'nested', 'consentry'), logger, fs, retryDelayMs: 10_000 }));
    expect(await store.update('acme', () => ({ level: 'manual' }))).toEqual({ level: 'manual' });
    expect(await store.read('acme')).toEqual({ level: 'manual' });
    expect(logger.at('warn')).toHaveLength(1);
  });
});
