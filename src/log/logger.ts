export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Anything with pino/console-like methods. Extra arguments are passed through untouched. */
export interface HostLogger {
  debug(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

const PREFIX = '[consentry]';

export const consoleLogger: HostLogger = {
  debug: (message, ...rest) => console.debug(`${PREFIX} ${message}`, ...rest),
  info: (message, ...rest) => console.info(`${PREFIX} ${message}`, ...rest),
  warn: (message, ...rest) => console.warn(`${PREFIX} ${message}`, ...rest),
  error: (message, ...rest) => console.error(`${PREFIX} ${message}`, ...rest),
};

/** Accepts a partial logger (e.g. one without `debug`) and never lets a broken logger throw into the bot. */
export function toHostLogger(logger: Partial<HostLogger> | undefined): HostLogger {
  if (!logger) return consoleLogger;
  const wrap =
    (level: LogLevel) =>
    (message: string, ...rest: unknown[]) => {
      try {
        const fn = logger[level] ?? logger.info;
        fn?.call(logger, message, ...rest);
      } catch {
        // A logger that throws must not take the bot down.
      }
    };
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}

/**
 * Logs a condition once until it clears: `report(key, …)` logs the first time a key is seen,
 * `clear(key)` re-arms it (e.g. when an outage ends), so an outage gives one line, not one per event.
 */
export function onceLogger(logger: HostLogger) {
  const active = new Set<string>();
  return {
    report(key: string, level: LogLevel, message: string): boolean {
      if (active.has(key)) return false;
      active.add(key);
      logger[level](message);
      return true;
    },
    clear(key: string): boolean {
      return active.delete(key);
    },
    isActive(key: string): boolean {
      return active.has(key);
    },
  };
}
