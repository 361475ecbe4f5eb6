import type { ConsentLevel, Env } from '../consent/index.js';
import { CONSENT_LEVELS, isConsentLevel, levelProblem } from '../consent/index.js';
import { checkDsn, DSN_FIX, redactDsn } from '../dsn/index.js';
import { ConsentryConfigError } from '../errors/index.js';
import { type HostLogger, showValue } from '../log/index.js';
import { isSpanTransport, SPAN_TRANSPORTS, type SpanTransport } from '../otel/index.js';
import { type Store, suiteNameProblem } from '../store/index.js';

export interface TelemetryOptions {
  /** One author's collection of modules; names the settings file and the Redis key. */
  suite: string;
  /**
   * The suite's Sentry DSN. Without one, nothing can be sent (consent still works). A trailing slash is accepted and
   * removed; a DSN that is not valid is logged once and the suite runs with nothing to send (`strict: true` throws).
   */
  dsn?: string | undefined;
  /** Bump when what is sent changes; owners are asked again. Default 1. */
  policyVersion?: number | undefined;
  /** Where owners read what is sent and why. */
  docsUrl?: string | undefined;
  /** Default: fileStore() in ./.consentry. Use redisStore({ url }) for bots sharded over processes or hosts. */
  store?: Store | undefined;
  /** A code override of the owner's choice; normally left out so the owner decides. */
  level?: ConsentLevel | undefined;
  /** Share of background-task traces sent at level 'all' (0..1). Default 1. */
  tracesSampleRate?: number | undefined;
  /**
   * How spans reach Sentry: `'otlp'` (Sentry's OTLP route), `'envelope'` (transaction events through each module's
   * client, for servers with no OTLP route: GlitchTip, Spotlight, self-hosted Sentry without it), or `'auto'`
   * (default: OTLP, switching to envelopes for the rest of the process when the OTLP route answers 404, 405 or 415).
   */
  spanTransport?: SpanTransport | undefined;
  /** The bot token (or a function returning it), so it can be scrubbed from everything that leaves. */
  botToken?: string | (() => string | null | undefined) | undefined;
  logger?: Partial<HostLogger> | undefined;
  /** Environment variables to read (DO_NOT_TRACK, CONSENTRY_DISABLED, CONSENTRY_LEVEL, CI). Default process.env. */
  env?: Env | undefined;
  /** Throw ConsentryConfigError on a bad option instead of logging it and staying off. */
  strict?: boolean | undefined;
}

export interface ResolvedOptions {
  suite: string;
  /** The canonical DSN (Sentry's form, no trailing slash): the one string every later stage is given. */
  dsn: string | undefined;
  /** Set when `dsn` was given but is not a DSN (and strict is off): the line to log; `dsn` is then undefined. */
  dsnProblem: string | undefined;
  policyVersion: number;
  docsUrl: string | undefined;
  store: Store | undefined;
  level: ConsentLevel | undefined;
  tracesSampleRate: number;
  spanTransport: SpanTransport;
  botToken: string | (() => string | null | undefined) | undefined;
  env: Env;
  strict: boolean;
  /** The bot's logger as given (checked to be an object). */
  logger: Partial<HostLogger> | undefined;
}

