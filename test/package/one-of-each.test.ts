// Each shared concept exists once: the levels, the configuration error class, the registered global keys, and the
// two folders every other one may import (errors/, values/), which import nothing themselves.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../support/built.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const files = [...sources(join(root, 'src')), ...sources(join(root, 'instrumentation'))].map((path) => ({
  path: relative(root, path),
  text: readFileSync(path, 'utf8'),
}));

/** The files whose text matches `pattern`. */
const where = (pattern: RegExp) => files.filter(({ text }) => pattern.test(text)).map(({ path }) => path);

describe('one of each', () => {
  it('the consent levels are listed in consent/levels.ts only', () => {
    expect(where(/\[\s*'off',\s*'manual',\s*'errors',\s*'all'\s*\]|type \w+ = 'off' \| 'manual'/)).toEqual([
      'src/consent/levels.ts',
    ]);
  });

  it('Symbol.for keys live in global-keys.ts only', () => {
    expect(where(/Symbol\.for\(/)).toEqual(['src/global-keys.ts']);
  });

  it('every error class for options is a ConsentryConfigError, declared in src/errors/', () => {
    expect(where(/class \w*(Options|Config)Error\b/)).toEqual(['src/errors/config-error.ts']);
    expect(where(/extends (TypeError|RangeError)\b/)).toEqual([]);
  });

  it('the shared helpers are defined once', () => {
    expect(where(/function (isPlainObject|isPromiseLike|isThenable)\b|const isThenable\b/)).toEqual([
      'src/values/is-plain-object.ts',
      'src/values/is-promise-like.ts',
    ]);
    expect(where(/function (describeError|show|showValue)\b|const show\b/)).toEqual([
      'src/log/describe-error.ts',
      'src/log/show-value.ts',
    ]);
    expect(where(/wrapSpanContext\(INVALID_SPAN_CONTEXT\)/)).toEqual(['src/otel/off-span.ts']);
  });

  it('errors/ and values/ import nothing of the package: every folder may import them', () => {
    const low = files.filter(({ path }) => path.startsWith('src/errors/') || path.startsWith('src/values/'));
    expect(low.length).toBeGreaterThan(2);
    for (const { path, text } of low) {
      expect([path, text.match(/from '\.\.\/[^']*'/g) ?? []]).toEqual([path, []]);
    }
  });
});
