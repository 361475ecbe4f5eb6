import type { StoredDocument } from '../store/index.js';
import { isPlainObject } from '../values/index.js';
import { type Identity, isValidSalt, isValidUserId, newIdentity } from './identity.js';
import { type ConsentLevel, isConsentLevel } from './levels.js';

export const SETTINGS_VERSION = 2;

/** A suite's stored settings (one document per suite, shared by every module and every shard). */
export interface ConsentSettings {
  version: typeof SETTINGS_VERSION;
  /** The owner's choice; `null` means unset, which behaves as `manual`. */
  level: ConsentLevel | null;
  /** The suite's policy version the owner's choice was made under. */
  policyVersion: number | null;
  decidedAt: string | null;
  decidedBy: string | null;
  userId: string;
  salt: string;
  masterNoticeSent: boolean;
  modulesNotified: string[];
  showManualHint: boolean;
  /** Raised by every write that changes the settings (see revision.ts); absent in documents written before it. */
  revision?: number | undefined;
  /** Room for later features (pending manual reports, notice state…), one key per feature. */
  extensions: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Fills in or repairs every field of a current-version document. Wrong values fall back to the safe default (an
 * unreadable level becomes unset); unknown keys are kept so a newer minor release's additions survive.
 */
export function normalizeSettings(document: StoredDocument | undefined, identity?: Identity): ConsentSettings {
  const source = document ?? {};
  const hasIdentity = isValidUserId(source.userId) && isValidSalt(source.salt);
  const chosen = hasIdentity
    ? { userId: source.userId as string, salt: source.salt as string }
    : (identity ?? newIdentity());
  const policyVersion = source.policyVersion;
  return {
    ...source,
    version: SETTINGS_VERSION,
    level: isConsentLevel(source.level) ? source.level : null,
    policyVersion:
      Number.isSafeInteger(policyVersion) && (policyVersion as number) > 0 ? (policyVersion as number) : null,
    decidedAt: typeof source.decidedAt === 'string' ? source.decidedAt : null,
    decidedBy: typeof source.decidedBy === 'string' ? source.decidedBy : null,
    userId: chosen.userId,
    salt: chosen.salt,
    masterNoticeSent: source.masterNoticeSent === true,
    modulesNotified: Array.isArray(source.modulesNotified)
      ? [...new Set(source.modulesNotified.filter((name): name is string => typeof name === 'string'))]
      : [],
    showManualHint: source.showManualHint !== false,
    extensions: isPlainObject(source.extensions) ? source.extensions : {},
  };
}

export function hasIdentity(document: StoredDocument | undefined): boolean {
  return document !== undefined && isValidUserId(document.userId) && isValidSalt(document.salt);
}
