import { homedir, hostname, userInfo } from 'node:os';
import { ScrubberOptionsError } from '../errors/index.js';
import { DEFAULT_LIMITS, type ScrubLimits } from './limits.js';
import type { PersonalValues } from './rules/index.js';

export type BotTokenSource = string | readonly string[] | (() => string | readonly string[] | null | undefined);

export interface ScrubberOptions {
  /** The bot token(s) to remove: a string, several, or a function returning the current one(s). */
  botToken?: BotTokenSource | undefined;
  /**
   * Where CWD, HOME, USERPROFILE, USERNAME and the host name (COMPUTERNAME, HOSTNAME) come from. Default: `process.cwd()`, `process.env`, completed from
   * `node:os` (home directory, user name, host name). When given, only these values are used.
   */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** `'shorten'` (default): `[SHORTENED-ID-XXXX]`, the form the Red-DiscordBot cog consentry follows uses. `'hash'`: `[ID-xxxxxxxxxx]`, a keyed hash. */
  ids?: 'shorten' | 'hash' | undefined;
  /** Key for `ids: 'hash'`: the suite's local salt, which never leaves the machine. */
  salt?: string | undefined;
  /** Keep loopback and unspecified addresses (127.0.0.1, ::1, 0.0.0.0, ::). Default true: never personal data. */
  keepLoopback?: boolean | undefined;
  /** Override any of the bounds `value()` applies. */
  limits?: Partial<ScrubLimits> | undefined;
}

export interface ResolvedScrubberOptions {
  readTokens: () => readonly string[];
  personal: PersonalValues;
  ids: 'shorten' | 'hash';
  salt: string | undefined;
  keepLoopback: boolean;
  limits: ScrubLimits;
}

export function resolveScrubberOptions(options: ScrubberOptions = {}): ResolvedScrubberOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ScrubberOptionsError('options', 'createScrubber(options): options must be an object, e.g. { botToken }');
  }
  const ids = options.ids ?? 'shorten';
  if (ids !== 'shorten' && ids !== 'hash') {
    throw new ScrubberOptionsError(
      'ids',
      `createScrubber: ids must be 'shorten' or 'hash', got ${JSON.stringify(ids)}`,
    );
  }
  if (ids === 'hash' && (typeof options.salt !== 'string' || options.salt.length < 8)) {
    throw new ScrubberOptionsError(
      'salt',
      "createScrubber: ids: 'hash' needs a salt of at least 8 characters: pass { ids: 'hash', salt: <the suite's local salt> }",
    );
  }
  if (options.keepLoopback !== undefined && typeof options.keepLoopback !== 'boolean') {
    throw new ScrubberOptionsError('keepLoopback', 'createScrubber: keepLoopback must be true or false');
  }
  return {
    readTokens: tokenReader(options.botToken),
    personal: options.env ? pickPersonal(options.env) : personalFromProcess(),
    ids,
    salt: options.salt,
    keepLoopback: options.keepLoopback ?? true,
    limits: resolveLimits(options.limits),
  };
}

function tokenReader(source: BotTokenSource | undefined): () => readonly string[] {
  if (source === undefined || source === null) return () => [];
  if (typeof source === 'string') return constant([source]);
  if (Array.isArray(source)) {
    if (!source.every((t) => typeof t === 'string')) {
      throw new ScrubberOptionsError('botToken', 'createScrubber: botToken array must contain only strings');
    }
    return constant([...source]);
  }
  if (typeof source === 'function') {
    let last: readonly string[] = [];
    return () => {
      try {
        const value: unknown = source();
        const tokens =
          typeof value === 'string'
            ? [value]
            : Array.isArray(value)
              ? value.filter((token): token is string => typeof token === 'string')
              : [];
        // null or '' before login and after client.destroy() (the last token may still be in queued events), or
        // anything that is not a token: keep scrubbing with the last one we knew.
        if (tokens.some(Boolean)) last = tokens.filter(Boolean);
      } catch {
        // Keep scrubbing with the last token we knew: a failing getter must not let a token through.
      }
      return last;
    };
  }
  throw new ScrubberOptionsError(
    'botToken',
    'createScrubber: botToken must be a string, an array of strings, or a function returning the current token',
  );
}

function constant(tokens: readonly string[]): () => readonly string[] {
  return () => tokens;
}

function pickPersonal(env: Readonly<Record<string, string | undefined>>): PersonalValues {
  return {
    CWD: env.CWD,
    HOME: env.HOME,
    USERPROFILE: env.USERPROFILE,
    USERNAME: env.USERNAME,
    COMPUTERNAME: present([env.COMPUTERNAME, env.HOSTNAME]),
  };
}

function personalFromProcess(): PersonalValues {
  const env = process.env;
  return {
    CWD: attempt(() => process.cwd()),
    HOME: env.HOME ?? attempt(homedir),
    USERPROFILE: env.USERPROFILE,
    USERNAME: env.USERNAME ?? env.USER ?? env.LOGNAME ?? attempt(() => userInfo().username),
    COMPUTERNAME: present([env.COMPUTERNAME, env.HOSTNAME, attempt(hostname)]),
  };
}

function present(values: readonly (string | undefined)[]): string[] {
  return values.filter((value): value is string => typeof value === 'string' && value.length > 0);
}

function attempt(read: () => string): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function resolveLimits(overrides: Partial<ScrubLimits> | undefined): ScrubLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (!(key in DEFAULT_LIMITS)) {
      throw new ScrubberOptionsError(
        `limits.${key}`,
        `createScrubber: unknown limit "${key}"; known limits: ${Object.keys(DEFAULT_LIMITS).join(', ')}`,
      );
    }
    if (!Number.isInteger(value) || (value as number) < 1) {
      throw new ScrubberOptionsError(
        `limits.${key}`,
        `createScrubber: limits.${key} must be a positive integer, got ${String(value)}`,
      );
    }
    limits[key as keyof ScrubLimits] = value as number;
  }
  return limits;
}
