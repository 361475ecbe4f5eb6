import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/built.js';
import { startNode } from '../support/child.js';
import { waitFor } from '../support/wait.js';

const library = pathToFileURL(join(import.meta.dirname, '..', '..', 'dist', 'esm', 'src', 'index.js')).href;

describe('a loop never keeps the process alive', () => {
  beforeAll(assertBuilt);

  it('a bot whose only work left is an hourly loop ends by itself, after the first iteration ran', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'consentry-loop-'));
    const script = join(dir, 'bot.mjs');
    writeFileSync(
      script,
      `import { createTelemetry, memoryStore } from ${JSON.stringify(library)};
const telemetry = createTelemetry({ suite: 'acme', store: memoryStore(), env: {} });
const mod = telemetry.module({ name: 'status', version: '1.0.0' });
const loop = mod.loop('hourly', { every: 3_600_000 }, () => console.log('iteration'));
// Keeps the process up until the first iteration ran, then says what else would keep it alive.
const poll = setInterval(() => {
  if (loop.status().iterations < 1) return;
  clearInterval(poll);
  setImmediate(() => {
    const alive = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout');
    console.log(JSON.stringify({ iterations: loop.status().iterations, next: loop.status().nextRun !== undefined, alive }));
  });
}, 1);
`,
    );
    const child = startNode([script], { cwd: dir });
    try {
      // The report line comes before the end; checked first, so a loop that keeps the process alive fails here at
      // once (its timer is listed) instead of at the test timeout.
      await waitFor('the report line', () => child.stdout.includes('}\n'));
      expect(child.stdout).toBe('iteration\n{"iterations":1,"next":true,"alive":[]}\n');
      expect(await child.exit).toMatchObject({ code: 0, signal: null });
    } finally {
      child.process.kill();
    }
  });
});
