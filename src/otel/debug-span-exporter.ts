import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/**
 * CONSENTRY_DEBUG: writes each batch that would be exported to stderr as one JSON line, and sends nothing.
 * The spans it gets are the scrubbed copies made by the ScrubbingSpanProcessor, so the line shows what would leave.
 */
export class DebugSpanExporter implements SpanExporter {
  constructor(
    private readonly label: string,
    private readonly write: (line: string) => void = (line) => process.stderr.write(line),
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    try {
      const shown = spans.map((span) => ({
        name: span.name,
        traceId: span.spanContext().traceId,
        spanId: span.spanContext().spanId,
        parentSpanId: span.parentSpanContext?.spanId,
        durationMs: span.duration[0] * 1e3 + span.duration[1] / 1e6,
        status: span.status,
        attributes: span.attributes,
        events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
        resource: span.resource.attributes,
      }));
      this.write(`${JSON.stringify({ consentry: 'would send', module: this.label, spans: shown })}\n`);
    } catch {
      // Debug output must never break the bot.
    }
    done({ code: ExportResultCode.SUCCESS });
  }

  abortInFlight(): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
