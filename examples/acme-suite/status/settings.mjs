// The status module's settings file. Version 1 kept flat keys; version 2 groups what belongs to update checks.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export const SETTINGS_VERSION = 2;
const DEFAULTS = { version: SETTINGS_VERSION, updates: { enabled: true, announceChannelId: null } };

export function settingsFile(dataDir) {
  return join(dataDir, 'status', 'settings.json');
}

/** The stored settings as they are (any version), or the defaults when there are none yet. */
export async function readSettings(file) {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (error.code === 'ENOENT') return structuredClone(DEFAULTS);
    throw error;
  }
}

export async function writeSettings(file, settings) {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, `${JSON.stringify(settings, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

/** v1 `{ version: 1, checkUpdates, announceChannel }` → v2 `{ version: 2, updates: { enabled, announceChannelId } }`. */
export function toVersion2(v1) {
  return {
    version: 2,
    updates: { enabled: v1.checkUpdates !== false, announceChannelId: v1.announceChannel ?? null },
  };
}
