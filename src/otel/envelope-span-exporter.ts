import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { Event } from '@sentry/core';
import { ConsentryConfigError } from '../errors/index.js';
import { type HostLogger, onceLogger, toHostLogger } from '../log/index.js';
import { transactionEvent } from './transaction-event.js';

/**
 * Hands one transaction event to the Sentry client of the module named (the scrubbed `consentry.module` of the root
 * span). Returns false when it was not sent (no such module, level below `all`, client closed).
 */
export type SendTransaction = (event: Event, module: string | undefined) => boolean;

export interface EnvelopeSpanExporterOptions {
  send: SendTransaction;
  /** Checked for each batch: while false, spans are dropped and nothing is buffered. Default: always. */
  enabled?: (() => boolean) | undefined;
  /** Spans held at most while their root is still open (over all traces). Default 2048. */
  maxBufferedSpans?: number | undefined;
  /** Traces whose root was sent, remembered to drop their children that end late. Default 1024. */
  maxFinishedTraces?: number | undefined;
  /** Gets one line the first time spans are dropped because the buffer is full. Default: the console. */
  logger?: Partial<HostLogger> | undefined;
}

const SUCCESS: ExportResult = Object.freeze({ code: ExportResultCode.SUCCESS });

/**
 * Spans as Sentry transaction envelopes, for servers without an OTLP route (self-hosted Sentry without the feature,
 * GlitchTip, Spotlight). Each finished local root span with the children that ended before it becomes one
 * transaction, sent through the module's own Sentry client (its rate limits, in-flight bound and outage handling).
 *
 * Children arrive before their root (they end first); they wait in a bounded buffer. A child that ends after its root
 * was sent is dropped. When the buffer is full the oldest waiting task's children are dropped to make room (a task
 * that never ends cannot hold it forever), or the new child when it belongs to that very task. {@link dropped}
 * counts every span dropped.
 */
export class EnvelopeSpanExporter implements SpanExporter {
  private readonly send: SendTransaction;
  private readonly enabled: () => boolean;
  private readonly maxBuffered: number;
  private readonly maxFinished: number;
  private readonly once: ReturnType<typeof onceLogger>;
  private readonly waiting = new Map<string, ReadableSpan[]>();
  private readonly finished = new Set<string>();
  private buffered = 0;
  private pending: ReadableSpan[] = [];
  private scheduled: Promise<void> | undefined;
  private stopped = false;
  /** Spans dropped: children that ended after their root, beyond the buffer, or of a root no module sent. */
  dropped = 0;

  constructor(options: EnvelopeSpanExporterOptions) {
    if (typeof options?.send !== 'function') {
      throw new ConsentryConfigError(
        'send',
        'EnvelopeSpanExporter: options.send must be a function (event, module) => boolean',
      );
    }
    this.send = options.send;
    this.enabled = options.enabled ?? (() => true);
    this.maxBuffered = whole('maxBufferedSpans', options.maxBufferedSpans, 2048);
    this.maxFinished = whole('maxFinishedTraces', options.maxFinishedTraces, 1024);
    this.once = onceLogger(toHostLogger(options.logger));
  }

  /** Spans waiting for their root. */
  get bufferedSpans(): number {
    return this.buffered;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.stopped || !this.enabled()) {
      done(SUCCESS);
      return;
    }
    // Deferred: a full batch is handed over inside some span's end(), which must stay cheap.
    for (const span of spans) this.pending.push(span);
    this.scheduled ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.scheduled = undefined;
        this.drain();
        resolve();
      }),
    );
    done(SUCCESS);
  }

  private drain(): void {
    const spans = this.pending;
    this.pending = [];
    if (this.stopped || !this.enabled()) {
      this.dropped += spans.length;
      return;
    }
    for (const span of spans) {
      try {
        this.take(span);
      } catch {
        this.dropped++; // a span that cannot be turned into JSON is not sent
      }
    }
  }

  private take(span: ReadableSpan): void {
    const traceId = span.spanContext().traceId;
    const parent = span.parentSpanContext;
    if (parent === undefined || parent.isRemote === true) {
      const children = this.waiting.get(traceId) ?? [];
      this.waiting.delete(traceId);
      this.buffered -= children.length;
      this.remember(traceId);
      const module = span.attributes['consentry.module'];
      const sent = this.send(transactionEvent(span, children), typeof module === 'string' ? module : undefined);
      if (!sent) this.dropped += children.length + 1;
      return;
    }
    if (this.finished.has(traceId)) {
      this.dropped++; // ended after its root: the transaction has left already
      return;
    }
    while (this.buffered >= this.maxBuffered) {
      // Full: the oldest waiting task makes room (it may never end), unless it is this span's own task.
      const oldest = this.waiting.keys().next().value;
      if (oldest === undefined || oldest === traceId) {
        this.dropped++;
        this.reportFull();
        return;
      }
      this.evictOldest();
    }
    let children = this.waiting.get(traceId);
    if (children === undefined) {
      children = [];
      this.waiting.set(traceId, children);
    }
    children.push(span);
    this.buffered++;
  }

  private evictOldest(): void {
    const [traceId, children] = this.waiting.entries().next().value as [string, ReadableSpan[]];
    this.waiting.delete(traceId);
    this.buffered -= children.length;
    this.dropped += children.length;
    this.remember(traceId); // its root, if it ever ends, is sent without them
    this.reportFull();
  }

  private reportFull(): void {
    this.once.report(
      'buffer-full',
      'warn',
      `consentry: more than ${this.maxBuffered} spans were waiting for their task to end; spans were dropped, the oldest task's first (logged once).`,
    );
  }

  private remember(traceId: string): void {
    this.finished.delete(traceId);
    this.finished.add(traceId);
    if (this.finished.size > this.maxFinished) this.finished.delete(this.finished.values().next().value as string);
  }

  /** Drops every span waiting for its root (consent lowered, or the user id they carry was forgotten). */
  abortInFlight(): void {
    this.dropped += this.buffered + this.pending.length;
    this.waiting.clear();
    this.buffered = 0;
    this.pending = [];
  }

  /** Hands what was exported to the modules' clients (which the suite flushes next). */
  async forceFlush(): Promise<void> {
    await this.scheduled;
  }

  /** Hands over what was exported; children still waiting for a root are dropped. */
  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.stopped = true;
    this.abortInFlight();
  }
}

function whole(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConsentryConfigError(
      field,
      `EnvelopeSpanExporter: ${field} must be a whole number above 0, got ${String(value)}`,
    );
  }
  return value;
}
