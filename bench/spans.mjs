// bench/spans: what a traced background task costs, measured with the cases in one run. The same small body
// everywhere (a JSON round trip of a ~1 KB object):
//   - `mod.task()` at level `off` against calling the body directly;
//   - `mod.task()` at level `all` (sampled, scrubbing processor, exported over HTTP to a local endpoint), with
//     `spanTransport: 'otlp'` and `'envelope'`, against the body inside a raw OpenTelemetry span with a batch
//     processor and a no-op exporter (with and without the same attributes as ours).
// Run: npm run bench:spans
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createTelemetry, memoryStore } from '../dist/esm/src/index.js';
import { insideCommand } from '../dist/esm/src/otel/index.js';
import { startLocalSentry } from './lib/local-sentry.mjs';
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

const localSentry = await startLocalSentry();
const { dsn, counts: received } = localSentry;

let warnings = 0;
const quiet = { info() {}, warn: () => warnings++, error: () => warnings++ };
const suite = (level, spanTransport = 'otlp') =>
  createTelemetry({
    spanTransport,
    suite: 'bench-suite',
    dsn,
    level,
    store: memoryStore(),
    env: {},
    logger: quiet,
    botToken: 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs',
  });
const off = suite('off');
const all = suite('all');
const allEnvelope = suite('all', 'envelope');
await Promise.all([off.consent.status(), all.consent.status(), allEnvelope.consent.status()]);
const offTask = off.module({ name: 'status', version: '1.0.0' });
const allTask = all.module({ name: 'status', version: '1.0.0' });
const envelopeTask = allEnvelope.module({ name: 'status', version: '1.0.0' });

const noopExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
const raw = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter: noopExporter })] });
const rawTracer = raw.getTracer('bench');
const rawSpan = () =>
  rawTracer.startActiveSpan('check-updates', { root: true }, (span) => {
    try {
      return body();
    } finally {
      span.end();
    }
  });

// The raw span as a Node app really has it: NodeSDK registers an AsyncLocalStorage context manager, and
// startActiveSpan then runs the body in it. (Used directly, so that the plain raw case above keeps no manager.)
const contextManager = new AsyncLocalStorageContextManager().enable();
const rawContextSpan = () => {
  const span = rawTracer.startSpan('check-updates', { root: true });
  try {
    return contextManager.with(trace.setSpan(ROOT_CONTEXT, span), body);
  } finally {
    span.end();
  }
};

// Like for like: a raw span carrying the same attributes as ours (consentry's four, and Sentry's op, release,
// environment, user and session that every span carries).
const sameAttributes = {
  'consentry.suite': 'bench-suite',
  'consentry.module': 'status',
  'consentry.version': '1.0.0',
  'consentry.kind': 'task',
  'sentry.op': 'task',
  'sentry.release': 'bench-suite|status@1.0.0',
  'sentry.environment': 'production',
  'user.id': '6f1c2f8e-3b0a-4c54-9a55-0c3c8f1e2d4b',
  'session.id': '0b8e7d6c-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
};
const rawAttributeSpan = () =>
  rawTracer.startActiveSpan('check-updates', { root: true, attributes: sameAttributes }, (span) => {
    try {
      return body();
    } finally {
      span.end();
    }
  });

// For the breakdown: the pipeline alone (our isolated tracer, the same attributes), without mod.task()'s wrapper.
// (A module of its own, so that it has its own queue and does not crowd the `all` case's.)
const pipelineTracer = all.module({ name: 'pipeline', version: '1.0.0' }).tracing.tracer('consentry/status', '1.0.0');
const pipelineAttributes = sameAttributes;
const pipelineSpan = () =>
  pipelineTracer.startActiveSpan('check-updates', { root: true, attributes: pipelineAttributes }, (span) => {
    try {
      return body();
    } finally {
      span.end();
    }
  });

// Every case is awaited the way a bot awaits a task; `direct` is also measured without await (the strict baseline).
const cases = {
  direct: () => body(),
  directAwaited: async () => await body(),
  off: () => offTask.task('check-updates', body),
  raw: rawSpan,
  rawAwaited: async () => await rawSpan(),
  rawContext: async () => await rawContextSpan(),
  rawAttributes: async () => await rawAttributeSpan(),
  all: () => allTask.task('check-updates', body),
  envelope: () => envelopeTask.task('check-updates', body),
  pipeline: async () => await pipelineSpan(),
  // What the sampler adds to every span start so that nothing started inside a command is recorded.
  marker: () => insideCommand(),
};

