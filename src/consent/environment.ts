import { type CiDetection, detectCi } from './ci.js';
import { type ConsentLevel, isConsentLevel } from './levels.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** What the environment says about consent, read once when the suite starts. */
export interface EnvironmentDecision {
  doNotTrack: string | undefined;
  disabled: string | undefined;
  /** CONSENTRY_LEVEL as written (trimmed), when set. */
  levelVariable: string | undefined;
  /** Its level, or `undefined` when the value is not a level (consentry then treats it as `off`). */
  level: ConsentLevel | undefined;
  ci: CiDetection;
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
    doNotTrack: isTruthyFlag(env.DO_NOT_TRACK) ? env.DO_NOT_TRACK : undefined,
    disabled: isTruthyFlag(env.CONSENTRY_DISABLED) ? env.CONSENTRY_DISABLED : undefined,
    levelVariable,
    level: isConsentLevel(normalizedLevel) ? normalizedLevel : undefined,
    ci: detectCi(env),
  };
}
