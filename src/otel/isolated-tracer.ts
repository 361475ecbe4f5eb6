import { AsyncLocalStorage } from 'node:async_hooks';
import { type Context, ROOT_CONTEXT, type Span, type SpanOptions, type Tracer, trace } from '@opentelemetry/api';
import { GatedTracer } from './gated-tracer.js';

// Marks the spans of one pipeline. A property on the span is far cheaper than a WeakSet entry per span.
type Marked = Span & { [key: symbol]: unknown };

/**
 * The active-span context of one pipeline, kept apart from the host's: the global OpenTelemetry context is
 * never read (a host span never becomes our parent) and never written (our spans never become the parent
 * of the host's spans, e.g. of its HTTP instrumentation).
 */
export class IsolatedContext {
  private readonly storage = new AsyncLocalStorage<Context>();
  private readonly mark = Symbol('consentry.span');

  /** Our active context, or the root context. */
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }

  /** The context a new span may use as parent: the given one only if its span is ours, else a new trace. */
  parentFor(given: Context | undefined): Context {
    if (given === undefined) return this.active();
    const span = trace.getSpan(given);
    return span === undefined || (span as Marked)[this.mark] === true ? given : ROOT_CONTEXT;
  }

  adopt(span: Span): void {
    (span as Marked)[this.mark] = true;
  }

  run<R>(context: Context, fn: () => R): R {
    return this.storage.run(context, fn);
  }
}

/**
 * A tracer of the pipeline's own provider whose spans only ever have our spans as parents.
 * `startActiveSpan` makes the span active for our tracers only (see {@link IsolatedContext}).
 * While `enabled()` is false no span is created at all: a shared non-recording span is handed out.
 */
export class IsolatedTracer extends GatedTracer {
  constructor(
    private readonly inner: Tracer,
    private readonly scope: IsolatedContext,
    enabled: () => boolean = () => true,
  ) {
    super(enabled);
  }

  protected open(name: string, options: SpanOptions | undefined, context: Context | undefined): Span {
    return this.start(name, options, this.scope.parentFor(context));
  }

  private start(name: string, options: SpanOptions | undefined, parent: Context): Span {
    const span = this.inner.startSpan(name, options, parent);
    this.scope.adopt(span);
    return span;
  }

  protected runActive<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions | undefined,
    context: Context | undefined,
    fn: F,
  ): ReturnType<F> {
    const parent = this.scope.parentFor(context);
    const span = this.start(name, options, parent);
    return this.scope.run(trace.setSpan(parent, span), () => fn(span)) as ReturnType<F>;
  }
}
