import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { ConsentryConfigError } from '../errors/index.js';
import { type HostLogger, toHostLogger } from '../log/index.js';
import { createPoster, type PostAnswered, type Poster, type PostOutcome } from '../net/index.js';
import { CONSENTRY_VERSION } from '../version.js';
import { OutageLog } from './outage-log.js';

export interface OtlpHttpSpanExporterOptions {
  /** The OTLP/HTTP traces URL, e.g. from {@link sentryOtlpEndpoint} or `http://collector:4318/v1/traces`. */
  url: string;
  /** The only headers sent besides content type, length and user agent. `OTEL_EXPORTER_OTLP_*` is never read. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Body format. Default `'protobuf'`. */
  encoding?: 'protobuf' | 'json' | undefined;
  /** Whole request, connect to answer. Default 10 000 ms. */
  timeoutMillis?: number | undefined;
  /** Checked before each request: while false, batches are dropped unsent. Default: always. */
  enabled?: (() => boolean) | undefined;
  /** Used when no `outage` is given. Default: the console. */
  logger?: Partial<HostLogger> | undefined;
  /** Shared with the processor, so that one outage gives one line. */
  outage?: OutageLog | undefined;
  /**
   * Called when the route answers 404, 405 or 415 (the server has no OTLP ingest), with the batch it refused.
   * Returning true takes the batch over (see {@link AutoSpanExporter}) and no outage is logged.
   */
  onUnsupportedRoute?: ((status: number, spans: ReadableSpan[]) => boolean) | undefined;
  /** Called once per request with what left and how it ended (see `PosterOptions.onOutcome`). */
  onOutcome?: ((outcome: PostOutcome) => void) | undefined;
  /** Told of every request that left: the (scrubbed) spans it carried, its size and the answer. Must not throw. */
  onSent?: ((request: SentSpans) => void) | undefined;
}

export interface SentSpans {
  spans: readonly ReadableSpan[];
  bytes: number;
  status: number | null;
  error: string | null;
}

