import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const root = join(import.meta.dirname, '..', '..');
// What `consentry/instrumentation` resolves to for `--import` too (see package.json).
export const preload = pathToFileURL(join(root, 'dist', 'cjs', 'instrumentation', 'index.js')).href;
export const library = pathToFileURL(join(root, 'dist', 'esm', 'src', 'index.js')).href;
export const requireFromRoot = `createRequire(${JSON.stringify(join(root, 'package.json'))})`;

/** Child-process tests run the built library and preload; `npm test` builds first. */
export function assertBuilt(): void {
  if (!existsSync(join(root, 'dist', 'esm', 'instrumentation', 'process-mode.js'))) {
    throw new Error('dist/ has no instrumentation build: run `npm run build` first (npm test does it for you)');
  }
}

/** A fresh working directory for a bot (its .consentry store and outbox live there). */
export function botDir(): string {
  return mkdtempSync(join(tmpdir(), 'consentry-bot-'));
}

export function writeBot(dir: string, name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node [--import preload] script` in `cwd` with exactly `env` (plus PATH), to its end. */
export function runBot(script: string, options: { cwd: string; env: Record<string, string>; preload?: boolean }) {
  const args = options.preload ? ['--import', preload, script] : [script];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise<Exit>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function outboxFiles(dir: string, suite: string): string[] {
  const outbox = join(dir, '.consentry', 'outbox', suite);
  return existsSync(outbox) ? readdirSync(outbox).filter((name) => name.endsWith('.json')) : [];
}
