import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { COMMAND_KIND, CONSENTRY_KIND, ConsentSampler } from '../../src/otel/index.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const decide = (sampler: ConsentSampler, attributes = {}, context = ROOT_CONTEXT) =>
  sampler.shouldSample(context, TRACE_ID, 'task', SpanKind.INTERNAL, attributes, []).decision;

describe('ConsentSampler', () => {
  it('records nothing while disabled, and follows the switch at once', () => {
    let on = false;
    const sampler = new ConsentSampler({ enabled: () => on });
    expect(decide(sampler)).toBe(SamplingDecision.NOT_RECORD);
    on = true;
    expect(decide(sampler)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('never records a span given the command kind at start', () => {
    const sampler = new ConsentSampler({ enabled: () => true });
    expect(decide(sampler, { [CONSENTRY_KIND]: COMMAND_KIND })).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(sampler, { [CONSENTRY_KIND]: 'task' })).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('follows the parent: a child of an unsampled span is not recorded, whatever the ratio', () => {
    const sampler = new ConsentSampler({ enabled: () => true, ratio: 1 });
    const unsampled = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: TRACE_ID,
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.NONE,
    });
    expect(decide(sampler, {}, unsampled)).toBe(SamplingDecision.NOT_RECORD);
  });

  it('samples roots by ratio: 0 records none', () => {
    const sampler = new ConsentSampler({ enabled: () => true, ratio: 0 });
    expect(decide(sampler)).toBe(SamplingDecision.NOT_RECORD);
    expect(() => new ConsentSampler({ enabled: () => true, ratio: 1.5 })).toThrow(/ratio must be a number from 0 to 1/);
  });
});
