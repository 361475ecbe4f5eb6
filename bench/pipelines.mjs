// bench/pipelines: what the span path costs per module of a suite. A suite at level `all` with N modules
// (N = 1, 10, 40), each running one task, then one `telemetry.flush()`: how many OTLP requests that flush makes,
// and the heap each extra module adds once it has run a task (measured against the suite with one module, after GC).
// Run: npm run bench:pipelines
import { createTelemetry, memoryStore } from '../dist/esm/src/index.js';
import { startLocalSentry } from './lib/local-sentry.mjs';

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc (npm run bench:pipelines does)');

const localSentry = await startLocalSentry();
const { dsn, counts: received } = localSentry;
const quiet = { info() {}, warn() {}, error() {} };

const settle = async () => {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    globalThis.gc();
  }
  return process.memoryUsage().heapUsed;
};

/** One suite with `count` modules, one task each, one flush. */
async function run(count, extra = {}) {
  const telemetry = createTelemetry({
    suite: 'bench-suite',
    dsn,
    level: 'all',
    store: memoryStore(),
    env: {},
    logger: quiet,
    ...extra,
  });
  await telemetry.consent.status();
  const modules = Array.from({ length: count }, (_, i) => telemetry.module({ name: `module-${i}`, version: '1.0.0' }));
  await Promise.all(modules.map((mod) => mod.task('check-updates', () => 1)));
  const heap = await settle();
  const before = received.otlp;
  const envelopesBefore = received.envelopes;
  await telemetry.flush();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const requests = received.otlp - before;
  const envelopes = received.envelopes - envelopesBefore;
  await telemetry.shutdown();
  return { heap, requests, envelopes };
}

await run(1); // warm up module loading and the JIT
const rows = [];
const base = await run(1);
for (const count of [1, 10, 40]) {
  const result = count === 1 ? base : await run(count);
  rows.push({ count, ...result, perModule: count === 1 ? undefined : (result.heap - base.heap) / (count - 1) });
}
await localSentry.close();

console.log(`Node ${process.version}; a suite at level \`all\`, N modules, one task each, one telemetry.flush().\n`);
console.log('| modules | OTLP requests for the flush | heap per extra module (after GC) |');
console.log('| ---: | ---: | ---: |');
for (const row of rows) {
  const heap = row.perModule === undefined ? '(baseline)' : `${(row.perModule / 1024).toFixed(1)} KiB`;
  console.log(`| ${row.count} | ${row.requests} | ${heap} |`);
}
