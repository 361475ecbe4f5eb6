import type { ConsentLevel } from './levels.js';

/** The variables that turn telemetry off outright, the strongest first: nothing is sent, owners get no messages. */
export const HARD_OFF_VARIABLES = ['DO_NOT_TRACK', 'CONSENTRY_DISABLED'] as const;

export type HardOffVariable = (typeof HARD_OFF_VARIABLES)[number];

/** Who decided the effective level, from strongest to weakest. */
export const CONSENT_SOURCES = [...HARD_OFF_VARIABLES, 'CONSENTRY_LEVEL', 'code', 'ci', 'owner', 'default'] as const;

export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** True when one of {@link HARD_OFF_VARIABLES} decided the level. */
export function isHardOff(source: ConsentSource): source is HardOffVariable {
  return (HARD_OFF_VARIABLES as readonly string[]).includes(source);
}

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
