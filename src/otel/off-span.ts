import { INVALID_SPAN_CONTEXT, type Span, trace } from '@opentelemetry/api';

/** The span handed out while spans are off (level below `all`, no DSN, closed): shared, records nothing, costs nothing. */
export const OFF_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
