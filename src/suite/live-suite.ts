import type { ConsentController } from '../consent/index.js';
import type { HostLogger } from '../log/index.js';
import type { Scrubber } from '../scrub/index.js';
import type { SentRecord, Store } from '../store/index.js';
import type { HandlerErrorHooks } from './commands.js';
import type { ConsentSync } from './consent-sync.js';
import type { ModuleContext, ModuleRuntime } from './module.js';
import type { ResolvedOptions } from './options.js';
import type { createReports } from './reports.js';
import type { SuiteTracing } from './suite-tracing.js';

/** What the pieces of a running suite share (see create-telemetry). */
export interface LiveSuite {
  readonly suite: string;
  readonly resolved: ResolvedOptions;
  readonly logger: HostLogger;
  readonly hostLogger: Partial<HostLogger> | undefined;
  readonly store: Store;
  readonly consent: ConsentController;
  readonly scrubber: Scrubber;
  readonly sync: ConsentSync;
  readonly tracing: SuiteTracing;
  readonly sent: SentRecord;
  readonly reports: ReturnType<typeof createReports>;
  readonly context: ModuleContext;
  readonly modules: Map<string, ModuleRuntime>;
  readonly moduleListeners: Set<(module: ModuleRuntime) => void>;
  readonly handlerHooks: HandlerErrorHooks;
}
