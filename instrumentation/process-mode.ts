import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type ProxyTracerProvider, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { createConsent } from '../src/consent/index.js';
import type { HostLogger } from '../src/log/index.js';
import {
  AutoSpanExporter,
  ConsentSampler,
  describeSpans,
  EnvelopeSpanExporter,
  HttpSpansInstrumentation,
  OtlpHttpSpanExporter,
  OutageLog,
  ScrubbingSpanProcessor,
  type SendTransaction,
  sentryOtlpEndpoint,
  setProcessRegistry,
  suiteResource,
} from '../src/otel/index.js';
import { createScrubber } from '../src/scrub/index.js';
import {
  clearOutbox,
  createModuleReporter,
  type ModuleReporter,
  readOutbox,
  removeOutboxEntry,
  writeOutboxSync,
} from '../src/sentry/index.js';
import { createSentRecord, fileStore, requireOptional } from '../src/store/index.js';
import type { ProcessConfig } from './config.js';
import { flushBeforeExit } from './flush-before-exit.js';

/** The user id written into a crash that happened before the settings were read; replaced when it is sent. */
const UNKNOWN_USER = '00000000-0000-4000-8000-000000000000';
/** The reporter's module name for what process mode captures. */
export const PROCESS_MODULE = 'process';

export interface ProcessMode {
  readonly config: ProcessConfig;
  /** Whether the global tracer provider is ours (false when another one was registered first, or OTEL_SDK_DISABLED). */
  readonly tracing: boolean;
  /** The crash outbox folder: `<dir>/outbox/<suite>`. */
  readonly outbox: string;
  /** Resolves once the outbox was handled as the consent level says (sent, kept or deleted). */
  readonly ready: Promise<void>;
}

/**
 * Process mode: a global NodeSDK (our sampler, scrubbing processor and exporter; HTTP/undici spans from diagnostics
 * channels; no resource detectors, no propagators, no metrics or logs exporters from the environment), crash
 * capture into an outbox, and the outbox sent at the next start if consent allows. Gated by the same consent store
 * the bot's `createTelemetry()` uses.
 */
