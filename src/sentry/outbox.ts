import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Event } from '@sentry/core';

/** Crash reports waiting for the next start, at most this many (a crash loop must not fill the disk). */
export const OUTBOX_MAX_FILES = 20;
/** Older ones are deleted unsent. */
export const OUTBOX_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const FILE = /^\d{13}-[0-9a-f]{8}\.json$/;

/**
 * Writes one crash event (already scrubbed and allow-listed) to `dir`, synchronously: it runs in
 * `uncaughtExceptionMonitor`, right before the process dies. Written to a temporary name and renamed, so a reader
 * never sees half a file. Returns the path, or undefined when the outbox is full or the disk refused. Never throws.
 */
export function writeOutboxSync(dir: string, event: Event, now = Date.now()): string | undefined {
  try {
    mkdirSync(dir, { recursive: true });
    if (outboxFiles(dir).length >= OUTBOX_MAX_FILES) return undefined;
    const name = `${now}-${randomBytes(4).toString('hex')}.json`;
    const path = join(dir, name);
    const temporary = `${path}.tmp`;
    writeFileSync(temporary, JSON.stringify(event), { mode: 0o600 });
    renameSync(temporary, path);
    return path;
  } catch {
    return undefined;
  }
}

export interface OutboxEntry {
  path: string;
  event: Event;
}

/** The waiting crash events, oldest first. Unreadable and expired files are deleted. Never throws. */
export function readOutbox(dir: string, now = Date.now()): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  for (const name of outboxFiles(dir)) {
    const path = join(dir, name);
    try {
      if (now - Number(name.slice(0, 13)) > OUTBOX_TTL_MS) throw new Error('expired');
      const event = JSON.parse(readFileSync(path, 'utf8')) as Event;
      if (typeof event !== 'object' || event === null || typeof event.event_id !== 'string') throw new Error('bad');
      entries.push({ path, event });
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
