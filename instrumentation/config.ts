import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { checkDsn, DSN_FIX, redactDsn } from '../src/dsn/index.js';
import { ProcessConfigError } from '../src/errors/index.js';
import { consoleLogger, reportUnknownOptions, showValue } from '../src/log/index.js';
import { isSpanTransport, SPAN_TRANSPORTS, type SpanTransport } from '../src/otel/index.js';
import { suiteNameProblem } from '../src/store/index.js';

/** Process mode's settings: from `consentry.config.json` in the working directory, each one overridden by env. */
export interface ProcessConfig {
  /** `CONSENTRY_SUITE` / `suite`: whose consent applies (the same name the bot's `createTelemetry` uses). */
  suite: string;
  /** `CONSENTRY_DSN` / `dsn`. */
  dsn: string;
  /** `CONSENTRY_VERSION` / `version`: the bot's version (`service.version`, release). Default `0.0.0`. */
  version: string;
  /** `CONSENTRY_ENVIRONMENT` / `environment`. Default `production`. */
  environment: string;
  /** `CONSENTRY_DIR` / `dir`: the consent store folder (also the crash outbox's). Default `./.consentry`. */
  dir: string;
  /** `CONSENTRY_TRACES_SAMPLE_RATE` / `tracesSampleRate`, 0..1. Default 1. */
  tracesSampleRate: number;
  /** `CONSENTRY_POLICY_VERSION` / `policyVersion`: as given to `createTelemetry`. Default 1. */
  policyVersion: number;
  /** `CONSENTRY_BOT_TOKEN_ENV` / `botTokenEnv`: the variable holding the bot token, to scrub it. Default `DISCORD_TOKEN`. */
  botTokenEnv: string;
  /** `CONSENTRY_SPAN_TRANSPORT` / `spanTransport`: `auto` (default), `otlp` or `envelope`, as in `createTelemetry`. */
  spanTransport: SpanTransport;
}

export const CONFIG_FILE = 'consentry.config.json';

type Env = Readonly<Record<string, string | undefined>>;

const FIELDS = {
  suite: 'CONSENTRY_SUITE',
  dsn: 'CONSENTRY_DSN',
  version: 'CONSENTRY_VERSION',
  environment: 'CONSENTRY_ENVIRONMENT',
  dir: 'CONSENTRY_DIR',
  tracesSampleRate: 'CONSENTRY_TRACES_SAMPLE_RATE',
  policyVersion: 'CONSENTRY_POLICY_VERSION',
  botTokenEnv: 'CONSENTRY_BOT_TOKEN_ENV',
  spanTransport: 'CONSENTRY_SPAN_TRANSPORT',
} as const;

/**
 * Reads the configuration; undefined when there is none at all (no file, no `CONSENTRY_SUITE`/`CONSENTRY_DSN`).
 * Throws {@link ProcessConfigError} naming the wrong setting, where it came from and the fix. A key of the file that
 * is no setting (`polcyVersion`) is told to `warn` with the closest setting's name, once.
 */
export function readProcessConfig(
  env: Env,
  cwd: string,
  warn: (message: string) => void = consoleLogger.warn,
): ProcessConfig | undefined {
  const fileName = env.CONSENTRY_CONFIG ?? CONFIG_FILE;
  const filePath = isAbsolute(fileName) ? fileName : join(cwd, fileName);
  let file: Record<string, unknown> = {};
  if (existsSync(filePath)) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(filePath, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      file = parsed as Record<string, unknown>;
      reportUnknownOptions(file, FIELDS, filePath, { logger: { warn } });
    } catch (error) {
      throw new ProcessConfigError(
        'config',
        `${filePath} is not a JSON object (${(error as Error).message}); fix it, e.g. { "suite": "my-bot", "dsn": "https://<key>@o0.ingest.sentry.io/<project>" }`,
      );
    }
  } else if (env.CONSENTRY_CONFIG !== undefined) {
    throw new ProcessConfigError(
      'config',
      `CONSENTRY_CONFIG names ${filePath}, which does not exist; fix the path or unset it`,
    );
  }
  const pick = (field: keyof typeof FIELDS): { value: unknown; from: string } => {
    const fromEnv = env[FIELDS[field]];
    if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, from: FIELDS[field] };
    if (field in file) return { value: file[field], from: `"${field}" in ${filePath}` };
    return { value: undefined, from: `${FIELDS[field]} (or "${field}" in ${fileName})` };
  };
  const suite = pick('suite');
  const dsn = pick('dsn');
  if (suite.value === undefined && dsn.value === undefined) return undefined;

  const text = (field: keyof typeof FIELDS, fallback?: string): string => {
    const { value, from } = pick(field);
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ProcessConfigError(field, `${from} must be a non-empty string; got ${showValue(value)}`);
    }
    return value;
  };
  const number = (field: keyof typeof FIELDS, fallback: number, ok: (n: number) => boolean, rule: string): number => {
    const { value, from } = pick(field);
    if (value === undefined) return fallback;
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n !== 'number' || !ok(n)) {
      throw new ProcessConfigError(field, `${from} must be ${rule}; got ${JSON.stringify(value)}`);
    }
    return n;
  };

  const config: ProcessConfig = {
    suite: text('suite'),
    dsn: text('dsn'),
    version: text('version', '0.0.0'),
    environment: text('environment', 'production'),
    dir: text('dir', './.consentry'),
    tracesSampleRate: number('tracesSampleRate', 1, (n) => n >= 0 && n <= 1, 'a number from 0 to 1'),
    policyVersion: number('policyVersion', 1, (n) => Number.isSafeInteger(n) && n >= 1, 'a whole number from 1'),
    botTokenEnv: text('botTokenEnv', 'DISCORD_TOKEN'),
    spanTransport: 'auto',
  };
  const transport = pick('spanTransport');
  if (transport.value !== undefined) {
    if (!isSpanTransport(transport.value)) {
      throw new ProcessConfigError(
        'spanTransport',
        `${transport.from} must be one of ${SPAN_TRANSPORTS.map((t) => `'${t}'`).join(', ')}; got ${showValue(transport.value)}`,
      );
    }
    config.spanTransport = transport.value;
  }
  const suiteProblem = suiteNameProblem(config.suite);
  if (suiteProblem) throw new ProcessConfigError('suite', `${suite.from}: ${suiteProblem}`);
  // The same rule as createTelemetry's; from here on only the canonical form (no trailing slash) is used.
  const checked = checkDsn(config.dsn);
  if (!checked.ok) {
    throw new ProcessConfigError(
      'dsn',
      `${dsn.from}: dsn is not a valid Sentry DSN: it ${checked.problem} (got ${JSON.stringify(redactDsn(config.dsn))}); ${DSN_FIX}`,
    );
  }
  config.dsn = checked.value.dsn;
  if (!isAbsolute(config.dir)) config.dir = join(cwd, config.dir);
  return config;
}
