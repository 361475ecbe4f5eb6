import type { ConsentController } from '../consent/index.js';
import { INTERNALS_KEY } from '../global-keys.js';
import type { HostLogger } from '../log/index.js';
import type { Scrubber } from '../scrub/index.js';
import type { Store } from '../store/index.js';
import type { HandlerErrorHooks } from './commands.js';
import type { ModuleRuntime } from './module.js';
import type { Telemetry } from './telemetry.js';

export interface TelemetryInternals {
  suite: string;
  store: Store;
  consent: ConsentController;
  scrubber: Scrubber;
  logger: HostLogger;
  sessionId: string;
  policyVersion: number;
  docsUrl: string | undefined;
  /** `createTelemetry({ strict })`: wrong options of the parts attached to it (e.g. attachDiscord) throw too. */
  strict: boolean;
  modules(): ModuleRuntime[];
  /** Called with each module registered from now on; returns unsubscribe. */
  onModule(listener: (module: ModuleRuntime) => void): () => void;
  /** Where a chat adapter hooks into `mod.command()` / `mod.listener()` errors. */
  handlerHooks: HandlerErrorHooks;
  /** A made-up error run through the real pipeline at `manual` (nothing sent): the exact JSON an event would be. */
  example(tags?: Record<string, string>): Promise<string | undefined>;
}

/** The internals of a live telemetry, or undefined for one that stays off because of a configuration error. */
export function internalsOf(telemetry: Telemetry): TelemetryInternals | undefined {
  return (telemetry as unknown as { [INTERNALS_KEY]?: TelemetryInternals })[INTERNALS_KEY];
}
