import { randomUUID } from 'node:crypto';
import { type ConsentLevel, type ConsentStatus, createConsent } from '../consent/index.js';
import { type HostLogger, toHostLogger } from '../log/index.js';
import { createTracing, describeSpans, processTracing, type Tracing } from '../otel/index.js';
import { createScrubber } from '../scrub/index.js';
import { ConsentryConfigError, createSentRecord, fileStore } from '../store/index.js';
import { recordCodeFacts } from './code-facts.js';
import { createHandlerErrorHooks } from './commands.js';
import { exampleReport } from './example.js';
import { inertModule, inertTelemetry } from './inert.js';
import { INTERNALS, type TelemetryInternals } from './internals.js';
import { type ModuleContext, ModuleRuntime } from './module.js';
import { resolveModuleOptions } from './module-options.js';
import { type ResolvedOptions, resolveOptions, type TelemetryOptions } from './options.js';
import { createReports } from './reports.js';
import type { Telemetry } from './telemetry.js';

/**
 * The suite: one per plugin author, shared by all their modules. Never throws for a wrong option (it logs one line
 * and stays off) unless `strict: true`.
 */
export function createTelemetry(options: TelemetryOptions): Telemetry {
  const hostLogger = typeof options?.logger === 'object' && options.logger !== null ? options.logger : undefined;
  const logger = toHostLogger(hostLogger);
  let resolved: ResolvedOptions;
  try {
    resolved = resolveOptions(options);
  } catch (error) {
    if (!(error instanceof ConsentryConfigError) || options?.strict === true) throw error;
    logger.error(`${error.message} Telemetry stays off. (Pass strict: true to throw instead.)`);
    const suite = typeof options?.suite === 'string' ? options.suite : '';
    const policyVersion = Number.isSafeInteger(options?.policyVersion) && (options.policyVersion as number) > 0;
    return inertTelemetry(suite, policyVersion ? (options.policyVersion as number) : 0, error, hostLogger);
  }
  return liveTelemetry(resolved, logger, hostLogger);
}

function liveTelemetry(
  resolved: ResolvedOptions,
  logger: HostLogger,
  hostLogger: Partial<HostLogger> | undefined,
): Telemetry {
  const { suite, dsn } = resolved;
  const store = resolved.store ?? fileStore({ logger });
  store.setDefaultLogger?.(logger);
  const consent = createConsent({
    suite,
    store,
    env: resolved.env,
    level: resolved.level,
    policyVersion: resolved.policyVersion,
    logger,
  });
  const scrubber = createScrubber({ botToken: resolved.botToken });
  const debug = resolved.env.CONSENTRY_DEBUG === '1' || resolved.env.CONSENTRY_DEBUG === 'true';
  // Per process, and new with each new user id (forget()): a session id must not link the two identities.
  let sessionId = randomUUID();
  const modules = new Map<string, ModuleRuntime>();
  const moduleListeners = new Set<(module: ModuleRuntime) => void>();
  const handlerHooks = createHandlerErrorHooks();

  // Read on every span start: kept here so the hot path does not recompute the status.
  let level: ConsentLevel = consent.current().level;
  let userId: string | null = null;
  const follow = (status: ConsentStatus) => {
    level = status.level;
    if (userId !== null && status.userId !== null && status.userId !== userId) {
      sessionId = randomUUID();
      if (context.reporterOptions) context.reporterOptions.sessionId = sessionId;
    }
    userId = status.userId;
    for (const module of modules.values()) module.sync(level, userId);
  };
  const unsubscribe = consent.subscribe(follow);
  consent.ready.then(() => {
    follow(consent.current());
    recordCodeFacts(consent, { policyVersion: resolved.policyVersion, level: resolved.level });
  });
  const sent = createSentRecord({ suite, store, logger });

  const reports = createReports({
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

  const context: ModuleContext = {
    suite,
    hostLogger,
    reporterOptions: dsn
      ? {
          dsn,
          suite,
          sessionId,
          scrubber,
          logger,
          debug,
          onSent: sent.recordSent,
        }
      : undefined,
    keepReport: (report) => void reports.add(report),
    handlerHooks,
    strict: resolved.strict,
  };

  const tracingFor = (name: string, version: string): Tracing | undefined =>
    dsn
      ? // Process mode (the preload, for this suite): its global pipeline, so HTTP requests in tasks become children.
        (processTracing(suite, () => level) ??
        createTracing({
          dsn,
          scrubber,
          getLevel: () => level,
          tracesSampleRate: resolved.tracesSampleRate,
          resource: { suite, module: name, version },
          debug,
          logger,
          onSent: (request) => sent.recordSent(describeSpans(name, request)),
        }))
      : undefined;

  const internals: TelemetryInternals = {
    suite,
    store,
    consent,
    scrubber,
    logger,
    get sessionId() {
      return sessionId;
    },
    policyVersion: resolved.policyVersion,
    docsUrl: resolved.docsUrl,
    modules: () => [...modules.values()],
    onModule(listener) {
      moduleListeners.add(listener);
      return () => moduleListeners.delete(listener);
    },
    handlerHooks,
    async example(tags) {
      const { userId } = await consent.status();
      const module = modules.values().next().value ?? { name: 'example', version: '0.0.0' };
      return context.reporterOptions && userId
        ? exampleReport(context.reporterOptions, module, userId, tags)
        : undefined;
    },
  };

  let shutdown: Promise<void> | undefined;
  const telemetry: Telemetry = {
    suite,
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
    module(moduleOptions) {
      let checked: ReturnType<typeof resolveModuleOptions>;
      try {
        checked = resolveModuleOptions(suite, moduleOptions);
      } catch (error) {
        if (!(error instanceof ConsentryConfigError) || resolved.strict) throw error;
        logger.error(`${error.message} This module sends nothing. (Pass strict: true to throw instead.)`);
        return inertModule(String((moduleOptions as { name?: unknown })?.name ?? 'module'), hostLogger);
      }
      const existing = modules.get(checked.name);
      if (existing) {
        if (existing.version !== checked.version) {
          logger.warn(
            `consentry: ${suite}: module '${checked.name}' was registered again with version ${checked.version}; keeping ${existing.version}`,
          );
        }
        return existing;
      }
      const runtime = new ModuleRuntime(
        context,
        checked.name,
        checked.version,
        { commit: checked.commit, root: checked.root },
        tracingFor(checked.name, checked.version),
      );
      modules.set(checked.name, runtime);
      runtime.sync(level, userId);
      for (const listener of [...moduleListeners]) {
        try {
          listener(runtime);
        } catch {
          // An adapter's listener must not break module registration.
        }
      }
      return runtime;
    },
    async flush(timeoutMs = 2_000) {
      const results = await Promise.all(
        [...modules.values()].map((module) => module.flush(timeoutMs).catch(() => false)),
      );
      await sent.flush();
      return results.every(Boolean);
    },
    /** Closes the store too (also one passed in `store`): give each suite its own store. */
    shutdown() {
      shutdown ??= (async () => {
        unsubscribe();
        await Promise.all([...modules.values()].map((module) => module.close()));
        reports.close();
        await sent.flush();
        await consent.close();
        await store.close();
      })();
      return shutdown;
    },
  };
  Object.defineProperty(telemetry, INTERNALS, { value: internals, enumerable: false });
  return telemetry;
}
