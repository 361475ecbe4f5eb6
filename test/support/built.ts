// Child-process tests run the built package in dist/. A dist/ older than the source it was built from would test
// yesterday's code and pass, so before they run: dist/ is rebuilt when any source file is newer than it, and a test
// fails with the reason when it still is not fresh.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');
const dist = join(root, 'dist');
/** What the build reads: a change to any of these makes dist/ stale. */
const inputs = ['src', 'instrumentation', 'tsconfig.json', 'tsconfig.cjs.json', join('scripts', 'build.mjs')];
/** Files every child-process test needs (the ESM library, the CJS preload). */
const outputs = [join('esm', 'src', 'index.js'), join('cjs', 'instrumentation', 'index.js')];

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Why dist/ cannot be used as it is, or undefined when it is complete and newer than every input. */
export function staleness(): string | undefined {
  const missing = outputs.find((output) => !existsSync(join(dist, output)));
  if (missing) return `dist/${missing} is missing`;
  // The build empties dist/ first, so its oldest file dates the build.
  const built = Math.min(...files(dist).map((file) => statSync(file).mtimeMs));
  let newest = { file: '', mtime: -Infinity };
  for (const input of inputs) {
    for (const file of files(join(root, input))) {
      const mtime = statSync(file).mtimeMs;
      if (mtime > newest.mtime) newest = { file, mtime };
    }
  }
  if (newest.mtime > built) return `${relative(root, newest.file)} is newer than dist/`;
  return undefined;
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Runs `fn` while holding a lock shared by every test worker of this checkout, so only one builds at a time. */
function locked(fn: () => void): void {
  const lock = join(tmpdir(), `consentry-build-${createHash('sha256').update(root).digest('hex').slice(0, 12)}.lock`);
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than the longest build is left over from a killed run.
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (waited > 300_000 || Date.now() - since > 300_000) rmSync(lock, { recursive: true, force: true });
      sleep(100);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Makes sure dist/ is built from the current source: builds it (`npm run build`) when it is missing or older than
 * a source file, unless CONSENTRY_TEST_NO_BUILD is set; throws with the reason when it is still not fresh.
 */
export function assertBuilt(): void {
  if (staleness() === undefined) return;
  if (!process.env.CONSENTRY_TEST_NO_BUILD) {
    locked(() => {
      const reason = staleness();
      if (reason === undefined) return;
      console.warn(`consentry tests: ${reason}; building it (npm run build)`);
      execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
    });
  }
  const reason = staleness();
  if (reason !== undefined) {
    throw new Error(`the child-process tests run dist/, but ${reason}: run \`npm run build\` (npm test does it)`);
  }
}
