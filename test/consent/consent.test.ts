import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ConsentController,
  type ConsentStatus,
  createConsent,
  MIGRATIONS,
  migrateSettings,
  SETTINGS_VERSION,
} from '../../src/consent/index.js';
import { fileStore, type Store } from '../../src/store/index.js';
import { captureLogger } from '../support/logger.js';
import { tempDir, waitFor } from '../support/wait.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SALT = /^[0-9a-f]{64}$/;

let dir: Awaited<ReturnType<typeof tempDir>>;
const opened: Array<{ consent: ConsentController; store: Store }> = [];

function open(options: { env?: Record<string, string>; policyVersion?: number; pollIntervalMs?: number } = {}) {
  const logger = captureLogger();
  const store = fileStore({ dir: dir.path, logger, pollIntervalMs: options.pollIntervalMs ?? 50 });
  const consent = createConsent({
    suite: 'acme',
    store,
    env: options.env ?? {},
    policyVersion: options.policyVersion ?? 1,
    logger,
  });
  opened.push({ consent, store });
  return { consent, store, logger };
}

const readStored = async () => JSON.parse(await readFile(join(dir.path, 'acme.json'), 'utf8'));

beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  for (const { consent, store } of opened.splice(0)) {
    await consent.close();
    await store.close();
  }
  await dir.remove();
});

describe('consent with the file store', () => {
  it('creates the user id and salt once per suite and keeps them across restarts and processes', async () => {
    const first = open();
    const status = await first.consent.status();
    expect(status).toMatchObject({ level: 'manual', source: 'default', ownerLevel: null, locked: false });
    expect(status.userId).toMatch(UUID);
    const stored = await readStored();
    expect(stored).toMatchObject({
      version: SETTINGS_VERSION,
      level: null,
      userId: status.userId,
      masterNoticeSent: false,
      modulesNotified: [],
      showManualHint: true,
      extensions: {},
    });
    expect(stored.salt).toMatch(SALT);

    const second = open();
    expect((await second.consent.status()).userId).toBe(status.userId);
    expect((await readStored()).salt).toBe(stored.salt);
  });

  it('records who set the level and when, and reports it', async () => {
    const { consent } = open({ policyVersion: 3 });
    const before = Date.now();
    const status = await consent.set('errors', { by: 'owner:1234' });
    expect(status).toMatchObject({
      level: 'errors',
      source: 'owner',
      ownerLevel: 'errors',
      decidedBy: 'owner:1234',
      decidedPolicyVersion: 3,
      policyVersion: 3,
    });
    expect(Date.parse(status.decidedAt as string)).toBeGreaterThanOrEqual(before - 1000);
    expect(status.reason).toContain("The owner chose 'errors' (by owner:1234 on ");
    expect(await readStored()).toMatchObject({ level: 'errors', decidedBy: 'owner:1234', policyVersion: 3 });
  });

  it('rejects an unknown level naming the allowed values, and a bad `by`', async () => {
    const { consent } = open();
    await expect(consent.set('verbose' as never)).rejects.toThrow(/'off', 'manual', 'errors', 'all'; got "verbose"/);
    await expect(consent.set('all', { by: '' })).rejects.toThrow(/`by` must be a short non-empty string/);
    expect((await consent.status()).source).toBe('default');
  });

  it('refuses to change a locked level and leaves the stored choice alone', async () => {
    await open().consent.set('manual', { by: 'owner' });
    const { consent } = open({ env: { CONSENTRY_LEVEL: 'off' } });
    await expect(consent.set('all', { by: 'owner' })).rejects.toThrow(
      /cannot set the level to 'all': the environment variable CONSENTRY_LEVEL=off decides the level\. Remove CONSENTRY_LEVEL/,
    );
    expect((await readStored()).level).toBe('manual');
    const status = await consent.status();
    expect(status).toMatchObject({ level: 'off', source: 'CONSENTRY_LEVEL', ownerLevel: 'manual', locked: true });
  });

  it('forget() rotates the user id and the salt and keeps the level', async () => {
    const { consent } = open();
    const before = await consent.set('all', { by: 'owner' });
    const saltBefore = (await readStored()).salt;
    const after = await consent.forget();
    expect(after.userId).toMatch(UUID);
    expect(after.userId).not.toBe(before.userId);
    expect((await readStored()).salt).toMatch(SALT);
    expect((await readStored()).salt).not.toBe(saltBefore);
    expect(after).toMatchObject({ level: 'all', source: 'owner' });
  });

  it('tells subscribers about each effective change, in this process and from another instance', async () => {
    const a = open();
    const b = open();
    await Promise.all([a.consent.status(), b.consent.status()]);
    const seenByA: ConsentStatus[] = [];
    const seenByB: ConsentStatus[] = [];
    a.consent.subscribe((status) => seenByA.push(status));
    b.consent.subscribe(() => {
      throw new Error('a broken subscriber');
    });
    const unsubscribe = b.consent.subscribe((status) => seenByB.push(status));

    await a.consent.set('errors', { by: 'owner' });
    expect(seenByA.map((status) => status.level)).toEqual(['errors']);
    await waitFor('b to see the change made through a', () => seenByB.some((status) => status.level === 'errors'));
    expect(seenByB.at(-1)).toMatchObject({ level: 'errors', source: 'owner', decidedBy: 'owner' });
    expect(b.logger.at('warn').filter((line) => line.includes('a broken subscriber'))).toHaveLength(1);

    unsubscribe();
    await b.consent.set('off', { by: 'owner' });
    await waitFor('a to see the change made through b', () => seenByA.at(-1)?.level === 'off');
    expect(seenByB.at(-1)?.level).toBe('errors');
  });

  it('does not notify when the stored choice changes under a lock (no effective change)', async () => {
    const free = open();
    const locked = open({ env: { DO_NOT_TRACK: '1' } });
    await Promise.all([free.consent.status(), locked.consent.status()]);
    const seen: ConsentStatus[] = [];
    locked.consent.subscribe((status) => seen.push(status));
    await free.consent.set('all', { by: 'owner' });
    await waitFor(
      'the locked instance to read the new choice',
      async () => locked.consent.current().ownerLevel === 'all',
    );
    expect(seen).toEqual([]);
    expect(locked.consent.current()).toMatchObject({ level: 'off', source: 'DO_NOT_TRACK' });
  });

  it('falls back to unset (fail closed) when the file is corrupted while running, keeping the user id', async () => {
    const { consent, logger } = open();
    const { userId } = await consent.set('all', { by: 'owner' });
    const seen: ConsentStatus[] = [];
    consent.subscribe((status) => seen.push(status));
    await writeFile(join(dir.path, 'acme.json'), '{"version":2,"level":"all","us');
    await waitFor('the fallback', () => seen.some((status) => status.level === 'manual'));
    expect(consent.current()).toMatchObject({ level: 'manual', source: 'default', ownerLevel: null, userId });
    expect(logger.at('error')).toHaveLength(1);
    const copy = (await readdir(dir.path)).find((name) => name.includes('.corrupt-'));
    expect(logger.at('error')[0]).toContain(join(dir.path, copy as string));
    // A fresh, valid document replaces the corrupt one, with the same identity.
    await waitFor('the repaired file', async () => (await readStored()).userId === userId);
    expect((await readStored()).level).toBeNull();
  });
});

