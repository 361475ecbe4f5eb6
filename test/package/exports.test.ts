import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONSENTRY_VERSION } from '../../src/index.js';
import { assertBuilt, root } from '../support/built.js';
import { startNode } from '../support/child.js';

const entryPoints = ['consentry', 'consentry/instrumentation', 'consentry/discord', 'consentry/testing'];

// The package resolves itself by name from its own folder, so these load the built dist exactly as a user would.
const run = (args: string[]): Promise<string> => startNode(args, { cwd: root }).succeeded();

describe('package entry points', () => {
  beforeAll(assertBuilt);

  it('keeps CONSENTRY_VERSION in step with package.json', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(CONSENTRY_VERSION).toBe(pkg.version);
  });

  it.each(entryPoints)('%s loads with require() as CommonJS', async (name) => {
    const out = await run(['-e', `const m = require(${JSON.stringify(name)}); console.log(typeof m)`]);
    expect(out.trim()).toBe('object');
  });

  it.each(entryPoints)('%s loads with import() as ESM', async (name) => {
    const out = await run([
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(name)}); console.log(typeof m)`,
    ]);
    expect(out.trim()).toBe('object');
  });

  it('ships type declarations for every entry point in both formats', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    for (const [key, value] of Object.entries(pkg.exports as Record<string, unknown>)) {
      if (typeof value === 'string') continue;
      const v = value as { import: { types: string }; require: { types: string } };
      for (const types of [v.import.types, v.require.types]) {
        expect(() => readFileSync(join(root, types)), `${key} → ${types}`).not.toThrow();
      }
    }
  });

  it('the root entry exports the same names to import and require', async () => {
    const viaRequire = (await run(['-e', 'console.log(Object.keys(require("consentry")).sort().join(","))'])).trim();
    const viaImport = (
      await run([
        '--input-type=module',
        '-e',
        'const m = await import("consentry"); console.log(Object.keys(m).filter((k) => k !== "default").sort().join(","))',
      ])
    ).trim();
    expect(viaRequire).toBe(viaImport);
    expect(viaRequire).toContain('CONSENTRY_VERSION');
  });
});
