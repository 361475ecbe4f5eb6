import {
  type Context,
  INVALID_SPAN_CONTEXT,
  type Span,
  type SpanOptions,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Tracing } from './create-tracing.js';
import type { SendTransaction } from './envelope-span-exporter.js';
import { allowsSpans, type TelemetryLevel } from './level.js';

/** Where process mode (`node --import consentry/instrumentation`) leaves what it set up, for `createTelemetry()`. */
export const PROCESS_KEY = Symbol.for('consentry.process');

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

const OFF_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * The span path of a suite in process mode: the preload's global tracer provider and context, so HTTP requests made
 * inside a task become its children. Spans are made only while both the preload and this suite are at `all`.
 * Undefined unless the preload registered for this very suite (another suite keeps its isolated pipeline).
 */
export function processTracing(
  suite: string,
  getLevel: () => TelemetryLevel,
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
        tracer = new GatedTracer(trace.getTracer(name, version), enabled);
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

/** A tracer that hands out the shared no-op span while `enabled()` is false. */
class GatedTracer implements Tracer {
  constructor(
    private readonly inner: Tracer,
    private readonly enabled: () => boolean,
  ) {}

  startSpan(name: string, options?: SpanOptions, context?: Context): Span {
    return this.enabled() ? this.inner.startSpan(name, options, context) : OFF_SPAN;
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    context: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    a: F | SpanOptions,
    b?: F | Context,
    c?: F,
  ): ReturnType<F> {
    const fn = (typeof a === 'function' ? a : typeof b === 'function' ? b : c) as F;
    if (!this.enabled()) return fn(OFF_SPAN) as ReturnType<F>;
    if (typeof a === 'function') return this.inner.startActiveSpan(name, fn);
    if (typeof b === 'function') return this.inner.startActiveSpan(name, a, fn);
    return this.inner.startActiveSpan(name, a, b as Context, fn);
  }
}
