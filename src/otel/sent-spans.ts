import type { SentEntry } from '../store/index.js';
import type { SentSpans } from './otlp-http-exporter.js';

/** A span batch as the record of sent requests keeps it: its (scrubbed) span names, counted, and the answer. */
export function describeSpans(module: string, request: SentSpans): Omit<SentEntry, 'time'> {
  const counts = new Map<string, number>();
  for (const span of request.spans) counts.set(span.name, (counts.get(span.name) ?? 0) + 1);
  const title = [...counts].map(([name, count]) => (count > 1 ? `${name} x${count}` : name)).join(', ');
  return {
    kind: 'spans',
    module,
    eventId: null,
    title,
    bytes: request.bytes,
    status: request.status,
    error: request.error,
  };
}
