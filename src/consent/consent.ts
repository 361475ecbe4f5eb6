import { type HostLogger, onceLogger } from '../log/index.js';
import type { Store, StoredDocument } from '../store/index.js';
import { type Env, readEnvironment } from './environment.js';
import { type Identity, newIdentity } from './identity.js';
import { type ConsentLevel, isConsentLevel, levelProblem } from './levels.js';
import { migrateSettings, NewerSettingsError } from './migrations.js';
import { type PrecedenceInputs, refusalReason, resolveStatus } from './precedence.js';
import { revisionOf, withNextRevision } from './revision.js';
import { type ConsentSettings, hasIdentity, normalizeSettings } from './settings.js';
import type { ConsentStatus } from './status.js';

export interface ConsentOptions {
  suite: string;
  store: Store;
  /** Defaults to process.env; read once at creation. */
  env?: Env | undefined;
  /** The `level` option in code. */
  level?: ConsentLevel | undefined;
  policyVersion: number;
  logger: HostLogger;
}

export interface SetOptions {
  /** Who decided, recorded with the time, e.g. 'owner:<discord user>' or 'cli'. Defaults to 'code'. */
  by?: string | undefined;
}

export type ConsentListener = (status: ConsentStatus) => void;

/** `telemetry.consent`: the owner's decision for every module of the suite, on every shard. */
export interface Consent {
  /** The effective level and why; waits for the store's first answer. */
  status(): Promise<ConsentStatus>;
  /** Records the owner's choice (who and when). Rejects while an environment variable, the code or CI locks it. */
  set(level: ConsentLevel, options?: SetOptions): Promise<ConsentStatus>;
  /** Replaces the permanent user id and the local salt with new random ones; the level stays. */
  forget(): Promise<ConsentStatus>;
  /** Called with the new status after every effective change, wherever it came from. Returns unsubscribe. */
  subscribe(listener: ConsentListener): () => void;
}