const SUCCESS: ExportResult = Object.freeze({ code: ExportResultCode.SUCCESS });
const DEFAULT_RATE_LIMIT_SECONDS = 60;
// As for envelopes: bodies above 32 KiB are gzipped, in the sending thread.
const GZIP_THRESHOLD = 32 * 1024;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Sends spans over OTLP/HTTP with only the headers it was given (the stock OTLP exporters also merge
 * `OTEL_EXPORTER_OTLP_HEADERS`, which would hand a host's secrets to Sentry).
 *
 * Failures never reach the caller: a non-2xx answer, a network error or a timeout drops the batch and logs
 * once per outage; a 429 also pauses sending for its `Retry-After`. The result callback therefore always
 * reports success, so the SDK does not log each failure again through the host's diag logger.
 */
export class OtlpHttpSpanExporter implements SpanExporter {
  private readonly poster: Poster;
  private readonly url: string;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly onSent: ((request: SentSpans) => void) | undefined;
  private readonly serialize: (spans: ReadableSpan[]) => Promise<Uint8Array | undefined>;
  private readonly enabled: () => boolean;
  private readonly outage: OutageLog;
  private readonly onUnsupportedRoute: OtlpHttpSpanExporterOptions['onUnsupportedRoute'];
  private readonly inFlight = new Map<AbortController, Promise<void>>();
  private rateLimitedUntil = 0;
  private stopped = false;

  constructor(options: OtlpHttpSpanExporterOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new ConsentryConfigError(
        'url',
        `OtlpHttpSpanExporter: url must be an absolute http(s) URL, got ${JSON.stringify(options.url)}`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConsentryConfigError(
        'url',
        `OtlpHttpSpanExporter: url must use http: or https:, got ${JSON.stringify(url.protocol)}`,
      );
    }
    const encoding = options.encoding ?? 'protobuf';
    if (encoding !== 'protobuf' && encoding !== 'json') {
      throw new ConsentryConfigError(
        'encoding',
        `OtlpHttpSpanExporter: encoding must be 'protobuf' or 'json', got ${JSON.stringify(encoding)}`,
      );
    }
    const timeoutMillis = options.timeoutMillis ?? 10_000;
    if (!Number.isInteger(timeoutMillis) || timeoutMillis <= 0) {
      throw new ConsentryConfigError(
        'timeoutMillis',
        `OtlpHttpSpanExporter: timeoutMillis must be a whole number above 0, got ${timeoutMillis}`,
      );
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (!HEADER_NAME.test(name) || typeof value !== 'string' || /[\r\n]/.test(value)) {
        throw new ConsentryConfigError(
          'headers',
          `OtlpHttpSpanExporter: header ${JSON.stringify(name)} must be a token name with a one-line string value`,
        );
      }
      headers[name] = value;
    }
    headers['content-type'] = encoding === 'json' ? 'application/json' : 'application/x-protobuf';
    headers['user-agent'] = `consentry/${CONSENTRY_VERSION}`;
    // The OTLP serializer loads with the first export: most bots never reach level `all`.
    let transformer: Promise<typeof import('@opentelemetry/otlp-transformer')> | undefined;
    this.serialize = async (spans) => {
      transformer ??= import('@opentelemetry/otlp-transformer');
      const { JsonTraceSerializer, ProtobufTraceSerializer } = await transformer;
      return (encoding === 'json' ? JsonTraceSerializer : ProtobufTraceSerializer).serializeRequest(spans);
    };
    this.url = url.href;
    this.headers = headers;
    this.onSent = options.onSent;
    this.poster = createPoster({ timeoutMs: timeoutMillis, gzipAbove: GZIP_THRESHOLD, onOutcome: options.onOutcome });
    this.enabled = options.enabled ?? (() => true);
    this.onUnsupportedRoute = options.onUnsupportedRoute;
    // Only scheme and host in logs: paths and user info may carry credentials of a collector.
    this.outage = options.outage ?? new OutageLog(toHostLogger(options.logger), `${url.protocol}//${url.host}`);
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.stopped || spans.length === 0 || !this.enabled() || Date.now() < this.rateLimitedUntil) {
      done(SUCCESS);
      return;
    }
    const controller = new AbortController();
    // Encoding is deferred: a full batch is handed over inside some span's end(), which must stay cheap.
    const handled = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.send(spans, controller.signal))
      .finally(() => {
        this.inFlight.delete(controller);
        try {
          done(SUCCESS);
        } catch {
          // A throwing callback must not become an unhandled rejection in the bot.
        }
      });
    this.inFlight.set(controller, handled);
  }

  /** Encodes and posts one batch. Never rejects: every failure is an outage line or a silent drop. */
  private async send(spans: ReadableSpan[], signal: AbortSignal): Promise<void> {
    if (signal.aborted || !this.enabled()) return;
    let body: Uint8Array | undefined;
    try {
      body = await this.serialize(spans);
    } catch {
      body = undefined;
    }
    if (body === undefined) {
      this.outage.report('the spans could not be encoded');
      return;
    }
    // Sent from consentry's sending thread: the host's HTTP instrumentation never sees it.
    const outcome = await this.poster.post({ kind: 'otlp', url: this.url, headers: this.headers, body, signal });
    this.told(spans, outcome.sentBytes || outcome.bytes, outcome.status ?? null, outcome.failure ?? null);
    if (outcome.failure === undefined) this.answered(outcome, spans);
    else if (!signal.aborted) this.outage.report(outcome.failure);
  }

  /** Waits for requests in flight. */
  async forceFlush(): Promise<void> {
    // The sending thread does not keep the process alive: an awaited flush must, until it is done.
    const release = this.poster.hold();
    try {
      await Promise.all(this.inFlight.values());
    } finally {
      release();
    }
  }

  /** Cancels requests in flight (consent was lowered): what they carried is dropped. */
  abortInFlight(): void {
    for (const controller of this.inFlight.keys()) controller.abort();
  }

  /** Waits for requests in flight, then closes connections; later batches are dropped. */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.forceFlush();
    this.poster.close();
  }

  private told(spans: readonly ReadableSpan[], bytes: number, status: number | null, error: string | null): void {
    try {
      this.onSent?.({ spans, bytes, status, error });
    } catch {
      // The record of what was sent must never cost a batch.
    }
  }

  private answered({ status, retryAfter, rateLimits }: PostAnswered, spans: ReadableSpan[]): void {
    if (status >= 200 && status < 300) {
      this.outage.recovered();
      return;
    }
    if (status === 429) {
      const seconds = retryAfterSeconds(retryAfter, rateLimits);
      this.rateLimitedUntil = Date.now() + seconds * 1000;
      this.outage.report(`rate limited (HTTP 429), pausing for ${seconds} s`);
      return;
    }
    if ((status === 404 || status === 405 || status === 415) && this.onUnsupportedRoute?.(status, spans)) return;
    this.outage.report(`HTTP ${status}`);
  }
}

function retryAfterSeconds(retryAfter: string | null, limits: string | null): number {
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, (date - Date.now()) / 1000);
  }
  if (limits) {
    const seconds = Math.max(...limits.split(',').map((limit) => Number(limit.split(':')[0]) || 0));
    if (seconds > 0) return seconds;
  }
  return DEFAULT_RATE_LIMIT_SECONDS;
}
