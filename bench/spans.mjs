// bench/spans: what a traced background task costs. The same small body everywhere (a JSON round trip of a ~1 KB
// object), run directly, inside our pipeline at level `off` and at `all` (sampled, scrubbed, exported over HTTP to a
// local endpoint), and inside a raw OpenTelemetry span with a batch processor and a no-op exporter.
// Run: npm run bench:spans
import { createServer } from 'node:http';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createTracing } from '../dist/esm/src/otel/index.js';
import { createScrubber } from '../dist/esm/src/scrub/index.js';
import { formatNs } from './lib/measure.mjs';

const payload = {
  id: 'check-updates',
  repos: Array.from({ length: 14 }, (_, i) => ({
    name: `repo-${i}`,
    branch: 'main',
    commit: 'a1b2c3d4e5f6',
    ok: i % 3 !== 0,
  })),
  checkedAt: '2026-11-02T10:00:00.000Z',
};
const body = () => JSON.parse(JSON.stringify(payload)).repos.length;
if (Math.abs(JSON.stringify(payload).length - 1024) > 200)
  throw new Error('the benchmark payload should be about 1 KB');

// A local OTLP endpoint that answers 200 at once.
let received = 0;
const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    received++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const otlpEndpoint = `http://127.0.0.1:${server.address().port}/v1/traces`;

let warnings = 0;
const pipeline = (level) =>
  createTracing({
    otlpEndpoint,
    scrubber: createScrubber({ botToken: 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs', env: {} }),
    getLevel: () => level,
    resource: { suite: 'bench-suite', version: '1.0.0' },
    logger: { warn: () => warnings++ },
  });
const off = pipeline('off');
const all = pipeline('all');
const offTracer = off.tracer('bench');
const allTracer = all.tracer('bench');

const noopExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
const raw = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter: noopExporter })] });
const rawTracer = raw.getTracer('bench');

const inSpan = (tracer) => () =>
  tracer.startActiveSpan('check-updates', { attributes: { 'consentry.module': 'status' } }, (span) => {
    try {
      return body();
    } finally {
      span.end();
    }
  });

const cases = { direct: body, off: inSpan(offTracer), raw: inSpan(rawTracer), all: inSpan(allTracer) };

// Interleaved rounds of small chunks; between chunks the event loop runs, so exports proceed as in a bot
// (only the synchronous part of each span, batching and serializing included, is timed). Median per op.
const CHUNK = 256;
const ROUNDS = 15;
async function measure() {
  const names = Object.keys(cases);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let warm = 0; warm < 20; warm++) {
    for (const name of names) for (let i = 0; i < CHUNK; i++) cases[name]();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of names) {
      let ns = 0;
      for (let chunk = 0; chunk < 40; chunk++) {
        const start = process.hrtime.bigint();
        for (let i = 0; i < CHUNK; i++) cases[name]();
        ns += Number(process.hrtime.bigint() - start);
        await new Promise((resolve) => setImmediate(resolve));
      }
      samples[name].push(ns / (40 * CHUNK));
    }
  }
  return Object.fromEntries(names.map((name) => [name, median(samples[name])]));
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const results = await measure();
await all.forceFlush();

console.log(`Node ${process.version}; body: JSON round trip of ${JSON.stringify(payload).length} bytes.`);
console.log('\n| case | time per op | ratio |');
console.log('| --- | ---: | --- |');
console.log(`| body called directly | ${formatNs(results.direct)} | baseline |`);
console.log(
  `| our span at level \`off\` | ${formatNs(results.off)} | ${(results.off / results.direct).toFixed(2)}× direct (target ≤ 1.05×) |`,
);
console.log(`| raw OpenTelemetry span, batch processor, no-op exporter | ${formatNs(results.raw)} | baseline |`);
console.log(
  `| our span at level \`all\` (scrubbed, exported over HTTP) | ${formatNs(results.all)} | ${(results.all / results.raw).toFixed(2)}× raw (target ≤ 1.2×) |`,
);
console.log(`\n${received} OTLP requests answered; ${warnings} warnings (a warning means spans were dropped).`);

await Promise.all([off.shutdown(), all.shutdown(), raw.shutdown()]);
server.close();
