import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createScrubber } from '../../src/scrub/index.js';

interface Case {
  id: string;
  set: 'core' | 'ext';
  tags: string[];
  input: string;
  expect: string;
  unchanged: boolean;
  expect_strict?: string;
  env?: Record<string, string>;
}

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const context = JSON.parse(readFileSync(join(fixtures, 'scrub-context.json'), 'utf8'));
const cases: Case[] = readFileSync(join(fixtures, 'scrub-examples.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line));

function scrubberFor(c: Case, keepLoopback = true) {
  return createScrubber({ botToken: context.botToken, env: c.env ?? context.env, keepLoopback });
}

describe('scrubbing corpus (shared/corpus/scrub-examples.jsonl)', () => {
  it('has the cases the corpus promises', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    // The corpus itself is consistent: `unchanged` says whether `expect` is the input.
    for (const c of cases) expect(c.unchanged, c.id).toBe(c.expect === c.input);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const out = scrubberFor(c).string(c.input);
    expect(out).toBe(c.expect);
    expect(out === c.input, c.unchanged ? 'should be left unchanged' : 'should be changed').toBe(c.unchanged);
  });

  const strict = cases.filter((c) => c.expect_strict !== undefined);
  it.each(strict.map((c) => [c.id, c] as const))('%s with keepLoopback: false', (_id, c) => {
    expect(scrubberFor(c, false).string(c.input)).toBe(c.expect_strict);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s is idempotent', (_id, c) => {
    const scrubber = scrubberFor(c);
    const once = scrubber.string(c.input);
    expect(scrubber.string(once)).toBe(once);
  });

  it('scrubs a string inside value() exactly as string() does', () => {
    const scrubber = createScrubber({ botToken: context.botToken, env: context.env });
    const inputs = cases.filter((c) => !c.env).map((c) => c.input);
    expect(scrubber.value(inputs)).toEqual(inputs.map((s) => scrubber.string(s)));
  });
});
