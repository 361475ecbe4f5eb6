// A host bot instruments every outgoing request of its process: its own Sentry (`Sentry.init`, DSN on another
// host name than the suite's), OpenTelemetry with a global propagator, a monkey patch of http.request, a global
// undici dispatcher, and subscribers to Node's http/net/undici diagnostics channels. None of them may see, stamp
// or record consentry's uploads (envelopes and OTLP), and the host's own reporting keeps working.
// Each case runs in a child process: Sentry.init and global OTel registration would change the vitest worker.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeSentry } from '../../src/testing/index.js';
import { assertBuilt, botDir, library, requireFromRoot, runBot, writeBot } from '../instrumentation/support.js';

const OUR_PROJECT = '4242';
const PROPAGATION_HEADERS = ['sentry-trace', 'baggage', 'traceparent', 'tracestate'];

const BOT = `import { createRequire } from 'node:module';
import * as diagnostics from 'node:diagnostics_channel';
import http from 'node:http';
import https from 'node:https';
import { createTelemetry, memoryStore } from ${JSON.stringify(library)};
const require = ${requireFromRoot};
const { HOST_DSN, HOST_OTLP, OUR_DSN, HOST_MODE, TRACING } = process.env;

// What the host's instruments saw: every URL, from every vantage point the host has.
const seen = [];
const record = (via, what) => seen.push(via + ' ' + what);
for (const name of ['http.client.request.start', 'undici:request:create', 'net.client.socket']) {
  diagnostics.subscribe(name, (message) => {
    const request = message.request ?? message.socket;
    record(name, request?.host + ':' + (request?.path ?? request?.remotePort ?? '') + ' ' + (request?.origin ?? ''));
  });
}
for (const [label, module] of [['http', http], ['https', https]]) {
  for (const method of ['request', 'get']) {
    const original = module[method];
    module[method] = function patched(...args) {
      const first = args[0];
      record('patched ' + label + '.' + method, typeof first === 'string' || first instanceof URL ? String(first) : (first?.hostname ?? first?.host) + ':' + first?.port + (first?.path ?? ''));
      const request = original.apply(this, args);
      if (!request.headersSent) request.setHeader('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
      return request;
    };
  }
}
const undici = require('undici');
class HostDispatcher extends undici.Agent {
  dispatch(options, handler) {
    record('undici dispatcher', String(options.origin) + options.path);
    return super.dispatch({ ...options, headers: { ...options.headers, tracestate: 'host=1' } }, handler);
  }
}
undici.setGlobalDispatcher(new HostDispatcher());

let Sentry;
let hostSpan;
if (HOST_MODE === 'sentry') {
  Sentry = require('@sentry/node');
  Sentry.init({ dsn: HOST_DSN, release: 'host-bot@9.9.9', environment: 'host-env', ...(TRACING === '1' ? { tracesSampleRate: 1 } : {}) });
  hostSpan = (name, fn) => Sentry.startSpan({ name }, fn);
} else {
  const { NodeSDK } = require('@opentelemetry/sdk-node');
  const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
  const api = require('@opentelemetry/api');
  const sdk = new NodeSDK({ resourceDetectors: [], instrumentations: [], spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: HOST_OTLP }) })] });
  sdk.start();
  globalThis.hostSdk = sdk;
  const tracer = api.trace.getTracer('host-bot');
  hostSpan = (name, fn) => tracer.startActiveSpan(name, async (span) => { try { return await fn(); } finally { span.end(); } });
}

const telemetry = createTelemetry({ suite: 'acme', dsn: OUR_DSN, level: 'all', tracesSampleRate: 1, store: memoryStore(), env: {} });
const mod = telemetry.module({ name: 'status', version: '1.0.0' });
const ours = async (where) => {
  mod.captureError(new Error('our error ' + where));
  await mod.task('our-task-' + where, async () => {});
  await telemetry.flush(5000);
};
await ours('outside');
await hostSpan('host-command', async () => {
  await ours('inside');
  // The host's own request inside its span: proves its instruments were live.
  await new Promise((resolve) => http.get(process.env.HOST_PROBE, (res) => { res.resume(); res.on('end', resolve); }).on('error', resolve));
});
if (Sentry) {
  Sentry.captureException(new Error('host own error'));
  await Sentry.flush(5000);
} else {
  await globalThis.hostSdk.shutdown();
}
await telemetry.shutdown();
if (Sentry) await Sentry.close(2000);
console.log(JSON.stringify(seen));
`;

// A host preload given through NODE_OPTIONS (how OpenTelemetry's auto-instrumentation is usually started): it
// patches http(s).request in every thread it runs in, and a worker thread re-reads NODE_OPTIONS.
const PRELOAD = `const { isMainThread } = require('node:worker_threads');
for (const module of [require('node:http'), require('node:https')]) {
  const original = module.request;
  module.request = function preloaded(...args) {
    const request = original.apply(this, args);
    request.setHeader('traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    request.setHeader('x-host-preload', isMainThread ? 'main thread' : 'worker thread');
    return request;
  };
}
`;

