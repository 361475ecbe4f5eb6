import { randomUUID } from 'node:crypto';
import {
  type ConsentLevel,
  type Env,
  migrateSettings,
  newIdentity,
  normalizeSettings,
  withNextRevision,
} from '../consent/index.js';
import type { HostLogger } from '../log/index.js';
import type { PendingReport } from '../sentry/index.js';
import { createSentRecord, type Store, sentRecordKey } from '../store/index.js';
// The two files, not the suite's door: that one loads the OTel SDK and Sentry (a second at every start).
import { keptReports, summary as reportSummary, reportsKey } from '../suite/reports.js';
import type { Command, ReportAction } from './args.js';
import { CliFailure } from './failure.js';
import { loadSuite, precedence, type SuiteState } from './suite-state.js';
import { shortTime, table } from './table.js';

export interface CommandContext {
  store: Store;
  /** The store's location for messages: a folder or a Redis URL without its password. */
  where: string;
  env: Env;
  /** Store and reporter log lines; the command prints its own one line instead. */
  logger: HostLogger;
}

export interface Output {
  human: string;
  json: unknown;
}

export async function runCommand(
  command: Exclude<Command, { name: 'help' }>,
  context: CommandContext,
): Promise<Output> {
  switch (command.name) {
    case 'status':
      return status(context, command.suite);
    case 'set':
      return set(context, command.suite, command.level);
    case 'forget':
      return forget(context, command.suite);
    case 'reports':
      return reports(context, command.suite, command.action, command.code);
    case 'sent':
      return sent(context, command.suite);
  }
}

function statusJson(state: SuiteState) {
  const { status } = state;
  return {
    suite: state.suite,
    level: status.level,
    source: status.source,
    reason: status.reason,
    locked: status.locked,
    policyVersion: status.policyVersion,
    ownerLevel: status.ownerLevel,
    decidedAt: status.decidedAt,
    decidedBy: status.decidedBy,
    userId: status.userId,
    keptReports: state.reports.length,
    lastSent: state.sent[0]?.time ?? null,
  };
}

async function status({ store, where, env }: CommandContext, suite: string | undefined): Promise<Output> {
  const names = suite === undefined ? ((await store.suites?.()) ?? []) : [suite];
  if (names.length === 0) {
    throw new CliFailure(
      `consentry: no suites in ${where} yet (a bot writes its settings there when it starts). Check --dir / --redis.`,
    );
  }
  const states = [];
  for (const name of names) states.push(await loadSuite(store, name, env, where));
  const rows = states.map((state) => {
    const json = statusJson(state);
    return [
      json.suite,
      json.level,
      json.source,
      String(json.policyVersion),
      json.userId ?? '-',
      String(json.keptReports),
      json.lastSent ? shortTime(json.lastSent) : '-',
    ];
  });
  const human = [
    table(['SUITE', 'LEVEL', 'SOURCE', 'POLICY', 'USER ID', 'KEPT', 'LAST SENT (UTC)'], rows),
    '',
    ...states.map((state) => `${state.suite}: ${state.status.reason}`),
  ].join('\n');
  return { human, json: { suites: states.map(statusJson) } };
}

async function set(context: CommandContext, suite: string, level: ConsentLevel): Promise<Output> {
  const { store, where, env } = context;
  const before = await loadSuite(store, suite, env, where);
  if (before.refusal) {
    throw new CliFailure(`consentry: ${suite}: not changed: ${before.refusal}.`);
  }
  const policyVersion = before.status.policyVersion;
  await store.update(suite, (document) => {
    const settings = normalizeSettings(document === undefined ? undefined : migrateSettings(document));
    return withNextRevision(document, {
      ...settings,
      level,
      policyVersion,
      decidedAt: new Date().toISOString(),
      decidedBy: 'cli',
    });
  });
  const after = await loadSuite(store, suite, env, where);
  return {
    human: `${suite}: the level is now ${after.status.level}. ${after.status.reason} A running bot follows at once, on every shard.`,
    json: statusJson(after),
  };
}

async function forget(context: CommandContext, suite: string): Promise<Output> {
  const { store, where, env } = context;
  await loadSuite(store, suite, env, where);
  const identity = newIdentity();
  await store.update(suite, (document) =>
    withNextRevision(document, {
      ...normalizeSettings(document === undefined ? undefined : migrateSettings(document)),
      ...identity,
    }),
  );
  await store.update(reportsKey(suite), () => ({ reports: [] }));
  await store.update(sentRecordKey(suite), () => ({ version: 1, entries: [] }));
  return {
    human:
      `${suite}: new random user id ${identity.userId}; the kept reports and the record of what was sent were ` +
      'dropped. The level did not change.',
    json: { suite, userId: identity.userId, keptReports: 0, sent: 0 },
  };
}

