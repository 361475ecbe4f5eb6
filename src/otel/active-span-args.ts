import type { Context, Span, SpanOptions } from '@opentelemetry/api';

/** The arguments of `Tracer.startActiveSpan(name, [options, [context,]] fn)`, sorted out. */
export interface ActiveSpanArgs<F extends (span: Span) => unknown> {
  options: SpanOptions | undefined;
  context: Context | undefined;
  fn: F;
}

export function activeSpanArgs<F extends (span: Span) => unknown>(
  a: F | SpanOptions,
  b?: F | Context,
  c?: F,
): ActiveSpanArgs<F> {
  if (typeof a === 'function') return { options: undefined, context: undefined, fn: a };
  if (typeof b === 'function') return { options: a, context: undefined, fn: b };
  return { options: a, context: b, fn: c as F };
}
