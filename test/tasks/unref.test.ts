import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../instrumentation/support.js';

const library = pathToFileURL(join(import.meta.dirname, '..', '..', 'dist', 'esm', 'src', 'index.js')).href;

describe('a loop never keeps the process alive', () => {
  beforeAll(assertBuilt);

  it('a bot whose only work left is an hourly loop ends by itself, after the first iteration ran', () => {
    const dir = mkdtempSync(join(tmpdir(), 'consentry-loop-'));
    const script = join(dir, 'bot.mjs');
    writeFileSync(
      script,
      `import { createTelemetry, memoryStore } from ${JSON.stringify(library)};
const telemetry = createTelemetry({ suite: 'acme', store: memoryStore(), env: {} });
const mod = telemetry.module({ name: 'status', version: '1.0.0' });
const loop = mod.loop('hourly', { every: 3_600_000 }, () => console.log('iteration'));
// Keeps the process up just long enough for the first iteration, which runs on the next turn.
setTimeout(() => console.log(JSON.stringify({ iterations: loop.status().iterations, next: loop.status().nextRun !== undefined })), 50);
`,
    );
    const result = spawnSync(process.execPath, [script], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('iteration\n{"iterations":1,"next":true}\n');
  });
});
