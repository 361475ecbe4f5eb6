// With `exactOptionalPropertyTypes` (on in `tsc --init`'s defaults since TypeScript 7), `dsn?: string` rejects
// `dsn: process.env.ACME_DSN`. Every optional property in the published declarations is therefore written
// `name?: T | undefined`: checked here on the emitted .d.ts files, so a new option cannot forget it. The exception is
// an output meant for another library's exact options (`FakeClientOptions` → discord.js's `ClientOptions`): its doc
// comment says `@exactOptional`, and its keys are left out rather than set to undefined.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt, root } from '../support/built.js';

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return declarationFiles(path);
    return entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Whether `type` is a union with `undefined` at its top level (or `unknown` / `any`). */
function acceptsUndefined(type: string): boolean {
  let depth = 0;
  const top: string[] = [];
  let part = '';
  for (let i = 0; i < type.length; i++) {
    const c = type[i] as string;
    if ('({[<'.includes(c)) depth++;
    else if (')}]'.includes(c) || (c === '>' && type[i - 1] !== '=')) depth--;
    if (c === '|' && depth === 0) {
      top.push(part.trim());
      part = '';
    } else part += c;
  }
  top.push(part.trim());
  return top.some((member) => ['undefined', 'unknown', 'any'].includes(member));
}

/** `file:line name?: type` for each optional property whose type does not accept `undefined`. */
function strictOptionalProperties(file: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const found: string[] = [];
  const property = /^\s*(?:readonly\s+)?([\w$]+|'[^']*'|"[^"]*")\?: (.*)$/;
  let exact = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.includes('@exactOptional')) exact = true;
    else if (/^(export )?(declare )?(interface|type|class) /.test(line.trim()) && !/^\s/.test(line)) {
      exact = exact && (lines[i - 1] ?? '').trim() === '*/';
    }
    if (/^}/.test(line)) exact = false;
    const match = property.exec(line);
    if (!match || exact) continue;
    let type = match[2] as string;
    let depth = 0;
    const balance = (text: string) => {
      for (const c of text.replace(/=>/g, '')) {
        if ('({[<'.includes(c)) depth++;
        else if (')}]>'.includes(c)) depth--;
      }
    };
    balance(type);
    let end = i;
    while ((depth > 0 || !type.trimEnd().endsWith(';')) && end + 1 < lines.length) {
      end++;
      const next = (lines[end] as string).trim();
      balance(next);
      type += ` ${next}`;
    }
    type = type.trim().replace(/;$/, '');
    if (!acceptsUndefined(type)) found.push(`${relative(root, file)}:${i + 1} ${match[1]}?: ${type}`);
  }
  return found;
}

describe('optional properties in the published declarations', () => {
  it('the checker tells the two forms apart', () => {
    expect(acceptsUndefined('string | undefined')).toBe(true);
    expect(acceptsUndefined('(() => string | undefined)')).toBe(false);
    expect(acceptsUndefined('Record<string, string | undefined>')).toBe(false);
    expect(acceptsUndefined('(() => void) | undefined')).toBe(true);
  });

  it('every one accepts undefined (exactOptionalPropertyTypes)', () => {
    assertBuilt();
    const files = [
      ...declarationFiles(join(root, 'dist', 'esm')),
      ...declarationFiles(join(root, 'dist', 'cjs', 'instrumentation')),
    ];
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap(strictOptionalProperties)).toEqual([]);
  });
});