async function sent(context: CommandContext, suite: string): Promise<Output> {
  const state = await loadSuite(context.store, suite, context.env, context.where);
  const rows = state.sent.map((entry) => [
    shortTime(entry.time),
    entry.kind,
    entry.module,
    String(entry.bytes),
    entry.status === null ? (entry.error ?? 'no answer') : String(entry.status),
    entry.title,
  ]);
  const human = rows.length
    ? table(['TIME (UTC)', 'KIND', 'MODULE', 'BYTES', 'ANSWER', 'TITLE'], rows)
    : `${suite}: nothing was sent in the last 7 days (or since the last forget).`;
  return { human, json: { suite, entries: state.sent } };
}

async function reports(
  context: CommandContext,
  suite: string,
  action: ReportAction,
  code: string | undefined,
): Promise<Output> {
  const { store, where, env } = context;
  const state = await loadSuite(store, suite, env, where);
  if (action === 'list') {
    const summaries = state.reports.map(reportSummary);
    const human = summaries.length
      ? table(
          ['CODE', 'MODULE', 'KEPT (UTC)', 'TITLE'],
          summaries.map((report) => [
            report.code,
            report.module,
            shortTime(new Date(report.createdAt).toISOString()),
            report.title,
          ]),
        )
      : `${suite}: no kept reports.`;
    return {
      human,
      json: {
        suite,
        reports: summaries.map((report) => ({ ...report, createdAt: new Date(report.createdAt).toISOString() })),
      },
    };
  }
  const report = state.reports.find((candidate) => candidate.code === code);
  if (!report) {
    throw new CliFailure(
      `consentry: ${suite}: no kept report ${code} (it was sent or dropped already, expired after 7 days, or the code is mistyped); list them with \`consentry reports --suite ${suite}\`.`,
    );
  }
  if (action === 'preview') {
    return { human: JSON.stringify(report.event, null, 2), json: report.event };
  }
  if (action === 'drop') {
    await take(store, suite, report.code);
    return {
      human: `${suite}: report ${report.code} dropped (not sent).`,
      json: { suite, code: report.code, dropped: true },
    };
  }
  if (state.status.level === 'off') {
    throw new CliFailure(
      `consentry: ${suite}: report ${report.code} was not sent: the level is 'off'. ${state.status.reason}`,
    );
  }
  if (typeof report.dsn !== 'string') {
    throw new CliFailure(
      `consentry: ${suite}: report ${report.code} was kept by an older consentry without its DSN; send it from Discord with the suite's telemetry command.`,
    );
  }
  const taken = await take(store, suite, report.code);
  if (!taken)
    throw new CliFailure(`consentry: ${suite}: report ${report.code} was just sent or dropped by someone else.`);
  let eventId: string | undefined;
  let problem = 'Sentry did not accept it';
  try {
    eventId = await sendReport(context, suite, taken, precedence(await mustRead(store, suite), env).settings?.userId);
  } catch (error) {
    problem = (error as Error)?.message ?? String(error);
  }
  if (eventId === undefined) {
    await store.update(reportsKey(suite), (document) => ({
      reports: [taken, ...keptReports(document).filter((kept) => kept.code !== taken.code)],
    }));
    throw new CliFailure(
      `consentry: ${suite}: report ${taken.code} could not be sent (${problem}; see \`consentry sent --suite ${suite}\`); it is kept, try again later.`,
    );
  }
  return {
    human: `${suite}: report ${taken.code} sent (event ${eventId}).`,
    json: { suite, code: taken.code, eventId },
  };
}

async function mustRead(store: Store, suite: string) {
  return (await store.read(suite)) ?? {};
}

/** Removes a report atomically, so that it is sent (or dropped) once, whoever else tries. */
async function take(store: Store, suite: string, code: string): Promise<PendingReport | undefined> {
  let taken: PendingReport | undefined;
  await store.update(reportsKey(suite), (document) => {
    const kept = keptReports(document);
    taken = kept.find((report) => report.code === code);
    return { reports: kept.filter((report) => report.code !== code) };
  });
  return taken;
}

/** Sends the kept event as it is, through the same isolated client a bot uses; the request goes in the record. */
async function sendReport(
  context: CommandContext,
  suite: string,
  report: PendingReport,
  userId: string | undefined,
): Promise<string | undefined> {
  // Loaded only to send: most commands never need Sentry's client.
  const [{ createModuleReporter }, { createScrubber }] = await Promise.all([
    import('../sentry/index.js'),
    import('../scrub/index.js'),
  ]);
  const record = createSentRecord({ suite, store: context.store, logger: context.logger });
  const release = typeof report.event.release === 'string' ? report.event.release : '';
  const reporter = createModuleReporter({
    dsn: report.dsn as string,
    suite,
    module: report.module,
    version: release.slice(release.lastIndexOf('@') + 1) || '0.0.0',
    userId: userId ?? randomUUID(),
    sessionId: randomUUID(),
    scrubber: createScrubber({}),
    level: 'manual',
    logger: context.logger,
    onSent: record.recordSent,
  });
  try {
    return await reporter.sendPrepared(report.event);
  } finally {
    await reporter.close();
    await record.flush();
  }
}
