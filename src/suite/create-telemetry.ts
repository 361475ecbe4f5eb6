import { createConsent } from '../consent/index.js';
import { toHostLogger } from '../log/index.js';
import { ConsentryConfigError, fileStore } from '../store/index.js';
import { inertTelemetry } from './inert.js';
import { type ResolvedOptions, resolveOptions, type TelemetryOptions } from './options.js';
import type { Telemetry } from './telemetry.js';

/**
 * The suite: one per plugin author, shared by all their modules. Never throws for a wrong option (it logs one line
 * and stays off) unless `strict: true`.
 */
export function createTelemetry(options: TelemetryOptions): Telemetry {
  const logger = toHostLogger(typeof options?.logger === 'object' ? options.logger : undefined);
  let resolved: ResolvedOptions;
  try {
    resolved = resolveOptions(options);
  } catch (error) {
    if (!(error instanceof ConsentryConfigError) || options?.strict === true) throw error;
    logger.error(`${error.message} Telemetry stays off. (Pass strict: true to throw instead.)`);
    const suite = typeof options?.suite === 'string' ? options.suite : '';
    const policyVersion = Number.isSafeInteger(options?.policyVersion) && (options.policyVersion as number) > 0;
    return inertTelemetry(suite, policyVersion ? (options.policyVersion as number) : 0, error);
  }

  const store = resolved.store ?? fileStore({ logger });
  store.setDefaultLogger?.(logger);
  const consent = createConsent({
    suite: resolved.suite,
    store,
    env: resolved.env,
    level: resolved.level,
    policyVersion: resolved.policyVersion,
    logger,
  });

  let shutdown: Promise<void> | undefined;
  return {
    suite: resolved.suite,
    consent: {
      status: consent.status,
      set: consent.set,
      forget: consent.forget,
      subscribe: consent.subscribe,
    },
    /** Closes the store too (also one passed in `store`): give each suite its own store. */
    shutdown() {
      shutdown ??= (async () => {
        await consent.close();
        await store.close();
      })();
      return shutdown;
    },
  };
}
