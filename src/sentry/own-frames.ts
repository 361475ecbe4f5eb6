import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Event, StackFrame, StackParser } from '@sentry/core';
import { stackParser as defaultStackParser } from './stack-parser.js';

/**
 * True when `error` comes from the module whose folder is `root`: walking its stack from the throwing frame
 * down, the first frame that is application code (not Node's internals, not a package in `node_modules`)
 * lies under `root`. Frames of dependencies are skipped, so an error thrown inside discord.js on behalf of
 * the module is the module's; one thrown on behalf of the host bot or another plugin is not. The module's
 * own `node_modules` counts as dependencies, and a module installed as a package (under the host's
 * `node_modules`) works the same, since `root` is compared as a path.
 *
 * Errors captured through a module's API are its own by definition; this is for automatic paths.
 */
export function isOwnError(error: unknown, root: string, stackParser: StackParser = defaultStackParser): boolean {
  const stack = readStack(error);
  if (stack === undefined) return false;
  const rootPath = toPath(root);
  if (rootPath === undefined) return false;
  let frames: StackFrame[];
  try {
    frames = stackParser(stack);
  } catch {
    return false;
  }
  // Sentry's parser lists the oldest call first.
  for (let i = frames.length - 1; i >= 0; i--) {
    const file = toPath(frames[i]?.filename);
    if (file === undefined) continue; // node:internal, native, eval
    if (isInside(file, rootPath)) return true;
    if (isDependency(file)) continue;
    return false;
  }
  return false;
}

/**
 * Sets `in_app` on every frame of the event's exceptions (the `cause` chain included): true for a file under `root`
 * (outside its own `node_modules`), false for any other. Sentry's default counts every file outside `node_modules`
 * as the app's, which in a bot means the host's and other plugins' frames too; with the module's root, the author's
 * Sentry groups issues by and highlights the module's own frames.
 */
export function markOwnFrames(event: Event, root: string): void {
  const rootPath = toPath(root);
  if (rootPath === undefined) return;
  for (const exception of event.exception?.values ?? []) {
    for (const frame of exception.stacktrace?.frames ?? []) {
      const file = toPath(frame.filename);
      frame.in_app = file !== undefined && isInside(file, rootPath);
    }
  }
}

function readStack(error: unknown): string | undefined {
  try {
    const stack = (error as { stack?: unknown } | null)?.stack;
    return typeof stack === 'string' ? stack : undefined;
  } catch {
    return undefined;
  }
}

/** An absolute path for a frame's file name or a root; undefined for `node:…`, `<anonymous>`, native frames. */
function toPath(file: string | undefined): string | undefined {
  if (!file) return undefined;
  if (file.startsWith('file://')) {
    try {
      return resolve(fileURLToPath(file));
    } catch {
      return undefined;
    }
  }
  if (!isAbsolute(file)) return undefined;
  return resolve(file);
}

/** Under `root`, and not in the module's own `node_modules`. */
function isInside(file: string, root: string): boolean {
  const path = relative(caseFold(root), caseFold(file));
  if (path === '' || path.startsWith('..') || isAbsolute(path)) return false;
  return !`${sep}${path}`.includes(`${sep}node_modules${sep}`);
}

function isDependency(file: string): boolean {
  return file.includes(`${sep}node_modules${sep}`);
}

function caseFold(path: string): string {
  return process.platform === 'win32' || process.platform === 'darwin' ? path.toLowerCase() : path;
}