describe('settings migrations', () => {
  const v1 = (enabled: boolean | null) => ({
    version: 1,
    enabled,
    uuid: '0b7c8f5e-3a1d-4c2b-9e8f-1a2b3c4d5e6f',
    masterMessageSent: true,
    notifiedModules: ['status', 'tickets'],
    somethingElse: 'kept',
  });

  it('keeps an explicit list that reaches the current version', () => {
    let version = 1;
    for (const step of MIGRATIONS) {
      expect(step.from).toBe(version);
      version = step.to;
    }
    expect(version).toBe(SETTINGS_VERSION);
  });

  it.each([
    [true, 'all'],
    [false, 'off'],
    [null, null],
  ] as const)(
    'migrates a v1 file with enabled=%j to level %j on first start, and writes v2',
    async (enabled, level) => {
      await writeFile(join(dir.path, 'acme.json'), JSON.stringify(v1(enabled)));
      const { consent } = open();
      const status = await consent.status();
      expect(status.userId).toBe('0b7c8f5e-3a1d-4c2b-9e8f-1a2b3c4d5e6f');
      expect(status.ownerLevel).toBe(level);
      expect(status.source).toBe(level ? 'owner' : 'default');
      const stored = await readStored();
      expect(stored).toMatchObject({
        version: 2,
        level,
        userId: '0b7c8f5e-3a1d-4c2b-9e8f-1a2b3c4d5e6f',
        masterNoticeSent: true,
        modulesNotified: ['status', 'tickets'],
        somethingElse: 'kept',
      });
      expect(stored.salt).toMatch(SALT);
      expect(stored).not.toHaveProperty('enabled');
      expect(stored).not.toHaveProperty('uuid');
    },
  );

  it('reads a document without a usable version as v1, and leaves a current one as it is', () => {
    expect(migrateSettings({ enabled: true, uuid: 'u' })).toMatchObject({ version: 2, level: 'all', userId: 'u' });
    expect(migrateSettings({ version: 'x', enabled: false })).toMatchObject({ version: 2, level: 'off' });
    const current = { version: 2, level: 'errors', userId: 'u' };
    expect(migrateSettings(current)).toBe(current);
  });

  it('treats settings from a newer consentry as unset, says so, and never overwrites them', async () => {
    const newer = JSON.stringify({ version: SETTINGS_VERSION + 1, level: 'all', futureField: { a: 1 } });
    await writeFile(join(dir.path, 'acme.json'), newer);
    const { consent, logger } = open();
    const status = await consent.status();
    expect(status).toMatchObject({ level: 'manual', source: 'default', userId: null });
    expect(status.reason).toMatch(/newer than this consentry understands.*upgrade consentry/);
    await expect(consent.set('off', { by: 'owner' })).rejects.toThrow(/format version 3/);
    expect(await readFile(join(dir.path, 'acme.json'), 'utf8')).toBe(newer);
    expect(logger.at('error')).toHaveLength(1);
  });
});
