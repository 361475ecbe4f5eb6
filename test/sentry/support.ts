import { randomUUID } from 'node:crypto';
import { afterEach } from 'vitest';
import type { ConsentLevel } from '../../src/consent/index.js';
import { createScrubber } from '../../src/scrub/index.js';
import { createModuleReporter, type ModuleReporter, type ModuleReporterOptions } from '../../src/sentry/index.js';
import { FakeSentry, type ReceivedSession } from '../../src/testing/index.js';
import { type CapturedLine, captureLogger } from '../support/logger.js';

/** Fakes in the shapes the scrubber knows; each must never reach Sentry. */
export const SECRET = {
  botToken: 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs',
  snowflake: '198622483471925248',
  ipv4: '203.0.113.77',
  ipv6: '2001:db8:85a3::8a2e:370:7334',
  invite: 'discord.gg/s3cretInv1te',
  home: '/home/alice',
} as const;

export const ENV = { HOME: SECRET.home, USERNAME: 'alice' };

/** The raw secrets, as searched for in everything a fake Sentry received. */
export const RAW_SECRETS: readonly string[] = [
  SECRET.botToken,
  'ZnCjm1XVW7vRze4b7Cq4se7kKWs',
  SECRET.snowflake,
  SECRET.ipv4,
  SECRET.ipv6,
  's3cretInv1te',
  SECRET.home,
];

const fakes: FakeSentry[] = [];
const reporters: ModuleReporter[] = [];

afterEach(async () => {
  await Promise.all(reporters.splice(0).map((reporter) => reporter.close(500)));
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

export async function startSentry(): Promise<FakeSentry> {
  const sentry = await FakeSentry.start();
  fakes.push(sentry);
  return sentry;
}

export interface TestReporter {
  reporter: ModuleReporter;
  lines: CapturedLine[];
  userId: string;
  sessionId: string;
}

export function reporterFor(
  dsn: string,
  level: ConsentLevel,
  overrides: Partial<ModuleReporterOptions> = {},
): TestReporter {
  const logger = captureLogger();
  const userId = randomUUID();
  const sessionId = randomUUID();
  const reporter = createModuleReporter({
    dsn,
    suite: 'acme-plugins',
    module: 'status',
    version: '1.4.0',
    commit: 'abc1234',
    userId,
    sessionId,
    scrubber: createScrubber({ botToken: SECRET.botToken, env: ENV }),
    logger,
    level,
    tags: { 'discord.js': '14.28.1' },
    ...overrides,
  });
  reporters.push(reporter);
  return { reporter, lines: logger.lines, userId, sessionId };
}

/** Every raw secret found in `text`. */
export function leakedSecrets(text: string): string[] {
  return RAW_SECRETS.filter((secret) => text.includes(secret));
}

const STAGE: Record<string, number> = { ok: 1, exited: 2, crashed: 2, abnormal: 2 };

/**
 * Session updates in the order they were made. Updates travel on parallel connections and may arrive in any
 * order (Sentry does not care); sorted by session start, then init, then ok before terminal, then errors.
 */
export function sessionStates(sentry: FakeSentry): ReceivedSession[] {
  const rank = (s: ReceivedSession) => (s.init ? 0 : (STAGE[s.status] ?? 3));
  return [...sentry.sessions()].sort(
    (a, b) => a.started.localeCompare(b.started) || rank(a) - rank(b) || (a.errors ?? 0) - (b.errors ?? 0),
  );
}
