// bench/faults: a bot handling 200 commands per second (every 10th one fails and is captured) while Sentry is
// healthy, answers 500, answers 429 with Retry-After, hangs, resets connections, or is absent; against the same bot
// without consentry, in the same run. Reports p50/p99 command latency, unhandled rejections and heap growth.
// The fake Sentry runs in its own process, as a real (remote) Sentry would: its work is not the bot's.
// Run: npm run bench:faults   (SECONDS=5 per case by default; MODES=absent,hang runs only those cases)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTelemetry, memoryStore } from '../dist/esm/src/index.js';

const SECONDS = Number(process.env.SECONDS ?? 5);
const RATE = 200;
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

/** The command's own work, the same in every case. */
async function work(n) {
  JSON.parse(JSON.stringify(payload));
  await Promise.resolve();
  if (n % 10 === 0) throw new Error(`ticket ${n} could not be closed`);
}

const WARMUP = RATE; // one second, not measured: steady state, not the JIT's first compilations

async function drive(handler) {
  const latencies = [];
  const total = RATE * SECONDS;
  const started = process.hrtime.bigint();
  for (let n = 1 - WARMUP; n <= total; n++) {
    const due = started + BigInt(Math.round(((n + WARMUP) * 1e9) / RATE));
    const wait = Number(due - process.hrtime.bigint()) / 1e6;
    if (wait > 0) await sleep(wait);
    const t0 = process.hrtime.bigint();
    await handler(n).catch(() => {}); // the bot's own error handling
    if (n > 0) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  latencies.sort((a, b) => a - b);
  return { p50: latencies[Math.floor(total * 0.5)], p99: latencies[Math.floor(total * 0.99)] };
}

const heap = () => {
  globalThis.gc?.(); // with --expose-gc (npm run bench:faults), growth is measured after a full collection
  return process.memoryUsage().heapUsed / 1024 / 1024;
};
const rows = [];

async function run(label, setup) {
  const { handler, teardown } = await setup();
  const before = heap();
  const rejectionsBefore = unhandled;
  const { p50, p99 } = await drive(handler);
  const grown = heap() - before;
  await teardown();
  rows.push({ label, p50, p99, rejections: unhandled - rejectionsBefore, grown });
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const remote = spawn(process.execPath, [join(import.meta.dirname, 'lib', 'fake-sentry-process.mjs')], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const lines = remote.stdout.setEncoding('utf8');
const [firstChunk] = await once(lines, 'data');
const liveDsn = String(firstChunk).trim().split('\n')[0];
const tell = async (command) => {
  remote.stdin.write(`${command}\n`);
  await once(lines, 'data');
};

async function withConsentry(mode) {
  await tell(mode === 'healthy' || mode === 'absent' ? 'normal' : mode);
  // A closed port on loopback: nothing listens there.
  const dsn = mode === 'absent' ? 'http://public@127.0.0.1:9/1' : liveDsn;
  const telemetry = createTelemetry({ suite: 'bench', dsn, store: memoryStore(), env: {}, logger: quiet });
  const mod = telemetry.module({ name: 'tickets', version: '1.0.0' });
  await telemetry.consent.set('all', { by: 'bench' });
  return {
    handler: mod.command(work),
    teardown: async () => {
      await tell('normal');
      await telemetry.shutdown();
    },
  };
}

await run('without consentry', async () => ({ handler: work, teardown: async () => {} }));
const MODES = process.env.MODES?.split(',') ?? ['healthy', '500', '429', 'hang', 'reset', 'absent'];
for (const mode of MODES) {
  await run(
    `consentry at \`all\`, Sentry ${mode === 'healthy' ? 'healthy' : mode === 'absent' ? 'absent (connection refused)' : mode === '429' ? 'answering 429 + Retry-After' : mode === 'hang' ? 'hanging' : mode === 'reset' ? 'resetting connections' : 'answering 500'}`,
    () => withConsentry(mode),
  );
}

remote.stdin.write('quit\n');
const base = rows[0];
console.log(
  `Node ${process.version}, ${RATE} commands/s for ${SECONDS} s per case, every 10th command fails; 1 s of warm-up per case is not measured.\n`,
);
console.log('| case | p50 | p99 | p99 − baseline | unhandled rejections | heap growth |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  const delta = row === base ? '—' : `${(row.p99 - base.p99).toFixed(3)} ms`;
  console.log(
    `| ${row.label} | ${row.p50.toFixed(3)} ms | ${row.p99.toFixed(3)} ms | ${delta} | ${row.rejections} | ${row.grown.toFixed(1)} MiB |`,
  );
}
