import { type ConsentLevel, isConsentLevel } from '../consent/index.js';
import { checkDsn } from '../dsn/index.js';
import { ModuleReporterOptionsError } from '../errors/index.js';
import { type HostLogger, showValue } from '../log/index.js';
import type { Scrubber } from '../scrub/index.js';
import type { SentEntry } from '../store/index.js';
import { DEFAULT_ENVIRONMENT } from './release.js';

export interface ModuleReporterOptions {
  /** The suite's Sentry DSN, e.g. `https://<key>@o0.ingest.sentry.io/<project>`. */
  dsn: string;
  /** The suite (one author's collection of modules), e.g. `acme-plugins`. */
  suite: string;
  /** The module's name, e.g. `status`. */
  module: string;
  /** The module's version, e.g. `1.4.0`. */
  version: string;
  /** The module's commit, sent as the `commit` tag. */
  commit?: string | undefined;
  /** The module's folder: only frames under it are marked `in_app` in events (see `markOwnFrames`, `isOwnError`). */
  root?: string | undefined;
  /** Sentry environment. Default `production`. */
  environment?: string | undefined;
  /** The permanent, random user UUID of this bot installation: `user.id` and the session `did`. */
  userId: string;
  /** The per-process session UUID: the `session` tag and the `sid` of the first release-health session. */
  sessionId: string;
  /** Applied to every event, breadcrumb and session string before anything leaves. */
  scrubber: Scrubber;
  /** Where the one line per outage goes. Default: the console. */
  logger?: Partial<HostLogger> | undefined;
  /** The level to start at (the suite changes it later with `setLevel`). */
  level: ConsentLevel;
  /** Extra tags for every event, e.g. `{ 'discord.js': '14.28.1' }`. */
  tags?: Readonly<Record<string, string>> | undefined;
  /** A release-health session is ended and a new one started this often. Default one hour. */
  sessionRotateMs?: number | undefined;
  /** Envelopes in flight at most; more are dropped (and counted). Default 64, as Sentry's own client. */
  maxQueue?: number | undefined;
  /** A request to Sentry that gets no answer for this long is abandoned. Default 10 s. */
  requestTimeoutMs?: number | undefined;
  /** Breadcrumbs kept (the newest). Default 25. */
  maxBreadcrumbs?: number | undefined;
  /** CONSENTRY_DEBUG: write each scrubbed envelope to stderr as one JSON line, and send nothing. */
  debug?: boolean | undefined;
  /** Told of every request that left (the owner's record of what was sent). Must not throw. */
  onSent?: ((entry: SentRequest) => void) | undefined;
}

/** One request as the record of sent requests keeps it (the time is added there). */
export type SentRequest = Omit<SentEntry, 'time'>;

export interface ResolvedReporterOptions {
  dsn: string;
  suite: string;
  module: string;
  version: string;
  commit: string | undefined;
  root: string | undefined;
  environment: string;
  userId: string;
  sessionId: string;
  scrubber: Scrubber;
  logger: Partial<HostLogger> | undefined;
  level: ConsentLevel;
  tags: Record<string, string>;
  sessionRotateMs: number;
  maxQueue: number;
  requestTimeoutMs: number;
  maxBreadcrumbs: number;
  debug: boolean;
  onSent: ((entry: SentRequest) => void) | undefined;
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Checks every option and names each wrong one with its fix, in one error. */
// Longer than a screen on purpose: one flat check per option, in the order of ModuleReporterOptions, all collected
// into one error; read as the option table.
export function resolveReporterOptions(input: ModuleReporterOptions): ResolvedReporterOptions {
  if (typeof input !== 'object' || input === null) {
    throw new ModuleReporterOptionsError(
      'options',
      'createModuleReporter(options): options must be an object, e.g. { dsn, suite, module, version, userId, sessionId, scrubber, level }',
    );
  }
  const problems: string[] = [];
  const text = (field: keyof ModuleReporterOptions, example: string): string => {
    const value = input[field];
    if (typeof value === 'string' && value.trim() !== '') return value;
    problems.push(`${field} must be a non-empty string, e.g. ${example}; got ${showValue(value)}`);
    return '';
  };
  const optionalText = (field: keyof ModuleReporterOptions): string | undefined => {
    const value = input[field];
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value !== '') return value;
    problems.push(`${field} must be a non-empty string or left out; got ${showValue(value)}`);
    return undefined;
  };
  const uuid = (field: 'userId' | 'sessionId'): string => {
    const value = input[field];
    if (typeof value === 'string' && UUID.test(value)) return value.toLowerCase();
    problems.push(`${field} must be a UUID (crypto.randomUUID()); got ${showValue(value)}`);
    return '';
  };
  const whole = (field: keyof ModuleReporterOptions, fallback: number, min: number, max: number): number => {
    const value = input[field];
    if (value === undefined) return fallback;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    problems.push(`${field} must be a whole number from ${min} to ${max}; got ${showValue(value)}`);
    return fallback;
  };

  const given = text('dsn', "'https://<key>@o0.ingest.sentry.io/<project>'");
  const checked = given ? checkDsn(given) : undefined;
  if (checked && !checked.ok) problems.push(`dsn is not a valid Sentry DSN: it ${checked.problem}`);
  const resolved: ResolvedReporterOptions = {
    dsn: checked?.ok ? checked.value.dsn : '',
    suite: text('suite', "'acme-plugins'"),
    module: text('module', "'status'"),
    version: text('version', "'1.4.0'"),
    commit: optionalText('commit'),
    root: optionalText('root'),
    environment: optionalText('environment') ?? DEFAULT_ENVIRONMENT,
    userId: uuid('userId'),
    sessionId: uuid('sessionId'),
    scrubber: input.scrubber,
    logger: input.logger,
    level: input.level,
    tags: {},
    sessionRotateMs: whole('sessionRotateMs', 3_600_000, 1, MAX_TIMER_MS),
    maxQueue: whole('maxQueue', 64, 1, 10_000),
    requestTimeoutMs: whole('requestTimeoutMs', 10_000, 1, MAX_TIMER_MS),
    maxBreadcrumbs: whole('maxBreadcrumbs', 25, 0, 100),
    debug: input.debug === true,
    onSent: typeof input.onSent === 'function' ? input.onSent : undefined,
  };
  const { scrubber } = input;
  if (typeof scrubber !== 'object' || scrubber === null || typeof scrubber.value !== 'function') {
    problems.push(`scrubber must come from createScrubber({ botToken }); got ${showValue(scrubber)}`);
  }
  if (!isConsentLevel(input.level)) {
    problems.push(`level must be 'off', 'manual', 'errors' or 'all'; got ${showValue(input.level)}`);
  }
  if (input.debug !== undefined && typeof input.debug !== 'boolean') {
    problems.push(`debug must be true or false; got ${showValue(input.debug)}`);
  }
  if (input.tags !== undefined) {
    if (typeof input.tags !== 'object' || input.tags === null) {
      problems.push(
        `tags must be an object of strings, e.g. { 'discord.js': '14.28.1' }; got ${showValue(input.tags)}`,
      );
    } else {
      for (const [key, value] of Object.entries(input.tags)) {
        if (typeof value === 'string') resolved.tags[key] = value;
        else problems.push(`tags.${key} must be a string; got ${showValue(value)}`);
      }
    }
  }
  if (problems.length > 0) {
    // Each problem starts with the option's name: the error carries the first one's.
    const option = problems[0]?.split(' ', 1)[0] ?? 'options';
    throw new ModuleReporterOptionsError(option, `consentry: createModuleReporter: ${problems.join('; ')}.`);
  }
  return resolved;
}
