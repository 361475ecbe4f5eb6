import { type Span, type Tracer, trace } from '@opentelemetry/api';
import { type ReadableSpan, type SpanLimits, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ConsentLevel } from '../consent/index.js';
import { ConsentryConfigError } from '../errors/index.js';
import { type HostLogger, toHostLogger } from '../log/index.js';
import type { Scrubber } from '../scrub/index.js';
import type { SpanTransport } from './auto-span-exporter.js';
import type { SendTransaction } from './envelope-span-exporter.js';
import { IsolatedContext, IsolatedTracer } from './isolated-tracer.js';
import { allowsSpans } from './level.js';
import type { SentSpans } from './otlp-http-exporter.js';
import { OutageLog } from './outage-log.js';
import { suiteResource, type TracingResource } from './resource.js';
import { ConsentSampler } from './sampler.js';
import { positiveInteger, ScrubbingSpanProcessor } from './scrubbing-span-processor.js';
import { sentryOtlpEndpoint } from './sentry-endpoint.js';
import { type ChosenSpanExporter, chooseSpanExporter, exporterTransport } from './span-exporter-choice.js';

/** Bounds of the span path. Every one has a default; tests use small ones. */
export interface TracingLimits {
  /** Spans waiting for export; beyond it spans are dropped (one log line per outage). Default 2048. */
  maxQueueSize?: number | undefined;
  /** Spans per request. Default 512. */
  maxExportBatchSize?: number | undefined;
  /** Delay between scheduled exports. Default 5000 ms. */
  scheduledDelayMillis?: number | undefined;
  /** One request, connect to answer. Default 10 000 ms. */
  exportTimeoutMillis?: number | undefined;
  /** Command traces remembered to drop their late spans. Default 1024. */
  maxTrackedTraces?: number | undefined;
  /** Attributes per span (more are dropped by the SDK and counted). Default 64. */
  maxAttributesPerSpan?: number | undefined;
  /** Characters per attribute value. Default 4096. */
  maxAttributeValueLength?: number | undefined;
  /** Events and links per span. Default 32. */
  maxEventsPerSpan?: number | undefined;
}

export interface TracingOptions {
  /** The suite's Sentry DSN: spans go to its OTLP traces endpoint. Give this or `otlpEndpoint`. */
  dsn?: string | undefined;
  /** An OTLP/HTTP traces URL instead, e.g. an OpenTelemetry Collector's `http://collector:4318/v1/traces`. */
  otlpEndpoint?: string | undefined;
  /** Headers for `otlpEndpoint` (with `dsn` the Sentry auth header is set for you). Nothing is read from `OTEL_*`. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Applied to every string of every span. */
  scrubber: Scrubber;
  /** The current consent level, read at each span start and before each export. Spans leave only at `all`. */
  getLevel: () => ConsentLevel;
  /** Share of traces recorded at `all`, 0..1. Default 1. */
  tracesSampleRate?: number | undefined;
  /** Attributes that describe the suite; nothing about the machine is added. */
  resource: TracingResource;
  /** Gets one line per outage. Default: the console. */
  logger?: Partial<HostLogger> | undefined;
  /** OTLP body format. Default `'protobuf'`. */
  encoding?: 'protobuf' | 'json' | undefined;
  /** CONSENTRY_DEBUG: print each scrubbed batch to stderr as one JSON line instead of sending it. */
  debug?: boolean | undefined;
  /** Asked for each ended span before it is queued: false drops it (e.g. a span of a user id since forgotten). */
  keep?: ((span: ReadableSpan) => boolean) | undefined;
  /**
   * How spans leave. `otlp`: the OTLP route. `envelope`: each finished root span with its children as one Sentry
   * transaction, handed to `sendTransaction`. `auto` (default): OTLP, switching to envelopes for the rest of the
   * process when the route answers 404, 405 or 415. Without `sendTransaction`, only `otlp` (and `auto` acts as it).
   */
  spanTransport?: SpanTransport | undefined;
  /** Sends a transaction through the Sentry client of the module named (needed for `envelope` and `auto`). */
  sendTransaction?: SendTransaction | undefined;
  limits?: TracingLimits | undefined;
  /** Told of every span batch that left (the owner's record of what was sent). */
  onSent?: ((request: SentSpans) => void) | undefined;
}

