import type { Context } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { ConsentryConfigError } from '../errors/index.js';
import { type HostLogger, toHostLogger } from '../log/index.js';
import type { Scrubber } from '../scrub/index.js';
import { isCommand } from './attributes.js';
import { CommandTraces } from './command-traces.js';
import { OutageLog } from './outage-log.js';
import { createSpanScrubber } from './scrub-span.js';

export interface ScrubbingSpanProcessorOptions {
  /** Applied to every string of every span before it is queued. */
  scrubber: Scrubber;
  /** Where batches go, e.g. {@link OtlpHttpSpanExporter}. */
  exporter: SpanExporter;
  /** Whether spans may leave now (consent level `all`). Spans ending while false are dropped. Default: always. */
  enabled?: (() => boolean) | undefined;
  /** Spans waiting for export; beyond it new spans are dropped (one log line per outage). Default 2048. */
  maxQueueSize?: number | undefined;
  /** Spans per request. Default 512. */
  maxExportBatchSize?: number | undefined;
  /** Delay between two scheduled exports. Default 5000 ms. */
  scheduledDelayMillis?: number | undefined;
  /** The batch processor's own guard on one export; keep it above the exporter's timeout. Default 30 000 ms. */
  exportTimeoutMillis?: number | undefined;
  /** Command traces remembered (open, and again recently finished) to drop their late spans. Default 1024. */
  maxTrackedTraces?: number | undefined;
  /** Used when no `outage` is given. Default: the console. */
  logger?: Partial<HostLogger> | undefined;
  /** Shared with the exporter, so that one outage gives one line. */
  outage?: OutageLog | undefined;
  /** Asked for each ended span (unscrubbed, read-only): false drops it, e.g. a span of a user id since forgotten. */
  keep?: ((span: ReadableSpan) => boolean) | undefined;
}

const SUCCESS: ExportResult = Object.freeze({ code: ExportResultCode.SUCCESS });

/**
 * The privacy stage of the span path, in front of a `BatchSpanProcessor`:
 *
 * - drops every span of a trace that has a command span in it (`consentry.kind: 'command'`), also spans
 *   started later under that trace (HTTP requests of the command), with bounded memory;
 * - drops spans while `enabled()` is false, and on {@link dropQueued} everything already queued;
 * - copies each remaining span with names, attributes, events, status, links, scope and resource scrubbed;
 * - bounds the queue itself (so the batch processor never drops silently) and logs once per outage.
 *
 * The command kind should be given at span start; one set later is still honoured for that span and for
 * spans of its trace that end after it.
 */
export class ScrubbingSpanProcessor implements SpanProcessor {
  private readonly batch: BatchSpanProcessor;
  private readonly scrub: (span: ReadableSpan) => ReadableSpan;
  private readonly enabled: () => boolean;
  private readonly commands: CommandTraces;
  private readonly outage: OutageLog;
  private readonly maxQueueSize: number;
  private readonly keep: ((span: ReadableSpan) => boolean) | undefined;
  private queued = 0;
  private discarding = false;
  private closed = false;

  constructor(options: ScrubbingSpanProcessorOptions) {
    const { scrubber, exporter } = options;
    if (!scrubber || typeof scrubber.string !== 'function' || typeof scrubber.value !== 'function') {
      throw new ConsentryConfigError(
        'scrubber',
        'ScrubbingSpanProcessor: options.scrubber must be a scrubber from createScrubber()',
      );
    }
    if (!exporter || typeof exporter.export !== 'function') {
      throw new ConsentryConfigError(
        'exporter',
        'ScrubbingSpanProcessor: options.exporter must be a SpanExporter (export, shutdown)',
      );
    }
    this.maxQueueSize = positiveInteger('maxQueueSize', options.maxQueueSize, 2048);
    this.enabled = options.enabled ?? (() => true);
    this.keep = options.keep;
    this.commands = new CommandTraces(positiveInteger('maxTrackedTraces', options.maxTrackedTraces, 1024));
    this.outage = options.outage ?? new OutageLog(toHostLogger(options.logger), 'the OTLP endpoint');
    this.scrub = createSpanScrubber(scrubber);
    this.batch = new BatchSpanProcessor({
      exporter: this.countingExporter(exporter),
      maxQueueSize: this.maxQueueSize,
      maxExportBatchSize: Math.min(
        positiveInteger('maxExportBatchSize', options.maxExportBatchSize, 512),
        this.maxQueueSize,
      ),
      scheduledDelayMillis: positiveInteger('scheduledDelayMillis', options.scheduledDelayMillis, 5000),
      exportTimeoutMillis: positiveInteger('exportTimeoutMillis', options.exportTimeoutMillis, 30_000),
    });
  }

  /** Spans accepted and not yet handed to the exporter. */
  get queueSize(): number {
    return this.queued;
  }

  onStart(span: Span, _parentContext: Context): void {
    const traceId = span.spanContext().traceId;
    if (isCommand(span.attributes) || this.commands.has(traceId)) this.commands.started(traceId);
  }

  onEnd(span: ReadableSpan): void {
    const traceId = span.spanContext().traceId;
    if (this.commands.has(traceId)) {
      this.commands.ended(traceId);
      return;
    }
    if (isCommand(span.attributes)) {
      this.commands.markFinished(traceId);
      return;
    }
    if (this.closed || (span.spanContext().traceFlags & 1) === 0 || !this.enabled()) return;
    if (this.keep !== undefined && !keeps(this.keep, span)) return;
    if (this.queued >= this.maxQueueSize) {
      this.outage.report(`the queue is full (${this.maxQueueSize} spans waiting)`);
      return;
    }
    let scrubbed: ReadableSpan;
    try {
      scrubbed = this.scrub(span);
    } catch {
      return; // A span that cannot be scrubbed is not sent.
    }
    this.queued++;
    this.batch.onEnd(scrubbed);
  }

  /** Exports what is queued (when enabled). Never rejects. */
  async forceFlush(): Promise<void> {
    try {
      await this.batch.forceFlush();
    } catch {
      // Failures were logged by the exporter; the flush itself must not throw into the bot.
    }
  }

  /** Drops every queued span without sending it (consent was lowered). */
  async dropQueued(): Promise<void> {
    this.discarding = true;
    let flushed: Promise<void>;
    try {
      // The batch processor hands every queued batch to the exporter synchronously inside forceFlush.
      flushed = this.batch.forceFlush();
    } finally {
      this.discarding = false;
    }
    try {
      await flushed;
    } catch {
      // Nothing was sent; nothing to report.
    }
  }

  /** Flushes (when enabled) and stops; later spans are ignored. Never rejects. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.enabled()) await this.dropQueued();
    try {
      await this.batch.shutdown();
    } catch {
      // Logged by the exporter.
    }
  }

  private countingExporter(exporter: SpanExporter): SpanExporter {
    return {
      export: (spans, done) => {
        this.queued = Math.max(0, this.queued - spans.length);
        if (this.discarding || !this.enabled()) {
          done(SUCCESS);
          return;
        }
        exporter.export(spans, done);
      },
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    };
  }
}

function keeps(keep: (span: ReadableSpan) => boolean, span: ReadableSpan): boolean {
  try {
    return keep(span) === true;
  } catch {
    return false; // a predicate that fails must not let a span through
  }
}

export function positiveInteger(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConsentryConfigError(field, `${field} must be a whole number above 0, got ${String(value)}`);
  }
  return value;
}
