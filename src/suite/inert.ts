import type { ConsentStatus } from '../consent/index.js';
import type { ConsentryConfigError } from '../store/index.js';
import type { Telemetry } from './telemetry.js';

/** A telemetry that stays off because its options are wrong; it never touches a store and never sends. */
export function inertTelemetry(suite: string, policyVersion: number, error: ConsentryConfigError): Telemetry {
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
    shutdown: async () => {},
  };
}
