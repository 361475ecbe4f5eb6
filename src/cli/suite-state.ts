import {
  type ConsentSettings,
  type ConsentStatus,
  type Env,
  hasIdentity,
  isConsentLevel,
  migrateSettings,
  normalizeSettings,
  type PrecedenceInputs,
  readEnvironment,
  refusalReason,
  resolveStatus,
} from '../consent/index.js';
import type { PendingReport } from '../sentry/index.js';
import { readSentEntries, type SentEntry, type Store, type StoredDocument, sentRecordKey } from '../store/index.js';
// The files, not the suite's door (which loads the OTel SDK and Sentry).
import { CODE_FACTS } from '../suite/code-facts.js';
import { keptReports, reportsKey } from '../suite/reports.js';
import { CliFailure } from './failure.js';

/** What the command knows of one suite: its settings, the status they give here, kept reports and the record. */
export interface SuiteState {
  suite: string;
  settings: ConsentSettings;
  status: ConsentStatus;
  /** Why `set` is refused here (environment, the suite's code, CI), or undefined. */
  refusal: string | undefined;
  reports: PendingReport[];
  sent: SentEntry[];
}

/** Reads a suite without changing anything. An unknown suite is a failure that names the known ones. */
export async function loadSuite(store: Store, suite: string, env: Env, where: string): Promise<SuiteState> {
  const document = await store.read(suite);
  if (document === undefined) {
    const known = (await store.suites?.()) ?? [];
    throw new CliFailure(
      `consentry: no suite '${suite}' in ${where} (${
        known.length ? `known: ${known.join(', ')}` : 'no suites there'
      }). Check --suite, and that --dir / --redis point at the bot's store.`,
    );
  }
  const [reports, sent] = await Promise.all([store.read(reportsKey(suite)), store.read(sentRecordKey(suite))]);
  return stateOf(suite, document, env, reports, sent);
}

export function precedence(document: StoredDocument, env: Env): PrecedenceInputs {
  const settings = normalizeSettings(migrateSettings(document));
  const facts = settings.extensions[CODE_FACTS] as { policyVersion?: unknown; level?: unknown } | undefined;
  const policyVersion = typeof facts?.policyVersion === 'number' ? facts.policyVersion : (settings.policyVersion ?? 1);
  return {
    environment: readEnvironment(env),
    codeLevel: isConsentLevel(facts?.level) ? facts.level : undefined,
    settings,
    policyVersion,
  };
}

function stateOf(
  suite: string,
  document: StoredDocument,
  env: Env,
  reports: StoredDocument | undefined,
  sent: StoredDocument | undefined,
): SuiteState {
  const inputs = precedence(document, env);
  const settings = inputs.settings as ConsentSettings;
  const status = resolveStatus(inputs);
  if (!hasIdentity(document)) status.userId = null;
  return {
    suite,
    settings,
    status,
    refusal: refusalReason(inputs),
    reports: keptReports(reports),
    sent: readSentEntries(sent),
  };
}
