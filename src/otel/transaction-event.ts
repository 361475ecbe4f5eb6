import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Event, SpanJSON } from '@sentry/core';
import { spanToStaticSpanJSON, uuid4 } from '@sentry/core';

type SentrySpanInput = Parameters<typeof spanToStaticSpanJSON>[0];

/** The span as Sentry's static span JSON (`@sentry/core` reads an OpenTelemetry SDK span's fields), without links. */
function spanJson(span: ReadableSpan): SpanJSON {
  const json = spanToStaticSpanJSON(span as unknown as SentrySpanInput);
  // Links name other traces (and carry a trace state): not part of what a transaction says about this run.
  delete json.links;
  return json;
}

/**
 * One Sentry transaction event from a finished local root span and its children (already scrubbed views):
 * the root is the transaction (name, op, status, timestamps, trace and span ids, data from its attributes),
 * each child an entry of `spans`. Release, environment, user and SDK are set by the client that sends it.
 */
export function transactionEvent(root: ReadableSpan, children: readonly ReadableSpan[]): Event {
  const json = spanJson(root);
  return {
    type: 'transaction',
    event_id: uuid4(),
    platform: 'node',
    transaction: json.description ?? root.name,
    transaction_info: { source: 'custom' },
    start_timestamp: json.start_timestamp,
    timestamp: json.timestamp ?? json.start_timestamp,
    contexts: {
      trace: {
        trace_id: json.trace_id,
        span_id: json.span_id,
        ...(json.parent_span_id === undefined ? {} : { parent_span_id: json.parent_span_id }),
        ...(json.op === undefined ? {} : { op: json.op }),
        ...(json.status === undefined ? {} : { status: json.status }),
        data: json.data,
        origin: 'manual',
      },
    },
    spans: children.map(spanJson),
  };
}
