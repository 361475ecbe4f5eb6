import { type HostLogger, type LogLevel, toHostLogger } from '../log/index.js';
import { isPlainObject } from '../values/index.js';
import type { ModuleBreadcrumb } from './reporter.js';

/** A module's logger: writes to the host's logger and keeps the newest entries as the module's breadcrumbs. */
export interface ModuleLogger {
  debug(message: string, data?: unknown): void;
  info(message: string, data?: unknown): void;
  warn(message: string, data?: unknown): void;
  error(message: string, data?: unknown): void;
}

const BREADCRUMB_LEVEL = { debug: 'debug', info: 'info', warn: 'warning', error: 'error' } as const;

/**
 * `host` is the bot's logger (console by default; pino, winston or anything with these methods). Lines go to
 * it unchanged but for a `[module]` prefix; the reporter keeps each one, scrubbed, as a breadcrumb.
 */
export function createModuleLogger(
  host: Partial<HostLogger> | undefined,
  reporter: { readonly module: string; addBreadcrumb(breadcrumb: ModuleBreadcrumb): void },
): ModuleLogger {
  const out = host ? toHostLogger(host) : plainConsole;
  const prefix = `[${reporter.module}]`;
  const write = (level: LogLevel) => (message: string, data?: unknown) => {
    const text = typeof message === 'string' ? message : String(message);
    if (data === undefined) out[level](`${prefix} ${text}`);
    else out[level](`${prefix} ${text}`, data);
    try {
      reporter.addBreadcrumb({
        category: 'log',
        level: BREADCRUMB_LEVEL[level],
        message: text,
        ...(data === undefined
          ? {}
          : { data: isPlainObject(data) && !(data instanceof Error) ? data : { value: data } }),
      });
    } catch {
      // Telemetry never breaks logging.
    }
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

// Not consoleLogger: a module's own lines must not carry consentry's prefix.
const plainConsole = toHostLogger({
  debug: (message, ...rest) => console.debug(message, ...rest),
  info: (message, ...rest) => console.info(message, ...rest),
  warn: (message, ...rest) => console.warn(message, ...rest),
  error: (message, ...rest) => console.error(message, ...rest),
});