export function startProcessMode(config: ProcessConfig, env: NodeJS.ProcessEnv, logger: HostLogger): ProcessMode {
  const { suite, dsn } = config;
  // An optional peer dependency, loaded before anything starts so that without it nothing is half set up. The preload
  // runs as CommonJS (see package.json), where `require` resolves from this package.
  const { NodeSDK } = requireOptional(
    () => require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node'),
    '@opentelemetry/sdk-node',
    'process mode (consentry/instrumentation)',
  );
  const store = fileStore({ dir: config.dir, logger });
  const consent = createConsent({ suite, store, env, policyVersion: config.policyVersion, logger });
  const scrubber = createScrubber({ botToken: () => env[config.botTokenEnv] });
  const sessionId = randomUUID();
  const outbox = join(config.dir, 'outbox', suite);
  const sent = createSentRecord({ suite, store, logger });

  // Spans: only while the owner chose `all`; queued and in-flight spans dropped as soon as the level falls.
  let level = consent.current().level;
  const spansEnabled = () => level === 'all';
  const endpoint = sentryOtlpEndpoint(dsn);
  const target = `Sentry (${new URL(endpoint.url).host})`;
  const outage = new OutageLog(logger, target);
  const otlp = (onUnsupportedRoute?: (status: number, spans: ReadableSpan[]) => boolean) =>
    new OtlpHttpSpanExporter({
      url: endpoint.url,
      headers: endpoint.headers,
      enabled: spansEnabled,
      outage,
      onSent: (request) => sent.recordSent(describeSpans(PROCESS_MODULE, request)),
      ...(onUnsupportedRoute === undefined ? {} : { onUnsupportedRoute }),
    });
  // Envelopes leave through the clients of the suite's modules, once the bot's createTelemetry() registered them.
  let sendTransaction: SendTransaction | undefined;
  const envelopes = () =>
    new EnvelopeSpanExporter({
      send: (event, module) => sendTransaction?.(event, module) ?? false,
      enabled: spansEnabled,
      logger,
    });
  const exporter =
    config.spanTransport === 'otlp'
      ? otlp()
      : config.spanTransport === 'envelope'
        ? envelopes()
        : new AutoSpanExporter({ otlp, envelope: envelopes(), logger, suite, target });
  const transport = (): 'otlp' | 'envelope' =>
    exporter instanceof AutoSpanExporter
      ? exporter.transport
      : exporter instanceof EnvelopeSpanExporter
        ? 'envelope'
        : 'otlp';
  // The suite of the same name owns the identity its spans carry: it registers which spans to keep (none of a user
  // id since forgotten) and discards the queue when its user id changes.
  let keepSpan: ((span: ReadableSpan) => boolean) | undefined;
  const processor = new ScrubbingSpanProcessor({
    scrubber,
    exporter,
    enabled: spansEnabled,
    outage,
    keep: (span) => keepSpan?.(span) ?? true,
  });
  const discard = async () => {
    exporter.abortInFlight();
    await processor.dropQueued();
  };
  const follow = () => {
    level = consent.current().level;
    if (!spansEnabled()) void discard();
  };
  consent.subscribe(follow);

  const sdk = new NodeSDK({
    resource: suiteResource({ suite, version: config.version, environment: config.environment }),
    autoDetectResources: false,
    resourceDetectors: [],
    sampler: new ConsentSampler({ enabled: spansEnabled, ratio: config.tracesSampleRate }),
    spanProcessors: [processor],
    spanLimits: { attributeCountLimit: 64, attributeValueLengthLimit: 4096, eventCountLimit: 32, linkCountLimit: 32 },
    instrumentations: [new HttpSpansInstrumentation({ ignoreOrigins: [new URL(dsn).origin] })],
    textMapPropagator: null,
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  const ours = (sdk as unknown as { _tracerProvider?: unknown })._tracerProvider;
  const tracing = ours !== undefined && (trace.getTracerProvider() as ProxyTracerProvider).getDelegate?.() === ours;
  if (tracing) {
    setProcessRegistry({
      suite,
      spansEnabled,
      forceFlush: async () => {
        await processor.forceFlush();
        await exporter.forceFlush();
      },
      transport,
      setTransactionSender: (send) => {
        sendTransaction = send;
      },
      setSpanFilter: (keep) => {
        keepSpan = keep;
      },
      discard,
    });
    // Spans still queued when the bot ends by itself; a crash or process.exit() loses them.
    flushBeforeExit(
      () => (spansEnabled() && processor.queueSize > 0) || sent.pending(),
      () => processor.forceFlush().then(() => sent.flush()),
    );
  } else {
    logger.warn(
      `consentry/instrumentation: another OpenTelemetry tracer provider was registered first (or OTEL_SDK_DISABLED is set); task spans stay off. Crash reports still work.`,
    );
  }

  const reporterFor = (userId: string): ModuleReporter =>
    createModuleReporter({
      dsn,
      suite,
      module: PROCESS_MODULE,
      version: config.version,
      environment: config.environment,
      userId,
      sessionId,
      scrubber,
      logger,
      level: 'manual', // builds events, never sends by itself: the outbox decides
      onSent: sent.recordSent,
    });

  // Crash capture: observe only. Node still prints the error and exits with the same code. A crash is written only
  // when the level in force at that moment allows sending it (read from the settings file now if the preload has
  // not read it yet), and the file records that level: the next start never sends what happened at off or manual.
  process.on('uncaughtExceptionMonitor', (error, origin) => {
    try {
      if (process.listenerCount('uncaughtException') > 0) return; // the bot handles it: not a crash
      const status = consent.statusNow();
      if (status === undefined || (status.level !== 'errors' && status.level !== 'all')) return;
      const event = reporterFor(status.userId ?? UNKNOWN_USER).prepareEvent(error, {
        crashed: true,
        tags: { origin },
      });
      if (event) writeOutboxSync(outbox, event, status.level);
    } catch {
      // Never in the way of the crash itself.
    }
  });

  const ready = consent.ready.then(async () => {
    follow();
    const status = consent.current();
    if (status.level === 'off') {
      clearOutbox(outbox); // the owner said no: unsent crash reports are not kept either
      return;
    }
    // Crashes at errors/all that wait while the owner is at manual are kept (7 days) for when they opt in again.
    const entries = readOutbox(outbox);
    if (status.level === 'manual' || status.userId === null) return;
    if (entries.length === 0) return;
    const reporter = reporterFor(status.userId);
    try {
      for (const entry of entries) {
        entry.event.user = { id: status.userId };
        const eventId = await reporter.sendPrepared(entry.event).catch(() => undefined);
        if (eventId !== undefined) removeOutboxEntry(entry.path);
      }
    } finally {
      await reporter.close();
      await sent.flush();
    }
  });

  return { config, tracing, outbox, ready: ready.catch(() => {}) };
}