// Interleaved rounds of chunks; between chunks the event loop turns, so exports proceed as in a bot (the synchronous
// part of each span, batching included, is timed; encoding and the request run between chunks). Median per op.
const CHUNK = 256;
const ROUNDS = 15;
async function runChunk(fn) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CHUNK; i++) {
    const result = fn();
    if (result instanceof Promise) await result;
  }
  return Number(process.hrtime.bigint() - start);
}
async function measure() {
  const names = Object.keys(cases);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let warm = 0; warm < 20; warm++) {
    for (const name of names) await runChunk(cases[name]);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of names) {
      let ns = 0;
      for (let chunk = 0; chunk < 40; chunk++) {
        ns += await runChunk(cases[name]);
        await new Promise((resolve) => setImmediate(resolve));
      }
      samples[name].push(ns / (40 * CHUNK));
    }
  }
  return Object.fromEntries(names.map((name) => [name, median(samples[name])]));
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const r = await measure();
await Promise.all([off.shutdown(), all.shutdown(), allEnvelope.shutdown(), raw.shutdown()]);
await localSentry.close();

const ratio = (a, b) => `${(r[a] / r[b]).toFixed(2)}×`;
console.log(`Node ${process.version}; body: JSON round trip of ${JSON.stringify(payload).length} bytes.`);
console.log('\n| case | time per op | ratio |');
console.log('| --- | ---: | --- |');
console.log(`| body called directly | ${formatNs(r.direct)} | baseline |`);
console.log(
  `| body awaited (\`await body()\`) | ${formatNs(r.directAwaited)} | ${ratio('directAwaited', 'direct')} direct |`,
);
console.log(
  `| \`await mod.task()\` at level \`off\` | ${formatNs(r.off)} | **${ratio('off', 'direct')} direct** (target ≤ 1.05×); ${ratio('off', 'directAwaited')} awaited body |`,
);
console.log(`| raw OpenTelemetry span, batch processor, no-op exporter | ${formatNs(r.raw)} | baseline |`);
console.log(`| the same, awaited | ${formatNs(r.rawAwaited)} | ${ratio('rawAwaited', 'raw')} raw |`);
console.log(
  `| the same, awaited, in an AsyncLocalStorage context (as NodeSDK sets up) | ${formatNs(r.rawContext)} | ${ratio('rawContext', 'raw')} raw |`,
);
console.log(
  `| the same, awaited, with the same attributes as our spans (9) | ${formatNs(r.rawAttributes)} | ${ratio('rawAttributes', 'raw')} raw |`,
);
console.log(
  `| \`await mod.task()\` at level \`all\` (sampled, scrubbed, exported over HTTP) | ${formatNs(r.all)} | **${ratio('all', 'rawAttributes')} raw with the same attributes** (target ≤ 1.2×); ${ratio('all', 'raw')} raw; ${ratio('all', 'rawAwaited')} awaited raw; ${ratio('all', 'rawContext')} raw with a context |`,
);
console.log(
  `| \`await mod.task()\` at level \`all\`, \`spanTransport: 'envelope'\` (a transaction envelope per task, sent over HTTP) | ${formatNs(r.envelope)} | **${ratio('envelope', 'rawAttributes')} raw with the same attributes** (target ≤ 1.2×); ${ratio('envelope', 'raw')} raw; ${ratio('envelope', 'all')} OTLP |`,
);
console.log(
  `| breakdown: our pipeline's \`startActiveSpan\` alone, same attributes, awaited | ${formatNs(r.pipeline)} | ${ratio('pipeline', 'raw')} raw |`,
);
console.log(
  `| breakdown: the command check the sampler makes at each span start (\`insideCommand()\`) | ${r.marker.toFixed(1)} ns | ${((100 * r.marker) / r.all).toFixed(2)}% of \`mod.task()\` at \`all\` |`,
);
console.log(
  `\n${received.otlp} OTLP requests and ${received.envelopes} envelope requests answered; ${warnings} warnings (a warning means spans were dropped).`,
);