/** What the rest of consentry uses: the public surface plus synchronous reads and settings updates. */
export interface ConsentController extends Consent {
  /** The last known status, without waiting (fails closed to 'manual' until the store has answered). */
  current(): ConsentStatus;
  /** The last known settings, `undefined` while unknown. */
  settings(): ConsentSettings | undefined;
  /**
   * The status in force at this very moment, for a crash handler that cannot wait: the known one, or, while the
   * settings were not read yet, read synchronously from a store that can (a damaged file counts as unset, as
   * everywhere). `undefined` when it cannot be known now.
   */
  statusNow(): ConsentStatus | undefined;
  /** Changes other fields of the settings (notices, extensions) atomically, across processes. */
  updateSettings(fn: (settings: ConsentSettings) => ConsentSettings): Promise<ConsentSettings>;
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export function createConsent(options: ConsentOptions): ConsentController {
  const { suite, store, policyVersion, logger } = options;
  const environment = readEnvironment(options.env ?? process.env);
  const codeLevel = options.level;
  const once = onceLogger(logger);
  const listeners = new Set<ConsentListener>();

  let settings: ConsentSettings | undefined;
  let settingsProblem: string | undefined;
  let identity: Identity | undefined;
  /** The revision of `settings`: a document older than it is never adopted again. */
  let revision = 0;
  let lastEmitted = '';
  let repairing: Promise<void> | undefined;
  let repairAgain = false;
  let closed = false;

  if (environment.levelVariable !== undefined && environment.level === undefined) {
    logger.warn(
      `consentry: ${suite}: the environment variable CONSENTRY_LEVEL=${environment.levelVariable} is not a level ` +
        '(off, manual, errors, all); telemetry stays off until it is fixed.',
    );
  }

  const inputs = (): PrecedenceInputs => ({ environment, codeLevel, settings, policyVersion, settingsProblem });
  const current = () => resolveStatus(inputs());

  /** Migrates and completes a stored document; keeps the known identity if the document lost it. */
  function prepare(document: StoredDocument | undefined): ConsentSettings {
    return normalizeSettings(document === undefined ? undefined : migrateSettings(document), identity);
  }

  function emitIfChanged(): void {
    const status = current();
    // What subscribers act on; the owner's stored choice changing under an env or code lock is not a change.
    const key = JSON.stringify([status.level, status.source, status.reason, status.policyVersion, status.userId]);
    if (key === lastEmitted) return;
    lastEmitted = key;
    for (const listener of [...listeners]) {
      try {
        listener(status);
      } catch (error) {
        once.report(
          'listener',
          'warn',
          `consentry: ${suite}: a consent subscriber threw (${(error as Error)?.message ?? String(error)}); the others were still told`,
        );
      }
    }
  }

  /** Atomic read-modify-write of the settings, stamped with the next revision. */
  function write(fn: (stored: StoredDocument | undefined) => StoredDocument): Promise<StoredDocument> {
    return store.update(suite, (stored) => withNextRevision(stored, fn(stored), revision));
  }

  /**
   * Takes a document the store answered with or announced, unless it is older than the one in force: a read or an
   * update that started before a newer write can settle after it, and must not bring back what that write replaced
   * (after forget(), the old user id). A document without an identity (none stored yet, removed, unreadable, or a
   * read that started before the first write) gives none: the repair stores one, and the stored one is adopted.
   */
  function adopt(document: StoredDocument | undefined): void {
    try {
      const migrated = document === undefined ? undefined : migrateSettings(document);
      if (!hasIdentity(migrated)) {
        repair();
        return;
      }
      if (settings !== undefined && revisionOf(document) < revision) return;
      settings = normalizeSettings(migrated, identity);
      revision = revisionOf(document);
      identity = { userId: settings.userId, salt: settings.salt };
      settingsProblem = undefined;
      if (document?.version !== settings.version) repair();
    } catch (error) {
      settings = undefined;
      settingsProblem = error instanceof NewerSettingsError ? error.message : String(error);
      if (error instanceof NewerSettingsError) once.report('newer', 'error', `consentry: ${suite}: ${error.message}`);
    }
    emitIfChanged();
  }

  /** Writes the migrated or (re)created document, so every process agrees on one identity. */
  function repair(): void {
    if (closed) return;
    if (repairing) {
      // The one under way may have read the store before what asked for this one: look again after it.
      repairAgain = true;
      return;
    }
    repairing = write(prepare)
      .then(adopt, () => {})
      .finally(() => {
        repairing = undefined;
        if (repairAgain) {
          repairAgain = false;
          repair();
        }
      });
  }

  const unsubscribeStore = store.subscribe(suite, (document) => {
    if (!closed) adopt(document);
  });

  async function init(): Promise<void> {
    try {
      adopt(await write(prepare));
      return;
    } catch (error) {
      if (error instanceof NewerSettingsError) {
        adopt(await store.read(suite).catch(() => undefined));
        return;
      }
      settingsProblem = `${store.describe(suite)}: ${(error as Error)?.message ?? String(error)}`;
    }
    try {
      const document = await store.read(suite);
      adopt(document);
    } catch {
      emitIfChanged();
    }
  }

  const ready = init();
  emitIfChanged();

  function assertUnlocked(action: string): void {
    const refusal = refusalReason(inputs());
    if (refusal) throw new Error(`consentry: ${suite}: cannot ${action}: ${refusal}.`);
  }

  return {
    ready,
    current,
    settings: () => (settings ? (JSON.parse(JSON.stringify(settings)) as ConsentSettings) : undefined),

    statusNow() {
      const status = current();
      if (settings !== undefined || status.source !== 'default' || settingsProblem !== undefined) return status;
      if (typeof store.readSync !== 'function') return undefined;
      let stored: ConsentSettings | undefined;
      try {
        const document = store.readSync(suite);
        const migrated = document === undefined ? undefined : migrateSettings(document);
        // Without a stored identity the settings are unset, and no user id is made up for them.
        stored = hasIdentity(migrated) ? normalizeSettings(migrated, identity) : undefined;
      } catch {
        stored = undefined; // damaged or newer than this version: the owner's choice cannot be read, so it is unset
      }
      return resolveStatus({ ...inputs(), settings: stored });
    },

    async status() {
      await ready;
      return current();
    },

    async set(level, setOptions = {}) {
      if (!isConsentLevel(level)) {
        throw new TypeError(`consentry: consent.set(level): level ${levelProblem(level)}.`);
      }
      const by = setOptions.by ?? 'code';
      if (typeof by !== 'string' || by.trim() === '' || by.length > 200) {
        throw new TypeError(
          `consentry: consent.set(level, { by }): \`by\` must be a short non-empty string saying who decided, e.g. 'owner:1234' or 'cli'; got ${JSON.stringify(by)}.`,
        );
      }
      await ready;
      assertUnlocked(`set the level to '${level}'`);
      const document = await write((stored) => ({
        ...prepare(stored),
        level,
        policyVersion,
        decidedAt: new Date().toISOString(),
        decidedBy: by,
      }));
      adopt(document);
      return current();
    },

    async forget() {
      await ready;
      const fresh = newIdentity();
      adopt(await write((stored) => ({ ...prepare(stored), ...fresh })));
      return current();
    },

    subscribe(listener) {
      if (typeof listener !== 'function') {
        throw new TypeError('consentry: consent.subscribe(listener): listener must be a function.');
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    async updateSettings(fn) {
      await ready;
      const document = await write((stored) => fn(prepare(stored)));
      adopt(document);
      return prepare(document);
    },

    async close() {
      closed = true;
      unsubscribeStore();
      listeners.clear();
      await repairing;
    },
  };
}
