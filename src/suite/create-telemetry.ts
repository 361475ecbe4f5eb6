import { type ConsentController, createConsent } from '../consent/index.js';
import { ConsentryConfigError, configErrorWhen } from '../errors/index.js';
import { INTERNALS_KEY } from '../global-keys.js';
import { type HostLogger, type OptionNames, reportUnknownOptions, showValue, toHostLogger } from '../log/index.js';
import { createScrubber } from '../scrub/index.js';
import { createSentRecord, fileStore, guardStore, type Store } from '../store/index.js';
import { recordCodeFacts } from './code-facts.js';
import { createHandlerErrorHooks } from './commands.js';
import { consentSync } from './consent-sync.js';
import { exampleReport } from './example.js';
import { inertTelemetry } from './inert.js';
import type { TelemetryInternals } from './internals.js';
import type { LiveSuite } from './live-suite.js';
import type { ModuleContext, ModuleRuntime } from './module.js';
import { type ResolvedOptions, resolveOptions, type TelemetryOptions } from './options.js';
import { createReports } from './reports.js';
import { flushSuite, shutdownSuite } from './suite-lifecycle.js';
import { registerModule } from './suite-modules.js';
import { suiteTracing } from './suite-tracing.js';
import type { Telemetry } from './telemetry.js';

const TELEMETRY_OPTION_NAMES: OptionNames<TelemetryOptions> = {
  suite: true,
  dsn: true,
  policyVersion: true,
  docsUrl: true,
  store: true,
  level: true,
  tracesSampleRate: true,
  spanTransport: true,
  botToken: true,
  logger: true,
  env: true,
  strict: true,
};

/**
 * The suite: one per plugin author, shared by all their modules. Never throws for a wrong option (it logs one line
 * and stays off) unless `strict: true`.
 */
export function createTelemetry(options: TelemetryOptions): Telemetry {
  let resolved: ResolvedOptions;
  try {
    resolved = resolveOptions(options);
  } catch (caught) {
    const error =
      caught instanceof ConsentryConfigError
        ? caught
        : // A getter or Proxy that throws while the options are read.
          new ConsentryConfigError(
            'options',
            `consentry: createTelemetry: the options could not be read (${showValue((caught as Error)?.message ?? caught)}). Fix: pass a plain object such as { suite: 'acme-plugins', dsn, policyVersion: 1 }.`,
          );
    if (attempt(() => options?.strict === true, false)) throw error;
    const given = attempt(() => options?.logger, undefined);
    const hostLogger = typeof given === 'object' && given !== null ? given : undefined;
    toHostLogger(hostLogger).error(`${error.message} Telemetry stays off. (Pass strict: true to throw instead.)`);
    const suite = attempt(() => (typeof options?.suite === 'string' ? options.suite : ''), '');
    const policyVersion = attempt(() => options?.policyVersion, undefined);
    const known = typeof policyVersion === 'number' && Number.isSafeInteger(policyVersion) && policyVersion > 0;
    reportUnknownOptions(options, TELEMETRY_OPTION_NAMES, suite ? `createTelemetry('${suite}')` : 'createTelemetry', {
      logger: toHostLogger(hostLogger),
    });
    return inertTelemetry(suite, known ? policyVersion : 0, error, hostLogger);
  }
  const logger = toHostLogger(resolved.logger);
  reportUnknownOptions(options, TELEMETRY_OPTION_NAMES, `createTelemetry('${resolved.suite}')`, {
    logger,
    strict: configErrorWhen(resolved.strict),
  });
  return liveTelemetry(resolved, logger, resolved.logger);
}

function attempt<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/**
 * The running suite. The pieces: consent-sync (the level and user every module and span sees), suite-tracing (one
 * span pipeline), suite-modules (registration), suite-lifecycle (flush, shutdown), reports and the sent record.
 */
