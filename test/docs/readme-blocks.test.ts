// The README's TypeScript and JavaScript examples compile against the built package, as a user would import it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt, root } from '../support/built.js';
import { runNode } from '../support/child.js';

const work = join(root, '.readme-blocks');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

// Names the examples use without defining them: the bot's own objects, and what an earlier block of the same
// section defined.
const PRELUDE = `
declare const client: import('discord.js').Client;
declare const dsn: string;
declare const botToken: string;
declare const telemetry: import('consentry').Telemetry;
declare const mod: import('consentry').TelemetryModule;
declare const createTelemetry: typeof import('consentry').createTelemetry;
declare const redisStore: typeof import('consentry').redisStore;
declare function handler(...args: any[]): Promise<void>;
declare function checkForUpdates(): Promise<void>;
declare const anyValue: unknown;
`;

function blocks(markdown: string): { line: number; code: string }[] {
  const found: { line: number; code: string }[] = [];
  const pattern = /^```(ts|js)\n([\s\S]*?)^```$/gm;
  for (const match of markdown.matchAll(pattern)) {
    const line = markdown.slice(0, match.index).split('\n').length;
    found.push({ line, code: match[2] ?? '' });
  }
  return found;
}

describe('README code blocks', () => {
  const examples = blocks(readFileSync(join(root, 'README.md'), 'utf8'));

  it('has examples to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  // The repository's own settings, and what `tsc --init` of the TypeScript we ship with writes for a new project
  // (TypeScript 7: strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, verbatimModuleSyntax…), with the
  // `types: ["node"]` its comments tell Node projects to set.
  const configs: [string, (dir: string) => Promise<Record<string, unknown>>][] = [
    ['the repository tsconfig.json', async () => ({ extends: '../tsconfig.json', compilerOptions: { rootDir: '.' } })],
    [
      "tsc --init's defaults",
      async (dir) => {
        mkdirSync(join(dir, 'init'));
        const init = await runNode([tsc, '--init'], { cwd: join(dir, 'init') });
        expect(init.code).toBe(0);
        return { extends: './init/tsconfig.json', compilerOptions: { types: ['node'] } };
      },
    ],
  ];

  it.each(configs)('every ts/js block type-checks against the package with %s', async (_, config) => {
    // `consentry` resolves to the built declarations in dist/.
    assertBuilt();
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, 'prelude.d.ts'), PRELUDE);
    const files = examples.map(({ line, code }) => {
      const file = `readme-line-${line}.ts`;
      writeFileSync(join(work, file), `${code}\nexport {};\n`);
      return file;
    });
    const base = await config(work);
    const compilerOptions = {
      ...(base.compilerOptions as object),
      noEmit: true,
      noUnusedLocals: false,
      declaration: false,
      declarationMap: false,
      sourceMap: false,
    };
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({ ...base, compilerOptions, include: ['prelude.d.ts', ...files] }),
    );
    try {
      const exit = await runNode([tsc, '-p', work]);
      expect(exit.stdout + exit.stderr).toBe('');
      expect(exit.code).toBe(0);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it("tsc --init's defaults include exactOptionalPropertyTypes (what this test is for)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'consentry-tsc-init-'));
    try {
      expect((await runNode([tsc, '--init'], { cwd: dir })).code).toBe(0);
      expect(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).toMatch(/^\s*"exactOptionalPropertyTypes": true,/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
