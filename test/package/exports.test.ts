import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSENTRY_VERSION } from '../../src/index.js';

const root = join(import.meta.dirname, '..', '..');
const entryPoints = ['consentry', 'consentry/instrumentation', 'consentry/discord', 'consentry/testing'];

// The package resolves itself by name from its own folder, so these load the built dist exactly as a user would.
function run(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
}

describe('package entry points', () => {
  it('keeps CONSENTRY_VERSION in step with package.json', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(CONSENTRY_VERSION).toBe(pkg.version);
  });

  it.each(entryPoints)('%s loads with require() as CommonJS', (name) => {
    const out = run(['-e', `const m = require(${JSON.stringify(name)}); console.log(typeof m)`]);
    expect(out.trim()).toBe('object');
  });

  it.each(entryPoints)('%s loads with import() as ESM', (name) => {
    const out = run([
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

  it('the root entry exports the same names to import and require', () => {
    const viaRequire = run(['-e', 'console.log(Object.keys(require("consentry")).sort().join(","))']).trim();
    const viaImport = run([
      '--input-type=module',
      '-e',
      'const m = await import("consentry"); console.log(Object.keys(m).filter((k) => k !== "default").sort().join(","))',
    ]).trim();
    expect(viaRequire).toBe(viaImport);
    expect(viaRequire).toContain('CONSENTRY_VERSION');
  });
});
