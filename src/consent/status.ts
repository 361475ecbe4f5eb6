import type { ConsentLevel } from './levels.js';

/** Who decided the effective level, from strongest to weakest. */
export const CONSENT_SOURCES = [
  'DO_NOT_TRACK',
  'CONSENTRY_DISABLED',
  'CONSENTRY_LEVEL',
  'code',
  'ci',
  'owner',
  'default',
] as const;

export type ConsentSource = (typeof CONSENT_SOURCES)[number];

export interface ConsentStatus {
  /** The effective level. */
  level: ConsentLevel;
  source: ConsentSource;
  /** One sentence an owner understands: what the level is and why. */
  reason: string;
  /** The suite's current policy version (0 only when the options were invalid). */
  policyVersion: number;
  /** The permanent random id of this install of the suite; `null` while the settings are unknown. */
  userId: string | null;
  /** The owner's stored choice, `null` when unset or unknown. */
  ownerLevel: ConsentLevel | null;
  decidedAt: string | null;
  decidedBy: string | null;
  /** The policy version the owner's choice was made under. */
  decidedPolicyVersion: number | null;
  /** True when something stronger than the owner decides: `set()` is refused until it is removed. */
  locked: boolean;
}
