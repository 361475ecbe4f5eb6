import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { ConsentSampler, insideCommand, outsideCommand, runAsCommand } from '../../src/otel/index.js';
import { assertBuilt, root } from '../support/built.js';

const decide = (sampler: ConsentSampler) =>
  sampler.shouldSample(ROOT_CONTEXT, '0af7651916cd43dd8448eb211c80319c', 'task', SpanKind.INTERNAL, {}, []).decision;

describe('the command marker is one fact for the whole process', () => {
  it('the sampler records nothing that starts inside a command, also after awaits and in timers it set', async () => {
    const sampler = new ConsentSampler({ enabled: () => true });
    expect(decide(sampler)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    const seen = await runAsCommand(async () => {
      const now = decide(sampler);
      await new Promise((resolve) => setImmediate(resolve));
      const later = await new Promise((resolve) => setTimeout(() => resolve(decide(sampler)), 1));
      return [now, later];
    });
    expect(seen).toEqual([SamplingDecision.NOT_RECORD, SamplingDecision.NOT_RECORD]);
    expect(decide(sampler)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('outsideCommand() leaves it, for work a command only schedules', () => {
    runAsCommand(() => {
      expect(insideCommand()).toBe(true);
      expect(outsideCommand(() => insideCommand())).toBe(false);
    });
  });

  it('is shared with another copy of consentry in the process (the CommonJS build)', () => {
    assertBuilt();
    const require = createRequire(join(root, 'package.json'));
    const other = require(
      join(root, 'dist', 'cjs', 'src', 'otel', 'index.js'),
    ) as typeof import('../../src/otel/index.js');
    expect(other.runAsCommand).not.toBe(runAsCommand);
    const sampler = new ConsentSampler({ enabled: () => true });
    const otherSampler = new other.ConsentSampler({ enabled: () => true });
    expect(other.runAsCommand(() => decide(sampler))).toBe(SamplingDecision.NOT_RECORD);
    expect(runAsCommand(() => decide(otherSampler as unknown as ConsentSampler))).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(otherSampler as unknown as ConsentSampler)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });
});
