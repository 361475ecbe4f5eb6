import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { ConsentryConfigError } from '../errors/index.js';
import { type HostLogger, showValue } from '../log/index.js';
import { AutoSpanExporter, isSpanTransport, type SpanTransport } from './auto-span-exporter.js';
import { DebugSpanExporter } from './debug-span-exporter.js';
import { EnvelopeSpanExporter, type SendTransaction } from './envelope-span-exporter.js';
import { OtlpHttpSpanExporter, type SentSpans } from './otlp-http-exporter.js';
import type { OutageLog } from './outage-log.js';
import { positiveInteger } from './scrubbing-span-processor.js';

export type ChosenSpanExporter = DebugSpanExporter | EnvelopeSpanExporter | AutoSpanExporter | OtlpHttpSpanExporter;

export interface SpanExporterChoice {
  endpoint: { url: string; headers: Record<string, string>; target: string };
  encoding: 'protobuf' | 'json' | undefined;
  debug: boolean | undefined;
  /** Names the debug output and the auto switch's log line. */
  suite: string;
  module: string | undefined;
  spanTransport: SpanTransport | undefined;
  sendTransaction: SendTransaction | undefined;
  maxQueueSize: number | undefined;
  exportTimeoutMillis: number;
  enabled: () => boolean;
  outage: OutageLog;
  logger: HostLogger;
  onSent: ((request: SentSpans) => void) | undefined;
}

/** Checks `spanTransport` against `sendTransaction` and builds the exporter it names (debug overrides it). */
export function chooseSpanExporter(choice: SpanExporterChoice): ChosenSpanExporter {
  const { endpoint, enabled, outage, logger } = choice;
  const transport = choice.spanTransport ?? 'auto';
  if (!isSpanTransport(transport)) {
    throw new ConsentryConfigError(
      'spanTransport',
      `createTracing: spanTransport must be 'auto', 'otlp' or 'envelope', got ${showValue(transport)}`,
    );
  }
  const send = choice.sendTransaction;
  if (transport === 'envelope' && typeof send !== 'function') {
    throw new ConsentryConfigError(
      'sendTransaction',
      "createTracing: spanTransport 'envelope' needs sendTransaction (the Sentry client that sends)",
    );
  }
  const otlp = (onUnsupportedRoute?: (status: number, spans: ReadableSpan[]) => boolean) =>
    new OtlpHttpSpanExporter({
      url: endpoint.url,
      headers: endpoint.headers,
      encoding: choice.encoding ?? 'protobuf',
      timeoutMillis: choice.exportTimeoutMillis,
      enabled,
      outage,
      ...(choice.onSent ? { onSent: choice.onSent } : {}),
      ...(onUnsupportedRoute === undefined ? {} : { onUnsupportedRoute }),
    });
  const envelopes = () =>
    new EnvelopeSpanExporter({
      send: send as SendTransaction,
      enabled,
      logger,
      maxBufferedSpans: positiveInteger('limits.maxQueueSize', choice.maxQueueSize, 2048),
    });
  if (choice.debug) return new DebugSpanExporter(choice.module ?? choice.suite);
  if (transport === 'envelope') return envelopes();
  if (transport === 'auto' && typeof send === 'function') {
    return new AutoSpanExporter({ otlp, envelope: envelopes(), logger, suite: choice.suite, target: endpoint.target });
  }
  return otlp();
}

/** Which transport carries spans now through `exporter`. */
export function exporterTransport(exporter: ChosenSpanExporter): 'otlp' | 'envelope' | 'debug' {
  return exporter instanceof DebugSpanExporter
    ? 'debug'
    : exporter instanceof EnvelopeSpanExporter
      ? 'envelope'
      : exporter instanceof AutoSpanExporter
        ? exporter.transport
        : 'otlp';
}
