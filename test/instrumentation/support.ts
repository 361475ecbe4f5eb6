import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { root } from '../support/built.js';
import { type Exit, runNode } from '../support/child.js';

export { assertBuilt, root } from '../support/built.js';
// What `consentry/instrumentation` resolves to for `--import` too (see package.json).
export const preload = pathToFileURL(join(root, 'dist', 'cjs', 'instrumentation', 'index.js')).href;
export const library = pathToFileURL(join(root, 'dist', 'esm', 'src', 'index.js')).href;
export const requireFromRoot = `createRequire(${JSON.stringify(join(root, 'package.json'))})`;

/** A fresh working directory for a bot (its .consentry store and outbox live there). */
export function botDir(): string {
  return mkdtempSync(join(tmpdir(), 'consentry-bot-'));
}

export function writeBot(dir: string, name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

/** Runs `node [--import preload] script` in `cwd` with exactly `env` (plus PATH), to its end. */
export function runBot(
  script: string,
  options: { cwd: string; env: Record<string, string>; preload?: boolean },
): Promise<Exit> {
  const args = options.preload ? ['--import', preload, script] : [script];
  return runNode(args, { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', ...options.env } });
}

/** The crash reports waiting in a bot's outbox, sorted by name (readdir's order is the file system's). */
export function outboxFiles(dir: string, suite: string): string[] {
  const outbox = join(dir, '.consentry', 'outbox', suite);
  return existsSync(outbox)
    ? readdirSync(outbox)
        .filter((name) => name.endsWith('.json'))
        .sort()
    : [];
}
