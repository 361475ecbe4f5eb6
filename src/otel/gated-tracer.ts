import type { Context, Span, SpanOptions, Tracer } from '@opentelemetry/api';
import { OFF_SPAN } from './off-span.js';

/**
 * A tracer that creates no span at all while `enabled()` is false: it hands out the shared {@link OFF_SPAN}.
 * Subclasses say how a span is made and made active when enabled; the overloads of `startActiveSpan` are read here.
 */
export abstract class GatedTracer implements Tracer {
  constructor(private readonly enabled: () => boolean) {}

  protected abstract open(name: string, options: SpanOptions | undefined, context: Context | undefined): Span;

  protected abstract runActive<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions | undefined,
    context: Context | undefined,
    fn: F,
  ): ReturnType<F>;

  startSpan(name: string, options?: SpanOptions, context?: Context): Span {
    return this.enabled() ? this.open(name, options, context) : OFF_SPAN;
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
    let options: SpanOptions | undefined;
    let context: Context | undefined;
    let fn: F;
    if (typeof a === 'function') fn = a;
    else if (typeof b === 'function') [options, fn] = [a, b];
    else [options, context, fn] = [a, b, c as F];
    return this.enabled() ? this.runActive(name, options, context, fn) : (fn(OFF_SPAN) as ReturnType<F>);
  }
}
