import type { ConsentStatus } from '../consent/index.js';
import type { ConsentryConfigError } from '../errors/index.js';
import type { HostLogger } from '../log/index.js';
import { createModuleLogger } from '../sentry/index.js';
import { createTaskApi } from '../tasks/index.js';
import { createCommandApi } from './commands.js';
import type { TelemetryModule } from './module.js';
import { moduleNameOf } from './module-options.js';
import type { Telemetry } from './telemetry.js';

/** A module that logs to the bot's logger and sends nothing: what a module with wrong options gets. */
export function inertModule(name: string, hostLogger: Partial<HostLogger> | undefined): TelemetryModule {
  const logger = createModuleLogger(hostLogger, { module: name, addBreadcrumb: () => {} });
  const captureError = () => ({ status: 'dropped', reason: 'off' }) as const;
  return {
    name,
    version: '0.0.0',
    logger,
    captureError,
    ...createTaskApi({ suite: '', module: name, version: '0.0.0', tracing: undefined, captureError, logger }),
    ...createCommandApi({ module: name, captureError }),
  };
}

/** A telemetry that stays off because its options are wrong; it never touches a store and never sends. */
export function inertTelemetry(
  suite: string,
  policyVersion: number,
  error: ConsentryConfigError,
  hostLogger: Partial<HostLogger> | undefined,
): Telemetry {
  const status: ConsentStatus = {
    level: 'off',
    source: 'code',
    reason: `Telemetry is off because of a configuration error: ${error.message.replace(/^consentry: /, '')}`,
    policyVersion,
    userId: null,
    ownerLevel: null,
    decidedAt: null,
    decidedBy: null,
    decidedPolicyVersion: null,
    locked: true,
  };
  return {
    suite,
    consent: {
      status: async () => ({ ...status }),
      set: async () => Promise.reject(error),
      forget: async () => Promise.reject(error),
      subscribe: () => () => {},
    },
    reports: {
      list: () => [],
      preview: () => undefined,
      send: async () => Promise.reject(error),
    },
    sent: { list: async () => [] },
    module: (options) => inertModule(moduleNameOf(options), hostLogger),
    flush: async () => true,
    shutdown: async () => {},
  };
}
