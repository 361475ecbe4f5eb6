import { randomUUID } from 'node:crypto';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { type ConsentLevel, type ConsentStatus, createConsent } from '../consent/index.js';
import { type HostLogger, type OptionNames, reportUnknownOptions, showValue, toHostLogger } from '../log/index.js';
import {
  createTracing,
  describeSpans,
  processTracing,
  type SendTransaction,
  type Tracing,
  USER_ID,
} from '../otel/index.js';
import { createScrubber } from '../scrub/index.js';
import { ConsentryConfigError, configErrorWhen, createSentRecord, fileStore, guardStore } from '../store/index.js';
import type { SpanIdentity } from '../tasks/index.js';
import { recordCodeFacts } from './code-facts.js';
import { createHandlerErrorHooks } from './commands.js';
import { exampleReport } from './example.js';
import { inertModule, inertTelemetry } from './inert.js';
import { INTERNALS, type TelemetryInternals } from './internals.js';
import { type ModuleContext, ModuleRuntime } from './module.js';
import { type ModuleOptions, moduleNameOf, resolveModuleOptions } from './module-options.js';
import { type ResolvedOptions, resolveOptions, type TelemetryOptions } from './options.js';
import { createReports } from './reports.js';
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
const MODULE_OPTION_NAMES: OptionNames<ModuleOptions> = { name: true, version: true, commit: true, root: true };

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

function liveTelemetry(
  resolved: ResolvedOptions,
  logger: HostLogger,
  hostLogger: Partial<HostLogger> | undefined,
): Telemetry {
  const { suite, dsn } = resolved;
  if (resolved.dsnProblem) {
    logger.error(`${resolved.dsnProblem} Nothing is sent until it is fixed. (Pass strict: true to throw instead.)`);
  }
  // A store given by the bot may throw or answer garbage: guarded so that consent only ever sees rejections.
  const store = resolved.store ? guardStore(resolved.store) : fileStore({ logger });
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
  // The user and session of the events, on every span; a new object when either changes (forget()).
  let identity: SpanIdentity | undefined;
  // User ids given up since the settings were read (forget(), here or on another shard): no span carries them out.
  // Before that, a first identity may still be replaced while processes agree on one: not a forget.
  const forgotten = new Set<string>();
  let settled = false;
  // One span pipeline for the whole suite (each span carries its module's release): made with the first module.
  let tracing: Tracing | undefined;
  const follow = (status: ConsentStatus) => {
    const previous = identity?.userId;
    const replaced = settled && previous !== undefined && previous !== status.userId;
    level = status.level;
    if (userId !== null && status.userId !== null && status.userId !== userId) {
      sessionId = randomUUID();
      if (context.reporterOptions) context.reporterOptions.sessionId = sessionId;
    }
    userId = status.userId;
    // The store may hand back an older document for a moment (a write seen late): an id that is current is not gone.
    if (userId !== null) forgotten.delete(userId);
    identity =
      userId === null
        ? undefined
        : identity?.userId === userId && identity.sessionId === sessionId
          ? identity
          : { userId, sessionId };
    for (const module of modules.values()) module.sync(level, userId);
    if (replaced) {
      forgotten.add(previous);
      if (forgotten.size > 16) forgotten.delete(forgotten.values().next().value as string);
      void tracing?.discard();
    } else {
      void tracing?.levelChanged();
    }
  };
  const unsubscribe = consent.subscribe(follow);
  consent.ready.then(() => {
    settled = true;
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
    identity: () => identity,
  };

  // A root span names its module (scrubbed, like everything in the span): its client sends the transaction.
  const byScrubbedName = new Map<string, ModuleRuntime>();
  const sendTransaction: SendTransaction = (event, moduleName) => {
    const module = moduleName === undefined ? undefined : byScrubbedName.get(moduleName);
    return module ? module.sendTransaction(event) : false;
  };

  // A span that started before forget() and ends after it still carries the old user id: it is dropped.
  const keep = (span: ReadableSpan) => {
    const spanUser = span.attributes[USER_ID];
    return typeof spanUser !== 'string' || !forgotten.has(spanUser);
  };

  // The modules whose spans a batch carries, for the owner's record of what was sent.
  const modulesOf = (spans: readonly ReadableSpan[]): string => {
    const names = new Set<string>();
    for (const span of spans) {
      const name = span.attributes['consentry.module'];
      if (typeof name === 'string') names.add(name);
    }
    return names.size === 0 ? suite : [...names].join(', ');
  };

  const suiteTracing = (): Tracing | undefined => {
    if (!dsn) return undefined;
    try {
      tracing ??=
        // Process mode (the preload, for this suite): its global pipeline, so HTTP requests in tasks become children.
        processTracing(suite, () => level, { sendTransaction, keep }) ??
        createTracing({
          dsn,
          scrubber,
          getLevel: () => level,
          tracesSampleRate: resolved.tracesSampleRate,
          resource: { suite },
          debug,
          logger,
          spanTransport: resolved.spanTransport,
          sendTransaction,
          keep,
          onSent: (request) => sent.recordSent(describeSpans(modulesOf(request.spans), request)),
        });
    } catch (error) {
      // Every option was checked above, so this is a bug; the modules still work, without spans.
      logger.error(`consentry: ${suite}: no spans are sent: ${(error as Error)?.message ?? String(error)}`);
    }
    return tracing;
  };

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
    strict: resolved.strict,
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
      reportUnknownOptions(moduleOptions, MODULE_OPTION_NAMES, `${suite}: telemetry.module()`, {
        logger,
        strict: configErrorWhen(resolved.strict),
      });
      let checked: ReturnType<typeof resolveModuleOptions>;
      try {
        checked = resolveModuleOptions(suite, moduleOptions);
      } catch (error) {
        if (!(error instanceof ConsentryConfigError) || resolved.strict) throw error;
        logger.error(`${error.message} This module sends nothing. (Pass strict: true to throw instead.)`);
        return inertModule(moduleNameOf(moduleOptions), hostLogger);
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
        suiteTracing(),
      );
      modules.set(checked.name, runtime);
      byScrubbedName.set(scrubber.string(checked.name), runtime);
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
      // Spans first: with envelope transport they leave through the modules' clients, flushed next.
      await tracing?.forceFlush();
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
        // Spans first (flushed, then the pipeline stops), then the modules' clients flush and close.
        await tracing?.shutdown().catch(() => {});
        await Promise.all([...modules.values()].map((module) => module.close().catch(() => {})));
        reports.close();
        // Called as the bot stops: a store that fails to close is one line, never a rejection that ends the bot.
        const closing = (what: string) => (error: unknown) =>
          logger.warn(
            `consentry: ${suite}: ${what} did not close cleanly: ${showValue((error as Error)?.message ?? error)}`,
          );
        await sent.flush().catch(closing('the record of what was sent'));
        await consent.close().catch(closing('the consent watcher'));
        await store.close().catch(closing(store.describe(suite)));
      })();
      return shutdown;
    },
  };
  Object.defineProperty(telemetry, INTERNALS, { value: internals, enumerable: false });
  return telemetry;
}
