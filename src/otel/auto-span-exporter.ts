import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { HostLogger } from '../log/index.js';
import type { EnvelopeSpanExporter } from './envelope-span-exporter.js';
import type { OtlpHttpSpanExporter } from './otlp-http-exporter.js';

/** How spans leave: `otlp` (Sentry's OTLP route), `envelope` (transaction events), `auto` (OTLP, else envelopes). */
export type SpanTransport = 'auto' | 'otlp' | 'envelope';

export const SPAN_TRANSPORTS: readonly SpanTransport[] = ['auto', 'otlp', 'envelope'];

export function isSpanTransport(value: unknown): value is SpanTransport {
  return typeof value === 'string' && (SPAN_TRANSPORTS as readonly string[]).includes(value);
}

export interface AutoSpanExporterOptions {
  /** Makes the OTLP exporter, given the hook it must call when the route answers 404, 405 or 415. */
  otlp(onUnsupportedRoute: (status: number, spans: ReadableSpan[]) => boolean): OtlpHttpSpanExporter;
  envelope: EnvelopeSpanExporter;
  /** Gets the one line that says the suite switched, and why. */
  logger: HostLogger;
  /** Names the suite and endpoint in that line, e.g. `acme-plugins` and `Sentry (o0.ingest.sentry.io)`. */
  suite: string;
  target: string;
}

/**
 * `spanTransport: 'auto'`: OTLP first. When the OTLP route answers 404, 405 or 415 (self-hosted Sentry without the
 * feature, GlitchTip, Spotlight), this suite switches to transaction envelopes for the rest of the process, with one
 * log line; the refused batch goes by envelope too. Other failures (5xx, 429, resets, timeouts) stay outages of OTLP.
 */
export class AutoSpanExporter implements SpanExporter {
  private readonly otlp: OtlpHttpSpanExporter;
  private readonly envelope: EnvelopeSpanExporter;
  private switched = false;

  constructor(private readonly options: AutoSpanExporterOptions) {
    this.envelope = options.envelope;
    this.otlp = options.otlp((status, spans) => this.switchToEnvelopes(status, spans));
  }

  /** Which transport carries spans now. */
  get transport(): 'otlp' | 'envelope' {
    return this.switched ? 'envelope' : 'otlp';
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    (this.switched ? this.envelope : this.otlp).export(spans, done);
  }

  private switchToEnvelopes(status: number, spans: ReadableSpan[]): boolean {
    if (!this.switched) {
      this.switched = true;
      this.options.logger.warn(
        `consentry: ${this.options.suite}: ${this.options.target} has no OTLP traces route (HTTP ${status}), as self-hosted Sentry without OTLP, GlitchTip and Spotlight; spans are sent as transaction envelopes from now on, for the rest of the process.`,
      );
    }
    this.envelope.export(spans, () => {});
    return true;
  }

  abortInFlight(): void {
    this.otlp.abortInFlight();
    this.envelope.abortInFlight();
  }

  async forceFlush(): Promise<void> {
    await this.otlp.forceFlush();
    await this.envelope.forceFlush();
  }

  async shutdown(): Promise<void> {
    await Promise.all([this.otlp.shutdown(), this.envelope.shutdown()]);
  }
}
