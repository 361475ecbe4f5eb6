import { resolve } from 'node:path';
import type { Env } from '../consent/index.js';
import type { HostLogger } from '../log/index.js';
import { DEFAULT_STORE_DIR, fileStore, redisStore, type Store } from '../store/index.js';
import { type Location, parseCli, USAGE, UsageError } from './args.js';
import { runCommand } from './commands.js';
import { failureLine } from './failure.js';
import { visible } from './visible.js';

export interface CliIo {
  env: Env;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Runs `consentry …` and resolves with its exit code: 0 done, 1 refused or failed, 2 usage error. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args: ReturnType<typeof parseCli>;
  try {
    args = parseCli(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`consentry: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.command.name === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  // Store warnings (an outage, a corrupt file) become the command's own one line.
  const logger: HostLogger = { debug() {}, info() {}, warn() {}, error() {} };
  const { store, where } = openStore(args.location, logger);
  try {
    const output = await runCommand(args.command, { store, where, env: io.env, logger });
    io.stdout(`${visible(args.json ? JSON.stringify(output.json, null, 2) : output.human)}\n`);
    return 0;
  } catch (error) {
    io.stderr(`${visible(failureLine(error, where))}\n`);
    return 1;
  } finally {
    await store.close().catch(() => {});
  }
}

function openStore(location: Location, logger: HostLogger): { store: Store; where: string } {
  if (location.kind === 'redis') {
    return {
      store: redisStore({ url: location.url, logger, quarantine: false }),
      where: redactedUrl(location.url),
    };
  }
  const dir = resolve(location.dir ?? DEFAULT_STORE_DIR);
  return { store: fileStore({ dir, logger, quarantine: false }), where: dir };
}

function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the Redis URL';
  }
}
