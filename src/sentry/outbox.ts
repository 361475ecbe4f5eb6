import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Event } from '@sentry/core';

/** Crash reports waiting for the next start, at most this many (a crash loop must not fill the disk). */
export const OUTBOX_MAX_FILES = 20;
/** Older ones are deleted unsent. */
export const OUTBOX_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const FILE = /^\d{13}-[0-9a-f]{8}\.json$/;

/** The consent level in force when a crash happened, recorded with it. Only these may ever be sent. */
export type OutboxLevel = 'errors' | 'all';

/** What one outbox file holds. */
interface OutboxFile {
  /** The level in force when it was written. */
  level: OutboxLevel;
  event: Event;
}

/**
 * Writes one crash event (already scrubbed and allow-listed) to `dir`, synchronously: it runs in
 * `uncaughtExceptionMonitor`, right before the process dies. Written to a temporary name and renamed, so a reader
 * never sees half a file. `level` is the consent level in force at the crash: a crash is written only when that
 * level is known to allow sending it. Returns the path, or undefined when the outbox is full or the disk refused.
 * Never throws.
 */
export function writeOutboxSync(dir: string, event: Event, level: OutboxLevel, now = Date.now()): string | undefined {
  try {
    if (level !== 'errors' && level !== 'all') return undefined;
    mkdirSync(dir, { recursive: true });
    if (outboxFiles(dir).length >= OUTBOX_MAX_FILES) return undefined;
    const name = `${now}-${randomBytes(4).toString('hex')}.json`;
    const path = join(dir, name);
    const temporary = `${path}.tmp`;
    const file: OutboxFile = { level, event };
    writeFileSync(temporary, JSON.stringify(file), { mode: 0o600 });
    renameSync(temporary, path);
    return path;
  } catch {
    return undefined;
  }
}

export interface OutboxEntry {
  path: string;
  /** The level in force when the crash happened. */
  level: OutboxLevel;
  event: Event;
}

/**
 * The waiting crash events, oldest first. Unreadable and expired files are deleted, and so is a file that does not
 * record a level allowing it to be sent (written by an earlier version, before the level was known): what happened
 * at `off` or `manual`, or at an unknown level, is never sent. Never throws.
 */
export function readOutbox(dir: string, now = Date.now()): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  for (const name of outboxFiles(dir)) {
    const path = join(dir, name);
    try {
      if (now - Number(name.slice(0, 13)) > OUTBOX_TTL_MS) throw new Error('expired');
      const file = JSON.parse(readFileSync(path, 'utf8')) as Partial<OutboxFile> | null;
      const event = file?.event;
      if (typeof event !== 'object' || event === null || typeof event.event_id !== 'string') throw new Error('bad');
      if (file?.level !== 'errors' && file?.level !== 'all') throw new Error('not sendable');
      entries.push({ path, level: file.level, event });
    } catch {
      removeOutboxEntry(path);
    }
  }
  return entries;
}

/** Deletes one entry. Never throws. */
export function removeOutboxEntry(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Left for the next start; expired entries are deleted then.
  }
}

/** Deletes every waiting crash event (consent is `off`). Never throws. */
export function clearOutbox(dir: string): number {
  const names = outboxFiles(dir);
  for (const name of names) removeOutboxEntry(join(dir, name));
  return names.length;
}

function outboxFiles(dir: string): string[] {
  try {
    if (!statSync(dir).isDirectory()) return [];
    return readdirSync(dir)
      .filter((name) => FILE.test(name))
      .sort();
  } catch {
    return [];
  }
}
