// The `@example` blocks of the JSDoc in src/ compile against the sources, so an example never shows an API that
// does not exist (one showed `consent.level` and `consent.onChange`).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../support/built.js';
import { runNode } from '../support/child.js';

const work = join(root, '.jsdoc-examples');

// Names the examples use without defining them: the caller's own values.
const PRELUDE = `
import { Client, GatewayIntentBits } from 'discord.js';
import { expect } from 'vitest';
import type { ConsentLevel } from '../src/consent/index.js';
import { createTelemetry } from '../src/index.js';
import { createTracing } from '../src/otel/index.js';
import { createScrubber } from '../src/scrub/index.js';
import type { Telemetry } from '../src/suite/index.js';
import { FakeDiscord, FakeSentry, guildIdForShard } from '../src/testing/index.js';
declare const dsn: string;
declare const botToken: string;
declare let level: ConsentLevel;
declare const telemetry: Telemetry;
declare function checkForUpdates(): Promise<void>;
`;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function examples(): { where: string; code: string }[] {
  const found: { where: string; code: string }[] = [];
  for (const file of [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'instrumentation'))]) {
    const text = readFileSync(file, 'utf8');
    // From `@example` to the end of the comment (or the next tag), with or without a ```ts fence.
    for (const match of text.matchAll(/@example([\s\S]*?)(?=\n\s*\*\s*@|\*\/)/g)) {
      const line = text.slice(0, match.index).split('\n').length;
      const code = (match[1] ?? '')
        .split('\n')
        .map((row) => row.replace(/^\s*\* ?/, ''))
        .filter((row) => !row.startsWith('```'))
        .join('\n');
      found.push({ where: `${relative(root, file)}:${line}`, code });
    }
  }
  return found;
}

describe('JSDoc examples', () => {
  const found = examples();

  it('finds the examples', () => {
    expect(found.map(({ where }) => where.split(':')[0])).toContain('src/otel/create-tracing.ts');
  });

  it('every @example type-checks against src/', async () => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const files = found.map(({ where, code }) => {
      const file = `${where.replace(/[/:.]/g, '_')}.ts`;
      writeFileSync(join(work, file), `${PRELUDE}\n{\n${code}\n}\nexport {};\n`); // a block: an example may reuse a prelude name
      return file;
    });
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({
        extends: '../tsconfig.json',
        compilerOptions: { noEmit: true, rootDir: '..', noUnusedLocals: false, declaration: false, sourceMap: false },
        include: files,
      }),
    );
    const exit = await runNode([join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', work]);
    expect(exit.stdout + exit.stderr).toBe('');
    expect(exit.code).toBe(0);
    rmSync(work, { recursive: true, force: true }); // kept when it fails, to read the files tsc names
  });
});