/** The span path of one suite, isolated from the host's OpenTelemetry. */
export interface Tracing {
  /**
   * A tracer whose spans are roots or children of our own spans only, never of the host's. `startActiveSpan`
   * makes a span active for our tracers (an isolated context), not for the host's instrumentation.
   */
  tracer(name: string, version?: string): Tracer;
  /** The span made active by `startActiveSpan` of one of our tracers, if any. */
  activeSpan(): Span | undefined;
  /** Whether spans are recorded and sent now (level `all`, not shut down). */
  readonly enabled: boolean;
  /** Which transport carries spans now: `otlp`, `envelope` (chosen, or `auto` after a 404), or `debug` (stderr). */
  readonly transport: 'otlp' | 'envelope' | 'debug';
  /** Call after the consent level changed: below `all`, queued and in-flight spans are dropped at once. */
  levelChanged(): Promise<void>;
  /** Drops queued and in-flight spans at once, whatever the level (e.g. the user id they carry was forgotten). */
  discard(): Promise<void>;
  /** Sends what is queued (at `all`). Never rejects. */
  forceFlush(): Promise<void>;
  /** Sends what is queued (at `all`) and stops; later spans are no-ops. Idempotent, never rejects. */
  shutdown(): Promise<void>;
}

/**
 * Creates the span path of plugin mode: an own `TracerProvider` that is never registered globally (no global
 * tracer provider, context manager or propagator is touched), a {@link ConsentSampler}, a
 * {@link ScrubbingSpanProcessor} in front of a batch processor, and an {@link OtlpHttpSpanExporter} that sends
 * only our headers.
 *
 * @example
 * ```ts
 * const tracing = createTracing({
 *   dsn, scrubber: createScrubber({ botToken }), getLevel: () => level,
 *   resource: { suite: 'acme-plugins', version: '1.4.0', environment: 'production' },
 * });
 * const tracer = tracing.tracer('acme-plugins/status', '1.4.0');
 * await tracer.startActiveSpan('check-updates', async (span) => {
 *   try {
 *     await checkForUpdates();
 *   } finally {
 *     span.end();
 *   }
 * });
 * telemetry.consent.subscribe((status) => {
 *   level = status.level;
 *   void tracing.levelChanged();
 * });
 * await tracing.shutdown();
 * ```
 */
export function createTracing(options: TracingOptions): Tracing {
  if (typeof options !== 'object' || options === null) {
    throw new ConsentryConfigError(
      'options',
      'createTracing(options): options must be an object with dsn, scrubber, getLevel and resource',
    );
  }
  const { getLevel } = options;
  if (typeof getLevel !== 'function') {
    throw new ConsentryConfigError(
      'getLevel',
      "createTracing: getLevel must be a function returning 'off' | 'manual' | 'errors' | 'all'",
    );
  }
  const endpoint = resolveEndpoint(options);
  const limits = options.limits ?? {};
  const logger = toHostLogger(options.logger);
  const resource = suiteResource(options.resource);
  let closed = false;
  const levelAllows = allowsSpans(getLevel);
  const enabled = () => !closed && levelAllows();

  const outage = new OutageLog(logger, endpoint.target);
  const exportTimeoutMillis = positiveInteger('limits.exportTimeoutMillis', limits.exportTimeoutMillis, 10_000);
  const exporter = chooseSpanExporter({
    endpoint,
    encoding: options.encoding,
    debug: options.debug,
    suite: options.resource.suite,
    module: options.resource.module,
    spanTransport: options.spanTransport,
    sendTransaction: options.sendTransaction,
    maxQueueSize: limits.maxQueueSize,
    exportTimeoutMillis,
    enabled,
    outage,
    logger,
    onSent: options.onSent,
  });
  const processor = scrubbingProcessor(options, { exporter, enabled, outage, exportTimeoutMillis });
  const provider = new TracerProvider({
    resource,
    sampler: new ConsentSampler({ enabled, ratio: sampleRate(options.tracesSampleRate) }),
    spanProcessors: [processor],
    spanLimits: spanLimits(limits),
  });
  return tracingHandle({
    provider,
    processor,
    exporter,
    enabled,
    close: () => {
      closed = true;
    },
  });
}

/** The scrubbing batch processor in front of `exporter`, with the queue limits of `options`. */
function scrubbingProcessor(
  options: TracingOptions,
  parts: { exporter: ChosenSpanExporter; enabled: () => boolean; outage: OutageLog; exportTimeoutMillis: number },
): ScrubbingSpanProcessor {
  const limits = options.limits ?? {};
  return new ScrubbingSpanProcessor({
    scrubber: options.scrubber,
    exporter: parts.exporter,
    enabled: parts.enabled,
    outage: parts.outage,
    maxQueueSize: positiveInteger('limits.maxQueueSize', limits.maxQueueSize, 2048),
    maxExportBatchSize: positiveInteger('limits.maxExportBatchSize', limits.maxExportBatchSize, 512),
    scheduledDelayMillis: positiveInteger('limits.scheduledDelayMillis', limits.scheduledDelayMillis, 5000),
    // The batch processor's own guard fires only if our exporter's timeout somehow did not.
    exportTimeoutMillis: parts.exportTimeoutMillis + 5000,
    maxTrackedTraces: positiveInteger('limits.maxTrackedTraces', limits.maxTrackedTraces, 1024),
    ...(options.keep === undefined ? {} : { keep: options.keep }),
  });
}