let fakes: FakeSentry[] = [];
afterEach(async () => {
  await Promise.all(fakes.map((fake) => fake.close()));
  fakes = [];
});

interface Case {
  hostName: string;
  mode: 'sentry' | 'otel';
  tracing: boolean;
  /** Also run the host's NODE_OPTIONS preload. */
  preload?: boolean;
}

async function runCase({ hostName, mode, tracing, preload = false }: Case) {
  const ours = await FakeSentry.start({ project: OUR_PROJECT });
  const host = await FakeSentry.start({ host: hostName });
  fakes.push(ours, host);
  const dir = botDir();
  const script = writeBot(dir, 'bot.mjs', BOT);
  const preloadPath = writeBot(dir, 'host-preload.cjs', PRELOAD);
  const exit = await runBot(script, {
    cwd: dir,
    env: {
      HOST_DSN: host.dsn,
      HOST_OTLP: `${host.otlpTracesUrl}?sentry_key=${host.publicKey}`,
      HOST_PROBE: `${host.url}/probe`,
      OUR_DSN: ours.dsn,
      HOST_MODE: mode,
      TRACING: tracing ? '1' : '',
      ...(preload ? { NODE_OPTIONS: `--require ${preloadPath}` } : {}),
    },
  });
  expect(exit.stderr).not.toMatch(/Error|consentry:/);
  expect(exit.code).toBe(0);
  const seen = JSON.parse(exit.stdout.trim().split('\n').at(-1) ?? '[]') as string[];
  const ourPort = new URL(ours.url).port;

  // We sent: errors and spans, from inside and outside the host's span.
  const messages = ours.events().map((event) => event.exception?.values?.at(-1)?.value);
  expect(messages).toEqual(expect.arrayContaining(['our error outside', 'our error inside']));
  expect(ours.spans().map((span) => span.name)).toEqual(
    expect.arrayContaining(['our-task-outside', 'our-task-inside']),
  );

  // Nothing of the host's on our requests.
  for (const request of ours.requests()) {
    for (const name of [...PROPAGATION_HEADERS, 'x-host-preload']) {
      expect(request.headers[name], `${name} on ${request.path}`).toBeUndefined();
    }
    if (request.endpoint === 'envelope') expect(request.headers['content-type']).toBe('application/x-sentry-envelope');
  }
  expect(ours.received()).not.toContain('host-bot@9.9.9');
  expect(ours.received()).not.toContain(host.publicKey);

  // The host's instruments were live (they saw its own probe) and never saw our requests.
  expect(seen.some((line) => line.includes('/probe'))).toBe(true);
  expect(seen.filter((line) => line.includes(`:${ourPort}`) || line.includes(`/api/${OUR_PROJECT}/`))).toEqual([]);

  // Nothing about our requests in what the host reports.
  const hostBytes = host.received();
  expect(hostBytes).not.toContain(`127.0.0.1:${ourPort}`);
  expect(hostBytes).not.toContain(`/api/${OUR_PROJECT}/`);
  expect(hostBytes).not.toContain(ours.publicKey);
  return { ours, host };
}

describe("a host's instrumentation never sees consentry's uploads", () => {
  beforeAll(assertBuilt);

  for (const hostName of ['localhost', '127.0.0.2']) {
    for (const tracing of [true, false]) {
      it(`host Sentry.init at ${hostName}, ${tracing ? 'tracesSampleRate 1' : 'no tracing'}`, async () => {
        const { host } = await runCase({ hostName, mode: 'sentry', tracing });
        const hostError = await host.waitFor('event', (e) => e.exception?.values?.at(-1)?.value === 'host own error');
        // The host's breadcrumbs hold its own probe request, so the breadcrumb check below is not vacuous.
        const urls = (hostError.breadcrumbs ?? []).map((b) => String(b.data?.url ?? ''));
        expect(urls.some((url) => url.endsWith('/probe'))).toBe(true);
        expect(urls.filter((url) => !url.endsWith('/probe'))).toEqual([]);
        if (tracing) {
          // Sentry 11 streams spans: the host's trace arrives as span items, its probe as an http.client span.
          const trace = await host.waitFor('envelope', (e) => JSON.stringify(e).includes('"host-command"'));
          expect(JSON.stringify(trace)).toContain('http.client');
        }
      });
    }
  }

  it('host OpenTelemetry SDK registered globally and a NODE_OPTIONS preload, a host span around our sends', async () => {
    const { host } = await runCase({ hostName: '127.0.0.2', mode: 'otel', tracing: true, preload: true });
    // The preload ran in the host's thread (its OTLP export carries the header), so it was live.
    expect(host.requests().some((r) => r.headers['x-host-preload'] === 'main thread')).toBe(true);
    const hostSpans = host.spans().map((span) => span.name);
    expect(hostSpans).toContain('host-command');
    expect(hostSpans.filter((name) => name !== 'host-command')).toEqual([]);
  });
});