const STORE_METHODS = ['read', 'update', 'claim', 'subscribe', 'close'] as const;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Checks every option; throws one ConsentryConfigError naming each wrong option and its fix. */
// Longer than a screen on purpose: one flat check per option, in the order of TelemetryOptions, all collected into
// one error; read as the option table.
export function resolveOptions(input: TelemetryOptions): ResolvedOptions {
  if (typeof input !== 'object' || input === null) {
    throw new ConsentryConfigError(
      'options',
      `consentry: createTelemetry(options) needs an options object; got ${showValue(input)}. Fix: createTelemetry({ suite: 'acme-plugins', dsn, policyVersion: 1 }).`,
    );
  }
  const problems: Array<[option: string, message: string]> = [];
  const problem = (option: string, message: string) => problems.push([option, `option \`${option}\` ${message}`]);

  const suiteProblem = suiteNameProblem(input.suite);
  if (suiteProblem) problem('suite', suiteProblem);

  const dsn = input.dsn === undefined ? undefined : checkDsn(input.dsn);
  const dsnMessage =
    dsn === undefined || dsn.ok
      ? undefined
      : `option \`dsn\` is not a valid Sentry DSN: it ${dsn.problem}${typeof input.dsn === 'string' ? `; got ${JSON.stringify(redactDsn(input.dsn))}` : ''}. Fix: ${DSN_FIX}, or leave it out to send nothing.`;
  const policyVersion = input.policyVersion ?? 1;
  if (!Number.isSafeInteger(policyVersion) || policyVersion < 1) {
    problem(
      'policyVersion',
      `must be a positive integer (1 for the first policy, bumped when what is sent changes); got ${showValue(input.policyVersion)}.`,
    );
  }
  if (input.docsUrl !== undefined && (typeof input.docsUrl !== 'string' || !isHttpUrl(input.docsUrl))) {
    problem('docsUrl', `must be an http(s) URL where owners read what is sent; got ${showValue(input.docsUrl)}.`);
  }
  if (
    input.store !== undefined &&
    (typeof input.store !== 'object' ||
      input.store === null ||
      STORE_METHODS.some((method) => typeof (input.store as unknown as Record<string, unknown>)[method] !== 'function'))
  ) {
    problem('store', `must be a store from fileStore({ dir }) or redisStore({ url }); got ${showValue(input.store)}.`);
  }
  if (input.level !== undefined && !isConsentLevel(input.level)) {
    problem(
      'level',
      `${levelProblem(input.level)}. Leave it out so the owner decides, or use one of ${CONSENT_LEVELS.join(', ')}.`,
    );
  }
  const tracesSampleRate = input.tracesSampleRate ?? 1;
  if (typeof tracesSampleRate !== 'number' || !(tracesSampleRate >= 0 && tracesSampleRate <= 1)) {
    problem(
      'tracesSampleRate',
      `must be a number from 0 to 1 (1 = every trace); got ${showValue(input.tracesSampleRate)}.`,
    );
  }
  if (input.spanTransport !== undefined && !isSpanTransport(input.spanTransport)) {
    problem(
      'spanTransport',
      `must be one of ${SPAN_TRANSPORTS.map((t) => `'${t}'`).join(', ')} ('auto' unless your server needs one); got ${showValue(input.spanTransport)}.`,
    );
  }
  if (input.botToken !== undefined && typeof input.botToken !== 'string' && typeof input.botToken !== 'function') {
    problem('botToken', `must be the token string or a function returning it, e.g. () => client.token.`);
  }
  if (input.logger !== undefined && (typeof input.logger !== 'object' || input.logger === null)) {
    problem(
      'logger',
      `must be an object with info/warn/error methods (console or a pino logger); got ${showValue(input.logger)}.`,
    );
  }
  if (input.env !== undefined && (typeof input.env !== 'object' || input.env === null)) {
    problem('env', `must be an object of environment variables like process.env; got ${showValue(input.env)}.`);
  }
  if (input.strict !== undefined && typeof input.strict !== 'boolean') {
    problem('strict', `must be true or false; got ${showValue(input.strict)}.`);
  }

  const label =
    typeof input.suite === 'string' && !suiteProblem ? `createTelemetry('${input.suite}')` : 'createTelemetry';
  // A wrong DSN alone leaves the suite running with nothing to send (consent, notices and commands still work).
  if (dsnMessage && (problems.length > 0 || input.strict === true)) problems.unshift(['dsn', dsnMessage]);
  const first = problems[0];
  if (first) {
    throw new ConsentryConfigError(
      first[0],
      `consentry: ${label}: ${problems.map(([, message]) => message).join(' Also, ')}`,
    );
  }
  return {
    suite: input.suite,
    dsn: dsn?.ok ? dsn.value.dsn : undefined,
    dsnProblem: dsnMessage && `consentry: ${label}: ${dsnMessage}`,
    policyVersion,
    docsUrl: input.docsUrl,
    store: input.store,
    level: input.level,
    tracesSampleRate,
    spanTransport: input.spanTransport ?? 'auto',
    botToken: input.botToken,
    env: input.env === undefined ? process.env : environmentOf(input.env),
    strict: input.strict === true,
    logger: input.logger,
  };
}

/** A copy of `env` with string values only, as `process.env` has them: numbers and booleans become strings. */
function environmentOf(env: Env): Env {
  const copy: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (typeof value === 'string') copy[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') copy[key] = String(value);
  }
  return copy;
}
