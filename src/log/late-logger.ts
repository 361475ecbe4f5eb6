import { consoleLogger, type HostLogger, toHostLogger } from './logger.js';

/**
 * The logger of a component created before its host's logger exists (a store passed to `createTelemetry`): the one
 * given at creation if any, else the console until `setDefault` hands over another. `log` always calls the current one.
 */
export function lateBoundLogger(given: Partial<HostLogger> | undefined): {
  log: HostLogger;
  setDefault(logger: HostLogger): void;
} {
  const explicit = given ? toHostLogger(given) : undefined;
  let fallback: HostLogger = consoleLogger;
  const current = () => explicit ?? fallback;
  return {
    log: {
      debug: (message) => current().debug(message),
      info: (message) => current().info(message),
      warn: (message) => current().warn(message),
      error: (message) => current().error(message),
    },
    setDefault(logger) {
      fallback = logger;
    },
  };
}
