import type { HostLogger, onceLogger } from '../log/index.js';
import type { Store, StoredDocument } from '../store/index.js';
import type { readEnvironment } from './environment.js';
import type { Identity } from './identity.js';
import type { ConsentLevel } from './levels.js';
import { migrateSettings, NewerSettingsError } from './migrations.js';
import { type PrecedenceInputs, resolveStatus } from './precedence.js';
import { revisionOf, withNextRevision } from './revision.js';
import { type ConsentSettings, hasIdentity, normalizeSettings } from './settings.js';
import type { ConsentStatus } from './status.js';

export type ConsentListener = (status: ConsentStatus) => void;

/** One suite's consent as this process knows it: the stored settings mirrored from the store, and who listens. */
export interface ConsentState {
  readonly suite: string;
  readonly store: Store;
  readonly policyVersion: number;
  readonly environment: ReturnType<typeof readEnvironment>;
  readonly codeLevel: ConsentLevel | undefined;
  readonly logger: HostLogger;
  readonly once: ReturnType<typeof onceLogger>;
  readonly listeners: Set<ConsentListener>;
  settings: ConsentSettings | undefined;
  /** Why the settings cannot be used (unreachable store, settings newer than this version). */
  settingsProblem: string | undefined;
  /** The identity known so far, kept if a document loses it. */
  identity: Identity | undefined;
  /** The revision of `settings`: a document older than it is never adopted again. */
  revision: number;
  /** The last status subscribers were told, as a key. */
  lastEmitted: string;
  repairing: Promise<void> | undefined;
  /** A repair was asked for while one ran: it runs again after it. */
  repairAgain: boolean;
  closed: boolean;
}

export function precedenceInputs(state: ConsentState): PrecedenceInputs {
  const { environment, codeLevel, settings, policyVersion, settingsProblem } = state;
  return { environment, codeLevel, settings, policyVersion, settingsProblem };
}

export function currentStatus(state: ConsentState): ConsentStatus {
  return resolveStatus(precedenceInputs(state));
}

/** Migrates and completes a stored document; keeps the known identity if the document lost it. */
export function prepare(state: ConsentState, document: StoredDocument | undefined): ConsentSettings {
  return normalizeSettings(document === undefined ? undefined : migrateSettings(document), state.identity);
}

export function emitIfChanged(state: ConsentState): void {
  const status = currentStatus(state);
  // What subscribers act on; the owner's stored choice changing under an env or code lock is not a change.
  const key = JSON.stringify([status.level, status.source, status.reason, status.policyVersion, status.userId]);
  if (key === state.lastEmitted) return;
  state.lastEmitted = key;
  for (const listener of [...state.listeners]) {
    try {
      listener(status);
    } catch (error) {
      state.once.report(
        'listener',
        'warn',
        `consentry: ${state.suite}: a consent subscriber threw (${(error as Error)?.message ?? String(error)}); the others were still told`,
      );
    }
  }
}

/** Atomic read-modify-write of the settings, stamped with the next revision. */
export function write(
  state: ConsentState,
  fn: (stored: StoredDocument | undefined) => StoredDocument,
): Promise<StoredDocument> {
  return state.store.update(state.suite, (stored) => withNextRevision(stored, fn(stored), state.revision));
}

/**
 * Takes a document the store answered with or announced, unless it is older than the one in force: a read or an
 * update that started before a newer write can settle after it, and must not bring back what that write replaced
 * (after forget(), the old user id). A document without an identity (none stored yet, removed, unreadable, or a
 * read that started before the first write) gives none: the repair stores one, and the stored one is adopted.
 */
export function adopt(state: ConsentState, document: StoredDocument | undefined): void {
  try {
    const migrated = document === undefined ? undefined : migrateSettings(document);
    if (!hasIdentity(migrated)) {
      repair(state);
      return;
    }
    if (state.settings !== undefined && revisionOf(document) < state.revision) return;
    const settings = normalizeSettings(migrated, state.identity);
    state.settings = settings;
    state.revision = revisionOf(document);
    state.identity = { userId: settings.userId, salt: settings.salt };
    state.settingsProblem = undefined;
    if (document?.version !== settings.version) repair(state);
  } catch (error) {
    state.settings = undefined;
    state.settingsProblem = error instanceof NewerSettingsError ? error.message : String(error);
    if (error instanceof NewerSettingsError) {
      state.once.report('newer', 'error', `consentry: ${state.suite}: ${error.message}`);
    }
  }
  emitIfChanged(state);
}

/** Writes the migrated or (re)created document, so every process agrees on one identity. */
function repair(state: ConsentState): void {
  if (state.closed) return;
  if (state.repairing) {
    // The one under way may have read the store before what asked for this one: look again after it.
    state.repairAgain = true;
    return;
  }
  state.repairing = write(state, (document) => prepare(state, document))
    .then(
      (document) => adopt(state, document),
      () => {},
    )
    .finally(() => {
      state.repairing = undefined;
      if (state.repairAgain) {
        state.repairAgain = false;
        repair(state);
      }
    });
}

/** The first answer of the store: creates or migrates the settings, else reads them, else stays unknown. */
export async function loadSettings(state: ConsentState): Promise<void> {
  const { store, suite } = state;
  try {
    adopt(state, await write(state, (document) => prepare(state, document)));
    return;
  } catch (error) {
    if (error instanceof NewerSettingsError) {
      adopt(state, await store.read(suite).catch(() => undefined));
      return;
    }
    state.settingsProblem = `${store.describe(suite)}: ${(error as Error)?.message ?? String(error)}`;
  }
  try {
    const document = await store.read(suite);
    adopt(state, document);
  } catch {
    emitIfChanged(state);
  }
}
