import type { EnvironmentDecision } from './environment.js';
import type { ConsentLevel } from './levels.js';
import type { ConsentSettings } from './settings.js';
import type { ConsentSource, ConsentStatus } from './status.js';

export interface PrecedenceInputs {
  environment: EnvironmentDecision;
  /** The `level` option in code. */
  codeLevel: ConsentLevel | undefined;
  /** The stored settings, `undefined` while unknown. */
  settings: ConsentSettings | undefined;
  policyVersion: number;
  /** Why the settings are unknown, for the reason text. */
  settingsProblem?: string | undefined;
}

interface Decision {
  level: ConsentLevel;
  source: ConsentSource;
  reason: string;
  /** What `set()` says when this decision blocks the owner. */
  refusal?: string | undefined;
}

const OWNER_HINT = 'to let the owner decide';

/** The decision above the owner's choice, if any: env variables, then code, then CI. */
// Longer than a screen on purpose: the precedence table itself, one branch per source in order, each with the
// reason and refusal the owner reads. Read top to bottom it is the documented order.
function overriding({ environment, codeLevel }: PrecedenceInputs): Decision | undefined {
  if (environment.hardOff !== undefined) {
    const { variable: name, value } = environment.hardOff;
    const variable = `${name}=${value}`;
    return {
      level: 'off',
      source: name,
      reason:
        `Telemetry is off because the environment variable ${variable} is set: nothing is sent and owners get no ` +
        `messages. Remove ${name} ${OWNER_HINT}.`,
      refusal: `the environment variable ${variable} turns telemetry off. Remove ${name} from the environment ${OWNER_HINT}`,
    };
  }
  if (environment.levelVariable !== undefined) {
    const variable = `CONSENTRY_LEVEL=${environment.levelVariable}`;
    const refusal = `the environment variable ${variable} decides the level. Remove CONSENTRY_LEVEL from the environment ${OWNER_HINT}`;
    if (environment.level === undefined) {
      return {
        level: 'off',
        source: 'CONSENTRY_LEVEL',
        reason:
          `Telemetry is off because the environment variable ${variable} is not a level; ` +
          `use one of off, manual, errors or all.`,
        refusal,
      };
    }
    return {
      level: environment.level,
      source: 'CONSENTRY_LEVEL',
      reason:
        `The level is '${environment.level}' because the environment variable ${variable} is set; it overrides the ` +
        `code, CI detection and the owner's choice. Remove CONSENTRY_LEVEL ${OWNER_HINT}.`,
      refusal,
    };
  }
  if (codeLevel !== undefined) {
    return {
      level: codeLevel,
      source: 'code',
      reason:
        `The level is '${codeLevel}' because the suite's code passes level: '${codeLevel}' to createTelemetry; ` +
        `the owner's choice does not apply. The environment variable CONSENTRY_LEVEL can override it.`,
      refusal: `the suite's code passes the option level: '${codeLevel}' to createTelemetry. Remove that option ${OWNER_HINT}`,
    };
  }
  if (environment.ci.isCI) {
    const clue = [
      environment.ci.name,
      environment.ci.variable && `the environment variable ${environment.ci.variable} is set`,
    ]
      .filter(Boolean)
      .join('; ');
    return {
      level: 'off',
      source: 'ci',
      reason: `Telemetry is off because a CI environment was detected (${clue}). Set CONSENTRY_LEVEL to choose a level in CI.`,
      refusal: `a CI environment was detected (${clue}) and telemetry stays off in CI. Set CONSENTRY_LEVEL to choose a level there`,
    };
  }
  return undefined;
}

export function resolveStatus(inputs: PrecedenceInputs): ConsentStatus {
  const { settings, policyVersion } = inputs;
  const decision = overriding(inputs) ?? ownerOrDefault(inputs);
  return {
    level: decision.level,
    source: decision.source,
    reason: decision.reason,
    policyVersion,
    userId: settings?.userId ?? null,
    ownerLevel: settings?.level ?? null,
    decidedAt: settings?.decidedAt ?? null,
    decidedBy: settings?.decidedBy ?? null,
    decidedPolicyVersion: settings?.policyVersion ?? null,
    locked: decision.refusal !== undefined,
  };
}

/** Why `set()` must refuse, or `undefined` when the owner may decide. */
export function refusalReason(inputs: PrecedenceInputs): string | undefined {
  return overriding(inputs)?.refusal;
}

function ownerOrDefault({ settings, policyVersion, settingsProblem }: PrecedenceInputs): Decision {
  if (settings?.level) {
    const who = [settings.decidedBy && `by ${settings.decidedBy}`, settings.decidedAt && `on ${settings.decidedAt}`]
      .filter(Boolean)
      .join(' ');
    const changed = settings.policyVersion !== null && settings.policyVersion < policyVersion;
    if (changed && (settings.level === 'errors' || settings.level === 'all')) {
      // Consent given under an older policy does not cover a newer one: pause until the owner confirms again.
      return {
        level: 'manual',
        source: 'owner',
        reason:
          `The owner chose '${settings.level}'${who ? ` (${who})` : ''} under policy version ${settings.policyVersion}, ` +
          `but the suite's policy is now version ${policyVersion}: nothing is sent automatically until the owner ` +
          'confirms again.',
      };
    }
    const older = changed
      ? ` The suite's policy changed since (version ${settings.policyVersion} to ${policyVersion}), so the owner will be asked again.`
      : '';
    return {
      level: settings.level,
      source: 'owner',
      reason: `The owner chose '${settings.level}'${who ? ` (${who})` : ''}.${older}`,
    };
  }
  if (settingsProblem) {
    return {
      level: 'manual',
      source: 'default',
      reason:
        `The settings cannot be read (${settingsProblem}), so the level is 'manual' until they can: ` +
        'nothing is sent automatically.',
    };
  }
  return {
    level: 'manual',
    source: 'default',
    reason:
      "No one has chosen yet, so the level is 'manual': nothing is sent automatically, and each error offers a " +
      'one-off send.',
  };
}
