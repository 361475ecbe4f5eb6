/**
 * The span path: background work becomes OpenTelemetry spans on a provider of our own (one per suite), scrubbed,
 * stripped of anything about commands, and sent only at consent level `all`: over OTLP, or as Sentry transaction
 * envelopes through the modules' own clients (`spanTransport`; `auto` switches when the OTLP route is missing).
 *
 * Plugin mode: {@link createTracing} — `createTracing({ dsn | otlpEndpoint (+headers), scrubber, getLevel,
 * tracesSampleRate?, resource: { suite, module?, version?, environment? }, logger?, encoding?, keep?,
 * spanTransport?, sendTransaction?, limits? })` returns `{ tracer(name, version?), activeSpan(), enabled,
 * transport, levelChanged(), discard(), forceFlush(), shutdown() }`. Nothing global is touched.
 *
 * Process mode (a global NodeSDK) reuses the parts: {@link ConsentSampler}, {@link ScrubbingSpanProcessor},
 * {@link OtlpHttpSpanExporter}, {@link sentryOtlpEndpoint}, {@link suiteResource}.
 */
export { COMMAND_KIND, CONSENTRY_KIND } from './attributes.js';
export {
  AutoSpanExporter,
  type AutoSpanExporterOptions,
  isSpanTransport,
  SPAN_TRANSPORTS,
  type SpanTransport,
} from './auto-span-exporter.js';
export { insideCommand, outsideCommand, runAsCommand } from './command-scope.js';
export { CommandTraces } from './command-traces.js';
export { createTracing, type Tracing, type TracingLimits, type TracingOptions } from './create-tracing.js';
export {
  EnvelopeSpanExporter,
  type EnvelopeSpanExporterOptions,
  type SendTransaction,
} from './envelope-span-exporter.js';
export { HttpSpansInstrumentation, type HttpSpansOptions } from './http-spans.js';
export { IsolatedContext, IsolatedTracer } from './isolated-tracer.js';
export { allowsSpans } from './level.js';
export { OFF_SPAN } from './off-span.js';
export { OtlpHttpSpanExporter, type OtlpHttpSpanExporterOptions, type SentSpans } from './otlp-http-exporter.js';
export { OutageLog } from './outage-log.js';
export {
  type ProcessRegistry,
  processRegistry,
  processTracing,
  setProcessRegistry,
} from './process-tracing.js';
export { suiteResource, type TracingResource } from './resource.js';
export { ConsentSampler, type ConsentSamplerOptions } from './sampler.js';
export { createSpanScrubber } from './scrub-span.js';
export { ScrubbingSpanProcessor, type ScrubbingSpanProcessorOptions } from './scrubbing-span-processor.js';
export { describeSpans } from './sent-spans.js';
export {
  INHERITED_ATTRIBUTES,
  SENTRY_ENVIRONMENT,
  SENTRY_OP,
  SENTRY_OPS,
  SENTRY_RELEASE,
  SESSION_ID,
  USER_ID,
} from './sentry-attributes.js';
export { type OtlpEndpoint, sentryOtlpEndpoint } from './sentry-endpoint.js';
export { transactionEvent } from './transaction-event.js';
