import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import {
  AlwaysOnSampler,
  ParentBasedSampler,
  type Sampler,
  SamplingDecision,
  type SamplingResult,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace';
import { ConsentryConfigError } from '../errors/index.js';
import { isCommand } from './attributes.js';
import { insideCommand } from './command-scope.js';

export interface ConsentSamplerOptions {
  /** Whether spans may be recorded now (consent level `all`). Called for every span start: keep it cheap. */
  enabled: () => boolean;
  /** Share of new traces recorded when enabled, 0..1. Default 1. */
  ratio?: number | undefined;
}

const NOT_RECORD: SamplingResult = Object.freeze({ decision: SamplingDecision.NOT_RECORD });

/**
 * NOT_RECORD while consent is below `all` (the span is a no-op: off costs next to nothing), for every span that
 * starts while a command or listener runs (see {@link insideCommand}: any module, any suite, any copy of consentry)
 * and for command spans given `consentry.kind: 'command'` at start (their children follow the parent: not recorded).
 * Otherwise parent-based sampling with a trace-id ratio for roots.
 */
export class ConsentSampler implements Sampler {
  private readonly enabled: () => boolean;
  private readonly ratio: number;
  private readonly delegate: Sampler;

  constructor(options: ConsentSamplerOptions) {
    const ratio = options.ratio ?? 1;
    if (typeof ratio !== 'number' || !(ratio >= 0 && ratio <= 1)) {
      throw new ConsentryConfigError(
        'ratio',
        `ConsentSampler: ratio must be a number from 0 to 1 (1 = every trace); got ${String(ratio)}`,
      );
    }
    this.enabled = options.enabled;
    this.ratio = ratio;
    const root = ratio === 1 ? new AlwaysOnSampler() : new TraceIdRatioBasedSampler(ratio);
    this.delegate = new ParentBasedSampler({ root });
  }

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    if (!this.enabled() || isCommand(attributes) || insideCommand()) return NOT_RECORD;
    return this.delegate.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return `ConsentSampler{ratio=${this.ratio}}`;
  }
}
