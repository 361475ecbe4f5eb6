// Preload entry for process mode: `node --import consentry/instrumentation bot.js` (or `--require` for CommonJS).
// Never throws into the bot: a bad configuration gives one log line and process mode stays off.
import { consoleLogger } from '../src/log/index.js';
import { readProcessConfig } from './config.js';
import { type ProcessMode, startProcessMode } from './process-mode.js';

export { ProcessConfigError } from '../src/errors/index.js';
export { CONFIG_FILE, type ProcessConfig, readProcessConfig } from './config.js';
export type { ProcessMode } from './process-mode.js';

/** What the preload did: `undefined` when it is off (not configured, or a bad configuration). */
export const processMode: ProcessMode | undefined = start();

function start(): ProcessMode | undefined {
  try {
    const config = readProcessConfig(process.env, process.cwd());
    if (config === undefined) {
      consoleLogger.warn(
        'consentry/instrumentation: not configured (set CONSENTRY_SUITE and CONSENTRY_DSN, or write consentry.config.json); process mode is off',
      );
      return undefined;
    }
    return startProcessMode(config, process.env, consoleLogger);
  } catch (error) {
    consoleLogger.error(
      `consentry/instrumentation: ${(error as Error)?.message ?? String(error)}; process mode is off, the bot runs as without it`,
    );
    return undefined;
  }
}
