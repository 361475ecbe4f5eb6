/**
 * The span path: background work becomes OpenTelemetry spans on a provider of our own, scrubbed, stripped of
 * anything about commands, and exported over OTLP only at consent level `all`.
 *
 * Plugin mode: {@link createTracing} — `createTracing({ dsn | otlpEndpoint (+headers), scrubber, getLevel,
 * tracesSampleRate?, resource: { suite, module?, version?, environment? }, logger?, encoding?, limits? })`
 * returns `{ tracer(name, version?), activeSpan(), enabled, levelChanged(), forceFlush(), shutdown() }`.
 * Nothing global is touched.
 *
 * Process mode (a global NodeSDK) reuses the parts: {@link ConsentSampler}, {@link ScrubbingSpanProcessor},
 * {@link OtlpHttpSpanExporter}, {@link sentryOtlpEndpoint}, {@link suiteResource}.
 */
export { COMMAND_KIND, CONSENTRY_KIND } from './attributes.js';
export { insideCommand, outsideCommand, runAsCommand } from './command-scope.js';
export { CommandTraces } from './command-traces.js';
export { createTracing, type Tracing, type TracingLimits, type TracingOptions } from './create-tracing.js';
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
export { type OtlpEndpoint, sentryOtlpEndpoint } from './sentry-endpoint.js';
