// bench/event-loop: event-loop delay (perf_hooks.monitorEventLoopDelay) while a module captures the largest event
// the scrubber allows, 10 times a second, against the same loop with no captures. The largest event is built to be
// the worst case: every character of its 65,536-character budget is part of an id, IP, invite or path to replace.
// Run: npm run bench:event-loop   (SECONDS=5 by default)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTelemetry, memoryStore } from '../dist/esm/src/index.js';

const SECONDS = Number(process.env.SECONDS ?? 5);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const piece = '123456789012345678 203.0.113.5 discord.gg/abc 2001:db8::1 ';
const text = piece.repeat(Math.ceil(16_384 / piece.length)).slice(0, 16_384);
const largest = () => ({
  texts: Array.from({ length: 8 }, (_, i) => `${text}${i}`),
  wide: Array.from({ length: 50 }, (_, i) =>
    Object.fromEntries(Array.from({ length: 100 }, (_, j) => [`k${j}`, i * j])),
  ),
});

const remote = spawn(process.execPath, [join(import.meta.dirname, 'lib', 'fake-sentry-process.mjs')], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const [firstChunk] = await once(remote.stdout.setEncoding('utf8'), 'data');
const dsn = String(firstChunk).trim().split('\n')[0];

async function measure(capture) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const end = Date.now() + SECONDS * 1000;
  while (Date.now() < end) {
    capture?.();
    await sleep(100);
  }
  histogram.disable();
  return { p50: histogram.percentile(50) / 1e6, p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 };
}

const telemetry = createTelemetry({ suite: 'bench', dsn, store: memoryStore(), env: {}, logger: quiet });
const mod = telemetry.module({ name: 'big', version: '1.0.0' });
await telemetry.consent.set('errors', { by: 'bench' });
for (let i = 0; i < 20; i++) mod.captureError(new Error('warm-up'), { extra: largest() });
await sleep(500);

const idle = await measure(undefined);
// Built once: making the value is the bot's cost, not consentry's (scrubbing copies it, never changes it).
const extra = largest();
const busy = await measure(() => mod.captureError(new Error('the largest event'), { extra }));
await telemetry.shutdown();
remote.stdin.write('quit\n');

console.log(`Node ${process.version}, ${SECONDS} s each, one capture of the largest allowed event every 100 ms.\n`);
console.log('| case | delay p50 | delay p99 | delay max |');
console.log('| --- | ---: | ---: | ---: |');
for (const [label, r] of [
  ['no captures', idle],
  ['capturing the largest event 10×/s', busy],
]) {
  console.log(`| ${label} | ${r.p50.toFixed(2)} ms | ${r.p99.toFixed(2)} ms | ${r.max.toFixed(2)} ms |`);
}