function spanLimits(limits: TracingLimits): SpanLimits {
  const maxEvents = positiveInteger('limits.maxEventsPerSpan', limits.maxEventsPerSpan, 32);
  return {
    attributeCountLimit: positiveInteger('limits.maxAttributesPerSpan', limits.maxAttributesPerSpan, 64),
    attributeValueLengthLimit: positiveInteger('limits.maxAttributeValueLength', limits.maxAttributeValueLength, 4096),
    eventCountLimit: maxEvents,
    linkCountLimit: maxEvents,
    attributePerEventCountLimit: 32,
    attributePerLinkCountLimit: 32,
  };
}

interface TracingParts {
  provider: TracerProvider;
  processor: ScrubbingSpanProcessor;
  exporter: ChosenSpanExporter;
  enabled: () => boolean;
  /** Disables `enabled` for good (after the last flush of shutdown). */
  close: () => void;
}

/** The public face of the span path built by {@link createTracing}. */
function tracingHandle({ provider, processor, exporter, enabled, close }: TracingParts): Tracing {
  const context = new IsolatedContext();
  const tracers = new Map<string, Tracer>();
  let shutdown: Promise<void> | undefined;

  const discard = async () => {
    exporter.abortInFlight();
    await processor.dropQueued();
  };
  const dropIfDisabled = async () => {
    if (!enabled()) await discard();
  };

  return {
    tracer(name, version) {
      if (typeof name !== 'string' || name === '') {
        throw new TypeError("tracing.tracer(name): name must be a non-empty string, e.g. 'acme-plugins/status'");
      }
      const key = `${name}@${version ?? ''}`;
      let tracer = tracers.get(key);
      if (tracer === undefined) {
        tracer = new IsolatedTracer(provider.getTracer(name, version), context, enabled);
        tracers.set(key, tracer);
      }
      return tracer;
    },
    activeSpan: () => trace.getSpan(context.active()),
    get enabled() {
      return enabled();
    },
    get transport() {
      return exporterTransport(exporter);
    },
    levelChanged: dropIfDisabled,
    discard,
    async forceFlush() {
      await dropIfDisabled();
      await processor.forceFlush();
      await exporter.forceFlush();
    },
    shutdown() {
      shutdown ??= (async () => {
        await dropIfDisabled();
        await processor.forceFlush();
        // The envelope exporter hands spans over on the next turn; that must happen before `close` disables it.
        await exporter.forceFlush();
        close();
        await processor.shutdown().catch(() => {});
      })();
      return shutdown;
    },
  };
}

function resolveEndpoint(options: TracingOptions): { url: string; headers: Record<string, string>; target: string } {
  const { dsn, otlpEndpoint } = options;
  if ((dsn === undefined) === (otlpEndpoint === undefined)) {
    throw new ConsentryConfigError(
      'dsn',
      'createTracing: give exactly one of dsn (your Sentry DSN) or otlpEndpoint (an OTLP/HTTP traces URL)',
    );
  }
  if (dsn !== undefined) {
    if (options.headers !== undefined) {
      throw new ConsentryConfigError(
        'headers',
        'createTracing: headers are only for otlpEndpoint; with dsn the Sentry auth header is set for you',
      );
    }
    const { url, headers } = sentryOtlpEndpoint(dsn);
    return { url, headers, target: `Sentry (${new URL(url).host})` };
  }
  let url: URL;
  try {
    url = new URL(otlpEndpoint as string);
  } catch {
    throw new ConsentryConfigError(
      'otlpEndpoint',
      `createTracing: otlpEndpoint must be an absolute http(s) URL such as http://collector:4318/v1/traces, got ${JSON.stringify(otlpEndpoint)}`,
    );
  }
  return { url: url.href, headers: { ...options.headers }, target: `${url.protocol}//${url.host}` };
}

function sampleRate(rate: number | undefined): number {
  if (rate === undefined) return 1;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    throw new ConsentryConfigError(
      'tracesSampleRate',
      `createTracing: tracesSampleRate must be a number from 0 to 1 (1 = every trace), got ${String(rate)}`,
    );
  }
  return rate;
}
