import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { HostLogger } from '../log/index.js';
import { createTracing, describeSpans, processTracing, type SendTransaction, type Tracing } from '../otel/index.js';
import type { Scrubber } from '../scrub/index.js';
import type { SentRecord } from '../store/index.js';
import type { ConsentSync } from './consent-sync.js';
import type { ModuleRuntime } from './module.js';
import type { ResolvedOptions } from './options.js';

/** One span pipeline for the whole suite (each span carries its module's release): made with the first module. */
export interface SuiteTracing {
  /** The pipeline, made on first call; undefined without a DSN or when it could not be made. */
  open(): Tracing | undefined;
  /** The pipeline if it was made. */
  current(): Tracing | undefined;
  /** A root span names its module (scrubbed, like everything in the span): its client sends the transaction. */
  addModule(scrubbedName: string, module: ModuleRuntime): void;
}

export function suiteTracing(deps: {
  resolved: ResolvedOptions;
  scrubber: Scrubber;
  logger: HostLogger;
  debug: boolean;
  sync: ConsentSync;
  sent: SentRecord;
}): SuiteTracing {
  const { resolved, scrubber, logger, debug, sync, sent } = deps;
  const { suite, dsn } = resolved;
  let tracing: Tracing | undefined;
  const byScrubbedName = new Map<string, ModuleRuntime>();
  const sendTransaction: SendTransaction = (event, moduleName) => {
    const module = moduleName === undefined ? undefined : byScrubbedName.get(moduleName);
    return module ? module.sendTransaction(event) : false;
  };
  const keep = sync.keep;
  return {
    open() {
      if (!dsn) return undefined;
      try {
        tracing ??=
          // Process mode (the preload, for this suite): its global pipeline, so HTTP requests in tasks become children.
          processTracing(suite, () => sync.level, { sendTransaction, keep }) ??
          createTracing({
            dsn,
            scrubber,
            getLevel: () => sync.level,
            tracesSampleRate: resolved.tracesSampleRate,
            resource: { suite },
            debug,
            logger,
            spanTransport: resolved.spanTransport,
            sendTransaction,
            keep,
            onSent: (request) => sent.recordSent(describeSpans(modulesOf(suite, request.spans), request)),
          });
      } catch (error) {
        // Every option was checked before, so this is a bug; the modules still work, without spans.
        logger.error(`consentry: ${suite}: no spans are sent: ${(error as Error)?.message ?? String(error)}`);
      }
      return tracing;
    },
    current: () => tracing,
    addModule(scrubbedName, module) {
      byScrubbedName.set(scrubbedName, module);
    },
  };
}

/** The modules whose spans a batch carries, for the owner's record of what was sent. */
function modulesOf(suite: string, spans: readonly ReadableSpan[]): string {
  const names = new Set<string>();
  for (const span of spans) {
    const name = span.attributes['consentry.module'];
    if (typeof name === 'string') names.add(name);
  }
  return names.size === 0 ? suite : [...names].join(', ');
}
