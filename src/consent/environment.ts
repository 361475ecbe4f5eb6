import { type CiDetection, detectCi } from './ci.js';
import { type ConsentLevel, isConsentLevel } from './levels.js';
import { HARD_OFF_VARIABLES, type HardOffVariable } from './status.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** What the environment says about consent, read once when the suite starts. */
export interface EnvironmentDecision {
  /** The first of `HARD_OFF_VARIABLES` set to a true value, and that value: telemetry off, no messages. */
  hardOff: { variable: HardOffVariable; value: string } | undefined;
  /** CONSENTRY_LEVEL as written (trimmed), when set. */
  levelVariable: string | undefined;
  /** Its level, or `undefined` when the value is not a level (consentry then treats it as `off`). */
  level: ConsentLevel | undefined;
  ci: CiDetection;
}

function hardOffOf(env: Env): EnvironmentDecision['hardOff'] {
  for (const variable of HARD_OFF_VARIABLES) {
    const value = env[variable];
    if (value !== undefined && isTruthyFlag(value)) return { variable, value };
  }
  return undefined;
}

function isTruthyFlag(value: string | undefined): boolean {
  if (value === undefined) return false;
  const normalized = value.trim().toLowerCase();
  return normalized !== '' && normalized !== '0' && normalized !== 'false' && normalized !== 'no';
}

export function readEnvironment(env: Env): EnvironmentDecision {
  const levelVariable = env.CONSENTRY_LEVEL?.trim() || undefined;
  const normalizedLevel = levelVariable?.toLowerCase();
  return {
    hardOff: hardOffOf(env),
    levelVariable,
    level: isConsentLevel(normalizedLevel) ? normalizedLevel : undefined,
    ci: detectCi(env),
  };
}
