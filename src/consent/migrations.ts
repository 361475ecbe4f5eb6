import type { StoredDocument } from '../store/index.js';
import { newIdentity } from './identity.js';
import { SETTINGS_VERSION } from './settings.js';

export interface Migration {
  from: number;
  to: number;
  describe: string;
  migrate(document: StoredDocument): StoredDocument;
}

/**
 * Every stored format, in order. To change the format: bump SETTINGS_VERSION, append a step here, and test it with a
 * document written in the old format. Never edit a step that has shipped.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    from: 1,
    to: 2,
    describe:
      'v1 kept one on/off switch like the Red-DiscordBot cog consentry follows (`enabled`: true = errors and performance, false = off, null = ' +
      'not asked), `uuid`, `masterMessageSent` and `notifiedModules`; v2 has four levels, a salt, who decided and ' +
      'under which policy.',
    migrate(v1) {
      const enabled = v1.enabled === true ? true : v1.enabled === false ? false : null;
      const { enabled: _enabled, uuid, masterMessageSent, notifiedModules, ...rest } = v1;
      return {
        ...rest,
        version: 2,
        level: enabled === null ? null : enabled ? 'all' : 'off',
        policyVersion: enabled === null ? null : 1,
        decidedAt: typeof v1.decidedAt === 'string' ? v1.decidedAt : null,
        decidedBy: enabled === null ? null : 'settings v1',
        userId: uuid,
        salt: newIdentity().salt,
        masterNoticeSent: masterMessageSent === true,
        modulesNotified: Array.isArray(notifiedModules) ? notifiedModules : [],
        showManualHint: true,
        extensions: {},
      };
    },
  },
];

/** The settings were written by a newer consentry; this one must neither interpret nor overwrite them. */
export class NewerSettingsError extends Error {
  override readonly name = 'NewerSettingsError';
  readonly storedVersion: number;

  constructor(storedVersion: number) {
    super(
      `consentry: the stored settings have format version ${storedVersion}, newer than this consentry understands ` +
        `(${SETTINGS_VERSION}); they are treated as unset and left untouched. Fix: upgrade consentry in this bot.`,
    );
    this.storedVersion = storedVersion;
  }
}

/** Brings a stored document to SETTINGS_VERSION. A document without a usable version is read as version 1. */
export function migrateSettings(
  document: StoredDocument,
  migrations: readonly Migration[] = MIGRATIONS,
): StoredDocument {
  const stored = document.version;
  let version = Number.isSafeInteger(stored) && (stored as number) >= 1 ? (stored as number) : 1;
  if (version > SETTINGS_VERSION) throw new NewerSettingsError(version);
  let current = document;
  while (version < SETTINGS_VERSION) {
    const step = migrations.find((migration) => migration.from === version);
    if (!step) throw new Error(`consentry: no migration from settings version ${version} (a bug in consentry)`);
    current = step.migrate(current);
    version = step.to;
  }
  return current;
}
