import type { ConsentController, ConsentLevel } from '../consent/index.js';

/** Where the settings keep what only the suite's code knows, for the `consentry` command (which has no code). */
export const CODE_FACTS = 'code';

export interface CodeFacts {
  /** The suite's current policy version. */
  policyVersion: number;
  /** The `level` option in code, or null when the owner decides. */
  level: ConsentLevel | null;
}

/** Stores the code's facts when they changed (a new release); never rejects. */
export function recordCodeFacts(
  consent: ConsentController,
  facts: { policyVersion: number; level: ConsentLevel | undefined },
): void {
  const next: CodeFacts = { policyVersion: facts.policyVersion, level: facts.level ?? null };
  const stored = consent.settings()?.extensions[CODE_FACTS] as Partial<CodeFacts> | undefined;
  if (stored?.policyVersion === next.policyVersion && stored.level === next.level) return;
  consent
    .updateSettings((settings) => ({ ...settings, extensions: { ...settings.extensions, [CODE_FACTS]: next } }))
    .catch(() => {});
}
