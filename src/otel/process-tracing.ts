import { type Context, type Span, type SpanOptions, type Tracer, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { ConsentLevel } from '../consent/index.js';
import { PROCESS_KEY } from '../global-keys.js';
import type { Tracing } from './create-tracing.js';
import type { SendTransaction } from './envelope-span-exporter.js';
import { GatedTracer } from './gated-tracer.js';
import { allowsSpans } from './level.js';

/** What the preload shares with the suites created later in the same process. */
export interface ProcessRegistry {
  /** The suite the preload was configured for; only a suite of that name uses the global pipeline. */
  readonly suite: string;
  /** Whether the global pipeline records spans now (the preload's consent is at `all`). */
  spansEnabled(): boolean;
  /** Sends what the global pipeline has queued. Never rejects. */
  forceFlush(): Promise<void>;
  /** Which transport carries the global pipeline's spans now. */
  transport?(): 'otlp' | 'envelope' | 'debug';
  /** Where the global pipeline hands transactions (envelope transport): the suite's modules' clients. */
  setTransactionSender?(send: SendTransaction): void;
  /** Which ended spans the global pipeline keeps: the suite's rule (no span of a user id since forgotten). */
  setSpanFilter?(keep: (span: ReadableSpan) => boolean): void;
  /** Drops what the global pipeline has queued or in flight (the suite's user id changed). */
  discard?(): Promise<void>;
}

export function setProcessRegistry(registry: ProcessRegistry | undefined): void {
  (globalThis as Record<symbol, unknown>)[PROCESS_KEY] = registry;
}

export function processRegistry(): ProcessRegistry | undefined {
  const found = (globalThis as Record<symbol, unknown>)[PROCESS_KEY] as ProcessRegistry | undefined;
  return typeof found === 'object' && found !== null && typeof found.spansEnabled === 'function' ? found : undefined;
}

/**
 * The span path of a suite in process mode: the preload's global tracer provider and context, so HTTP requests made
 * inside a task become its children. Spans are made only while both the preload and this suite are at `all`.
 * Undefined unless the preload registered for this very suite (another suite keeps its isolated pipeline).
 */
export function processTracing(
  suite: string,
  getLevel: () => ConsentLevel,
  options: { sendTransaction?: SendTransaction | undefined; keep?: ((span: ReadableSpan) => boolean) | undefined } = {},
): Tracing | undefined {
  const registry = processRegistry();
  if (registry === undefined || registry.suite !== suite) return undefined;
  if (options.sendTransaction !== undefined) registry.setTransactionSender?.(options.sendTransaction);
  if (options.keep !== undefined) registry.setSpanFilter?.(options.keep);
  const levelAllows = allowsSpans(getLevel);
  let closed = false;
  const enabled = () => !closed && levelAllows() && registry.spansEnabled();
  const tracers = new Map<string, Tracer>();
  return {
    tracer(name, version) {
      const key = `${name}@${version ?? ''}`;
      let tracer = tracers.get(key);
      if (tracer === undefined) {
        tracer = new ProcessTracer(trace.getTracer(name, version), enabled);
        tracers.set(key, tracer);
      }
      return tracer;
    },
    activeSpan: () => trace.getActiveSpan(),
    get enabled() {
      return enabled();
    },
    get transport() {
      return registry.transport?.() ?? 'otlp';
    },
    // The preload follows the same consent store and drops its own queue when the level falls.
    levelChanged: async () => {},
    discard: async () => {
      await registry.discard?.();
    },
    forceFlush: () => registry.forceFlush(),
    async shutdown() {
      if (closed) return;
      await registry.forceFlush();
      closed = true; // the global provider belongs to the preload: it is flushed, never shut down from here
    },
  };
}

/** The global provider's tracer, gated by this suite's consent and the preload's. */
class ProcessTracer extends GatedTracer {
  constructor(
    private readonly inner: Tracer,
    enabled: () => boolean,
  ) {
    super(enabled);
  }

  protected open(name: string, options: SpanOptions | undefined, context: Context | undefined): Span {
    return this.inner.startSpan(name, options, context);
  }

  protected runActive<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions | undefined,
    context: Context | undefined,
    fn: F,
  ): ReturnType<F> {
    if (context !== undefined) return this.inner.startActiveSpan(name, options ?? {}, context, fn);
    return this.inner.startActiveSpan(name, options ?? {}, fn);
  }
}
