// bench/soak: 1,000,000 task runs at level `all` while Sentry is down (connection refused), every 100th run
// failing. The heap is measured after a full collection before and after, and at every 100,000 runs: it must stay
// flat (bounded queues drop what cannot be sent). Run: npm run bench:soak   (RUNS=1000000 by default)
import { createTelemetry, memoryStore } from '../dist/esm/src/index.js';

const RUNS = Number(process.env.RUNS ?? 1_000_000);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const payload = {
  id: 1,
  name: 'ticket',
  tags: Array.from({ length: 20 }, (_, i) => `tag-${i}`),
  text: 'x'.repeat(600),
};
let unhandled = 0;
process.on('unhandledRejection', () => {
  unhandled++;
});

const heapMiB = () => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

// A loopback port where nothing listens: every export and every error report fails.
const telemetry = createTelemetry({
  suite: 'soak',
  dsn: 'http://public@127.0.0.1:9/1',
  store: memoryStore(),
  env: {},
  logger: quiet,
});
const mod = telemetry.module({ name: 'worker', version: '1.0.0' });
await telemetry.consent.set('all', { by: 'bench' });

const samples = [];
const before = heapMiB();
const started = process.hrtime.bigint();
for (let run = 1; run <= RUNS; run++) {
  await mod
    .task('update-check', () => {
      JSON.parse(JSON.stringify(payload));
      if (run % 100 === 0) throw new Error(`check ${run} failed`);
    })
    .catch(() => {});
  if (run % 100_000 === 0) samples.push({ run, heap: heapMiB() });
  if (run % 1_000 === 0) await new Promise((resolve) => setImmediate(resolve));
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const after = heapMiB();
await telemetry.shutdown();

console.log(`Node ${process.version}, ${RUNS.toLocaleString('en')} task runs at level \`all\`, Sentry absent.`);
console.log(
  `${((seconds * 1e6) / RUNS).toFixed(1)} µs per run (body, span, failed exports and error reports included).`,
);
console.log(
  `heap before: ${before.toFixed(1)} MiB, after: ${after.toFixed(1)} MiB (${(after - before).toFixed(1)} MiB)`,
);
console.log(`heap every 100,000 runs: ${samples.map((s) => s.heap.toFixed(1)).join(', ')} MiB`);
console.log(`unhandled rejections: ${unhandled}`);