function liveTelemetry(
  resolved: ResolvedOptions,
  logger: HostLogger,
  hostLogger: Partial<HostLogger> | undefined,
): Telemetry {
  const { suite, dsn } = resolved;
  if (resolved.dsnProblem) {
    logger.error(`${resolved.dsnProblem} Nothing is sent until it is fixed. (Pass strict: true to throw instead.)`);
  }
  const store = suiteStore(resolved, logger);
  const { env, level, policyVersion } = resolved;
  const consent = createConsent({ suite, store, env, level, policyVersion, logger });
  const scrubber = createScrubber({ botToken: resolved.botToken });
  const debug = env.CONSENTRY_DEBUG === '1' || env.CONSENTRY_DEBUG === 'true';
  const modules = new Map<string, ModuleRuntime>();
  const handlerHooks = createHandlerErrorHooks();
  const sync = consentSync(consent.current().level, {
    modules: () => modules.values(),
    tracing: () => tracing.current(),
    sessionChanged(sessionId) {
      if (context.reporterOptions) context.reporterOptions.sessionId = sessionId;
    },
  });
  const sent = createSentRecord({ suite, store, logger });
  const tracing = suiteTracing({ resolved, scrubber, logger, debug, sync, sent });
  const unsubscribe = consent.subscribe(sync.follow);
  consent.ready.then(() => {
    sync.settle(consent.current());
    recordCodeFacts(consent, { policyVersion, level });
  });
  const reports = suiteReports(suite, store, logger, consent, modules);
  const context: ModuleContext = {
    suite,
    hostLogger,
    reporterOptions: dsn
      ? { dsn, suite, sessionId: sync.sessionId, scrubber, logger, debug, onSent: sent.recordSent }
      : undefined,
    keepReport: (report) => void reports.add(report),
    handlerHooks,
    strict: resolved.strict,
    identity: () => sync.identity,
  };
  const live: LiveSuite = {
    suite,
    resolved,
    logger,
    hostLogger,
    store,
    consent,
    scrubber,
    sync,
    tracing,
    sent,
    reports,
    context,
    modules,
    moduleListeners: new Set(),
    handlerHooks,
  };
  return suiteTelemetry(live, unsubscribe);
}

/** The suite's public object, with its internals for the Discord adapter and the CLI under `INTERNALS_KEY`. */
function suiteTelemetry(live: LiveSuite, unsubscribe: () => void): Telemetry {
  const { consent, reports, sent } = live;
  let shutdown: Promise<void> | undefined;
  const telemetry: Telemetry = {
    suite: live.suite,
    consent: {
      status: consent.status,
      set: consent.set,
      // A new identity also drops what could link to the old one: the kept reports and the record of what was sent.
      async forget() {
        const status = await consent.forget();
        await Promise.all([reports.clear(), sent.clear()]);
        return status;
      },
      subscribe: consent.subscribe,
    },
    reports: reports.reports,
    sent: { list: sent.list },
    module: (moduleOptions) => registerModule(live, moduleOptions),
    flush: (timeoutMs = 2_000) => flushSuite(live, timeoutMs),
    /** Closes the store too (also one passed in `store`): give each suite its own store. */
    shutdown() {
      shutdown ??= shutdownSuite(live, unsubscribe);
      return shutdown;
    },
  };
  Object.defineProperty(telemetry, INTERNALS_KEY, { value: suiteInternals(live), enumerable: false });
  return telemetry;
}

function suiteInternals(live: LiveSuite): TelemetryInternals {
  const { consent, modules, context } = live;
  return {
    suite: live.suite,
    store: live.store,
    consent,
    scrubber: live.scrubber,
    logger: live.logger,
    get sessionId() {
      return live.sync.sessionId;
    },
    policyVersion: live.resolved.policyVersion,
    docsUrl: live.resolved.docsUrl,
    strict: live.resolved.strict,
    modules: () => [...modules.values()],
    onModule(listener) {
      live.moduleListeners.add(listener);
      return () => live.moduleListeners.delete(listener);
    },
    handlerHooks: live.handlerHooks,
    async example(tags) {
      const { userId } = await consent.status();
      const module = modules.values().next().value ?? { name: 'example', version: '0.0.0' };
      return context.reporterOptions && userId
        ? exampleReport(context.reporterOptions, module, userId, tags)
        : undefined;
    },
  };
}

/** A store given by the bot may throw or answer garbage: guarded so that consent only ever sees rejections. */
function suiteStore(resolved: ResolvedOptions, logger: HostLogger): Store {
  const store = resolved.store ? guardStore(resolved.store) : fileStore({ logger });
  store.setDefaultLogger?.(logger);
  return store;
}

/** Errors kept at `manual`: sent by hand through their module's client, never at `off`. */
function suiteReports(
  suite: string,
  store: Store,
  logger: HostLogger,
  consent: ConsentController,
  modules: Map<string, ModuleRuntime>,
): ReturnType<typeof createReports> {
  return createReports({
    suite,
    store,
    logger,
    refusal: () => {
      const status = consent.current();
      return status.level === 'off' ? `the level is 'off'. ${status.reason}` : undefined;
    },
    sendPrepared: (report) => {
      const module = modules.get(report.module) ?? modules.values().next().value;
      return module ? module.sendPrepared(report) : Promise.resolve(undefined);
    },
  });
}
