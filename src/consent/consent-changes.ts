import type { SetOptions } from './consent.js';
import type { ConsentState } from './consent-state.js';
import { adopt, currentStatus, precedenceInputs, prepare, write } from './consent-state.js';
import { newIdentity } from './identity.js';
import { type ConsentLevel, isConsentLevel, levelProblem } from './levels.js';
import { migrateSettings } from './migrations.js';
import { refusalReason, resolveStatus } from './precedence.js';
import { type ConsentSettings, hasIdentity, normalizeSettings } from './settings.js';
import type { ConsentStatus } from './status.js';

/** `consent.set`: records the owner's choice (who and when), unless an environment variable, the code or CI locks it. */
export async function setLevel(
  state: ConsentState,
  ready: Promise<void>,
  level: ConsentLevel,
  setOptions: SetOptions,
): Promise<ConsentStatus> {
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
  const refusal = refusalReason(precedenceInputs(state));
  if (refusal) throw new Error(`consentry: ${state.suite}: cannot set the level to '${level}': ${refusal}.`);
  const document = await write(state, (stored) => ({
    ...prepare(state, stored),
    level,
    policyVersion: state.policyVersion,
    decidedAt: new Date().toISOString(),
    decidedBy: by,
  }));
  adopt(state, document);
  return currentStatus(state);
}

/** `consent.forget`: a new random user id and salt; the level stays. */
export async function forgetIdentity(state: ConsentState, ready: Promise<void>): Promise<ConsentStatus> {
  await ready;
  const fresh = newIdentity();
  adopt(state, await write(state, (stored) => ({ ...prepare(state, stored), ...fresh })));
  return currentStatus(state);
}

export async function updateSettings(
  state: ConsentState,
  ready: Promise<void>,
  fn: (settings: ConsentSettings) => ConsentSettings,
): Promise<ConsentSettings> {
  await ready;
  const document = await write(state, (stored) => fn(prepare(state, stored)));
  adopt(state, document);
  return prepare(state, document);
}

/** The status in force now without waiting: the known one, or read synchronously while the settings are unknown. */
export function statusNow(state: ConsentState): ConsentStatus | undefined {
  const status = currentStatus(state);
  if (state.settings !== undefined || status.source !== 'default' || state.settingsProblem !== undefined) return status;
  if (typeof state.store.readSync !== 'function') return undefined;
  let stored: ConsentSettings | undefined;
  try {
    const document = state.store.readSync(state.suite);
    const migrated = document === undefined ? undefined : migrateSettings(document);
    // Without a stored identity the settings are unset, and no user id is made up for them.
    stored = hasIdentity(migrated) ? normalizeSettings(migrated, state.identity) : undefined;
  } catch {
    stored = undefined; // damaged or newer than this version: the owner's choice cannot be read, so it is unset
  }
  return resolveStatus({ ...precedenceInputs(state), settings: stored });
}
