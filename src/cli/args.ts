import { parseArgs } from 'node:util';
import { CONSENT_LEVELS, type ConsentLevel, isConsentLevel } from '../consent/index.js';
import { suiteNameProblem } from '../store/index.js';

export const USAGE = `Usage: consentry <command> [options]

Commands:
  status [--suite S]                     every suite in the store, or one: level, what decided it and why,
                                         policy version, user id, kept reports, last request sent
  set <off|manual|errors|all> --suite S  record the owner's choice (as the Discord buttons do)
  forget --suite S                       a new random user id; kept reports and the record of what was sent dropped
  reports --suite S                      the kept error reports (level manual)
  reports preview CODE --suite S         the exact JSON that \`reports send CODE\` sends
  reports send CODE --suite S            send that one report to the suite's Sentry now
  reports drop CODE --suite S            delete that report without sending it
  sent --suite S                         the record of what was sent, newest first (7 days, at most 200)

Options:
  --suite S      the suite (the plugin author's name, as in /<suite>-telemetry)
  --dir PATH     the bot's file store folder (default: ./.consentry, as the library)
  --redis URL    the bot's Redis store instead (or the environment variable CONSENTRY_REDIS_URL)
  --json         stable JSON on stdout instead of a table
  -h, --help     this text

Exit codes: 0 done; 1 refused or failed (one line on stderr says why); 2 usage error.
`;

/** A wrong command line: exit code 2 with the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type ReportAction = 'list' | 'preview' | 'send' | 'drop';

export type Command =
  | { name: 'help' }
  | { name: 'status'; suite: string | undefined }
  | { name: 'set'; suite: string; level: ConsentLevel }
  | { name: 'forget'; suite: string }
  | { name: 'reports'; suite: string; action: ReportAction; code: string | undefined }
  | { name: 'sent'; suite: string };

export type Location = { kind: 'file'; dir: string | undefined } | { kind: 'redis'; url: string };

export interface CliArgs {
  command: Command;
  location: Location;
  json: boolean;
}

export function parseCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const json = values.json === true;
  if (values.help) return { command: { name: 'help' }, location: { kind: 'file', dir: undefined }, json };
  const [name, ...rest] = positionals;
  if (name === undefined) throw new UsageError('a command is missing');
  if (name === 'help') return { command: { name: 'help' }, location: { kind: 'file', dir: undefined }, json };

  const location = parseLocation(values, env);

  const suite = values.suite;
  if (suite !== undefined) {
    const problem = suiteNameProblem(suite);
    if (problem) throw new UsageError(`--suite ${problem}`);
  }
  return { command: parseCommand(name, rest, suite), location, json };
}

/** The positionals after the command's name, checked against what that command takes. */
function parseCommand(name: string, rest: readonly string[], suite: string | undefined): Command {
  const needSuite = (): string => {
    if (suite === undefined) throw new UsageError(`\`${name}\` needs --suite S`);
    return suite;
  };
  const noMore = (count: number) => {
    if (rest.length > count) throw new UsageError(`unexpected argument ${JSON.stringify(rest[count])}`);
  };

  switch (name) {
    case 'status':
      noMore(0);
      return { name, suite };
    case 'set': {
      const level = rest[0]?.toLowerCase();
      if (!isConsentLevel(level)) {
        throw new UsageError(`\`set\` needs a level: one of ${CONSENT_LEVELS.join(', ')}`);
      }
      noMore(1);
      return { name, suite: needSuite(), level };
    }
    case 'forget':
    case 'sent':
      noMore(0);
      return { name, suite: needSuite() };
    case 'reports': {
      const action = rest[0] ?? 'list';
      if (action === 'list') {
        noMore(rest.length === 0 ? 0 : 1);
        return { name, suite: needSuite(), action, code: undefined };
      }
      if (action !== 'preview' && action !== 'send' && action !== 'drop') {
        throw new UsageError(`\`reports\` takes preview, send or drop CODE; got ${JSON.stringify(action)}`);
      }
      const code = rest[1]?.trim().toUpperCase();
      if (!code) throw new UsageError(`\`reports ${action}\` needs the report's CODE, e.g. 7K2Q9D`);
      noMore(2);
      return { name, suite: needSuite(), action, code };
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(name)}`);
  }
}

/** `--dir`, `--redis` or CONSENTRY_REDIS_URL: the store the command works on. */
function parseLocation(
  values: ReturnType<typeof parse>['values'],
  env: Readonly<Record<string, string | undefined>>,
): Location {
  if (values.dir !== undefined && values.redis !== undefined) {
    throw new UsageError('give --dir (file store) or --redis (Redis store), not both');
  }
  if (values.dir !== undefined && values.dir.trim() === '') throw new UsageError('--dir needs a folder path');
  const redisUrl =
    values.redis ?? (values.dir === undefined ? env.CONSENTRY_REDIS_URL?.trim() || undefined : undefined);
  if (redisUrl !== undefined && !/^rediss?:\/\/./.test(redisUrl)) {
    const from = values.redis === undefined ? 'CONSENTRY_REDIS_URL' : '--redis';
    throw new UsageError(`${from} must be a URL starting with redis:// or rediss://, e.g. redis://127.0.0.1:6379`);
  }
  return redisUrl !== undefined ? { kind: 'redis', url: redisUrl } : { kind: 'file', dir: values.dir };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      suite: { type: 'string' },
      dir: { type: 'string' },
      redis: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
