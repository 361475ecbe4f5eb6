import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSentry } from '../../src/testing/index.js';
import { assertBuilt, botDir, library, requireFromRoot, runBot, writeBot } from './support.js';

let sentry: FakeSentry;
let server: Server;
let api: string;
const hits: string[] = [];

beforeAll(async () => {
  assertBuilt();
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(async () => {
  sentry = await FakeSentry.start();
  hits.length = 0;
});
afterEach(() => sentry.close());

// A bot that uses the suite in the same process: a task with HTTP requests (node:http and fetch), a request outside
// any task, a request under a command span (marked `consentry.kind: command` at its start), and tasks with requests
// started from mod.command() and from another suite's mod.listener().
const BOT = `
import { createRequire } from 'node:module';
import { get } from 'node:http';
import { createTelemetry } from ${JSON.stringify(library)};
const { trace } = ${requireFromRoot}('@opentelemetry/api');
const api = process.env.TEST_API;
const request = (path) => new Promise((resolve, reject) =>
  get(api + path, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject));

const telemetry = createTelemetry({ suite: 'acme-bot', dsn: process.env.CONSENTRY_DSN, logger: { info() {}, warn() {}, error() {} } });
const mod = telemetry.module({ name: 'updates', version: '2.1.0' });
await telemetry.consent.status();
await mod.task('check-updates', async () => {
  await request('/in-task?token=SECRET-QUERY');
  await mod.span('download', () => fetch(api + '/fetch-in-task').then((r) => r.text()));
});
await request('/outside-task');
const tracer = trace.getTracer('host-bot');
await tracer.startActiveSpan('slash command', { root: true, attributes: { 'consentry.kind': 'command' } }, async (span) => {
  await request('/in-command');
  span.end();
});
// Tasks started from a command: of this module, and from a listener of another suite (no DSN, its own copy of state).
await mod.command(async () => {
  await mod.task('task-in-command', () => request('/task-in-command'));
})();
const other = createTelemetry({ suite: 'other-plugins', logger: { info() {}, warn() {}, error() {} } });
await other.module({ name: 'moderation', version: '0.1.0' }).listener(async () => {
  await mod.task('task-in-listener', () => fetch(api + '/task-in-listener').then((r) => r.text()));
})();
await other.shutdown();
await telemetry.shutdown();
console.log('done');
`;

function env(level: string): Record<string, string> {
  return {
    CONSENTRY_SUITE: 'acme-bot',
    CONSENTRY_DSN: sentry.dsn,
    CONSENTRY_LEVEL: level,
    CONSENTRY_VERSION: '3.0.0',
    TEST_API: api,
    // A host's own OpenTelemetry settings: its secret header must never reach Sentry.
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: sentry.url,
    OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer HOST-SECRET',
    OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-host-token=HOST-SECRET-TRACES',
  };
}

describe('process mode: node --import consentry/instrumentation', () => {
  it('at all: an HTTP request inside a task is its child span; outside tasks, under commands and in tasks started by commands nothing', async () => {
    const dir = botDir();
    const exit = await runBot(writeBot(dir, 'bot.mjs', BOT), { cwd: dir, env: env('all'), preload: true });
    expect(exit.stderr).toBe('');
    expect(exit).toMatchObject({ code: 0, stdout: 'done\n' });
    expect(hits.sort()).toEqual(
      [
        '/fetch-in-task',
        '/in-command',
        '/in-task?token=SECRET-QUERY',
        '/outside-task',
        '/task-in-command',
        '/task-in-listener',
      ].sort(),
    );
    await sentry.waitFor('span', (s) => s.name === 'check-updates');
    const spans = sentry.spans();
    const task = spans.find((s) => s.name === 'check-updates');
    const download = spans.find((s) => s.name === 'download');
    const byPath = new Map(spans.filter((s) => s.kind === 'client').map((s) => [s.attributes['url.path'], s]));
    expect(task?.parentSpanId).toBeUndefined();
    expect(task?.attributes).toMatchObject({ 'consentry.suite': 'acme-bot', 'consentry.module': 'updates' });
    expect(byPath.get('/in-task')).toMatchObject({ parentSpanId: task?.spanId, traceId: task?.traceId, name: 'GET' });
    expect(byPath.get('/in-task')?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'http.response.status_code': 200,
    });
    expect(download?.parentSpanId).toBe(task?.spanId);
    expect(byPath.get('/fetch-in-task')?.parentSpanId).toBe(download?.spanId);
    // Sentry's attributes on every span, HTTP spans included: the task's release, environment, user and session.
    expect(task?.attributes).toMatchObject({ 'sentry.op': 'task', 'sentry.release': 'acme-bot|updates@2.1.0' });
    expect(download?.attributes['sentry.op']).toBe('function');
    for (const path of ['/in-task', '/fetch-in-task'])
      expect(byPath.get(path)?.attributes['sentry.op']).toBe('http.client');
    for (const span of [download, byPath.get('/in-task'), byPath.get('/fetch-in-task')]) {
      for (const key of ['sentry.release', 'sentry.environment', 'user.id', 'session.id']) {
        expect(span?.attributes[key], key).toBe(task?.attributes[key]);
      }
    }
    expect(task?.attributes['sentry.environment']).toBe('production');
    expect(task?.attributes['user.id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(task?.attributes['session.id']).toMatch(/^[0-9a-f-]{36}$/);
    expect([...byPath.keys()].sort()).toEqual(['/fetch-in-task', '/in-task']);
    expect(spans.map((s) => s.name)).not.toContain('slash command');
    expect(spans.map((s) => s.name).filter((name) => name.startsWith('task-in-'))).toEqual([]);
    expect(sentry.received()).not.toContain('task-in-');
    // Only what describes the suite: no host name, host id, process owner or command line.
    const resource = task?.resource ?? {};
    expect(resource).toMatchObject({ 'service.name': 'acme-bot', 'service.version': '3.0.0' });
    expect(Object.keys(resource).filter((key) => /^(host|process|os)\./.test(key))).toEqual([]);
    // The query string and the host's OTEL headers never reach Sentry.
    const wire = sentry.received() + JSON.stringify(sentry.requests().map((r) => r.rawHeaders));
    expect(wire).not.toContain('SECRET-QUERY');
    expect(wire).not.toContain('HOST-SECRET');
    expect(sentry.requests().every((r) => r.endpoint === 'otlp-traces' || r.endpoint === 'envelope')).toBe(true);
    // The owner's record of what was sent has each span batch, named by what it carried.
    const record = JSON.parse(readFileSync(join(dir, '.consentry', 'acme-bot.sent.json'), 'utf8'));
    const batches = record.entries.filter((entry: { kind: string }) => entry.kind === 'spans');
    const otlp = sentry.requests().filter((r) => r.endpoint === 'otlp-traces');
    expect(batches.map((entry: { bytes: number }) => entry.bytes).sort()).toEqual(otlp.map((r) => r.wireLength).sort());
    expect(batches.map((entry: { title: string }) => entry.title).join(', ')).toContain('check-updates');
  });

  it('at all, against a server with no OTLP route: one line, then the task arrives as a transaction with its HTTP children', async () => {
    await sentry.close();
    sentry = await FakeSentry.start({ otlp: false });
    const dir = botDir();
    const exit = await runBot(writeBot(dir, 'bot.mjs', BOT), { cwd: dir, env: env('all'), preload: true });
    expect(exit).toMatchObject({ code: 0, stdout: 'done\n' });
    const lines = exit.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/acme-bot.*HTTP 404.*transaction envelopes/);
    const tx = await sentry.waitFor('transaction', (t) => t.transaction === 'check-updates');
    expect(tx.release).toBe('acme-bot|updates@2.1.0');
    const ops = (tx.spans ?? []).map((span) => span.op).sort();
    expect(ops).toEqual(['function', 'http.client', 'http.client']);
    for (const span of tx.spans ?? []) expect(span.data?.['user.id']).toBe(tx.user?.id);
    expect(sentry.transactions().map((t) => t.transaction)).toEqual(['check-updates']);
    expect(sentry.received()).not.toContain('SECRET-QUERY');
    expect(sentry.requests().filter((r) => r.endpoint === 'otlp-traces')).toHaveLength(1);
  });

  it('CONSENTRY_SPAN_TRANSPORT=envelope: no OTLP request at all', async () => {
    const dir = botDir();
    const exit = await runBot(writeBot(dir, 'bot.mjs', BOT), {
      cwd: dir,
      env: { ...env('all'), CONSENTRY_SPAN_TRANSPORT: 'envelope' },
      preload: true,
    });
    expect(exit).toMatchObject({ code: 0, stdout: 'done\n', stderr: '' });
    await sentry.waitFor('transaction', (t) => t.transaction === 'check-updates');
    expect(sentry.requests().filter((r) => r.endpoint === 'otlp-traces')).toEqual([]);
  });

  it('after forget(): no span carries the old user id (queued, in flight across it, or an HTTP child)', async () => {
    const FORGET_BOT = `
import { get } from 'node:http';
import { createTelemetry } from ${JSON.stringify(library)};
const api = process.env.TEST_API;
const request = (path) => new Promise((resolve, reject) =>
  get(api + path, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject));
const telemetry = createTelemetry({ suite: 'acme-bot', dsn: process.env.CONSENTRY_DSN, logger: { info() {}, warn() {}, error() {} } });
const mod = telemetry.module({ name: 'updates', version: '2.1.0' });
const before = (await telemetry.consent.status()).userId;
await mod.task('queued-before', () => request('/before'));
let release;
const across = mod.task('open-across', () => new Promise((resolve) => { release = resolve; }).then(() => request('/across')));
const after = (await telemetry.consent.forget()).userId;
release();
await across;
await mod.task('after-forget', () => request('/after'));
await telemetry.shutdown();
console.log(JSON.stringify({ before, after }));
`;
    const dir = botDir();
    const exit = await runBot(writeBot(dir, 'bot.mjs', FORGET_BOT), { cwd: dir, env: env('all'), preload: true });
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    const { before, after } = JSON.parse(exit.stdout) as { before: string; after: string };
    expect(before).not.toBe(after);
    await sentry.waitFor('span', (s) => s.name === 'after-forget');
    const spans = sentry.spans();
    expect(spans.map((s) => s.name).sort()).toEqual(['GET', 'after-forget']);
    for (const span of spans) expect(span.attributes['user.id']).toBe(after);
    for (const request of sentry.requests().filter((r) => r.endpoint === 'otlp-traces')) {
      expect(request.body.toString('latin1')).not.toContain(before);
    }
  });

  it.each(['off', 'manual'])('at %s: the same bot sends nothing at all', async (level) => {
    const dir = botDir();
    const exit = await runBot(writeBot(dir, 'bot.mjs', BOT), { cwd: dir, env: env(level), preload: true });
    expect(exit).toMatchObject({ code: 0, stdout: 'done\n', stderr: '' });
    expect(hits).toHaveLength(6);
    expect(sentry.requests().map((r) => r.path)).toEqual([]);
  });

  it('at errors: release-health sessions only, no span', async () => {
    const dir = botDir();
    const exit = await runBot(writeBot(dir, 'bot.mjs', BOT), { cwd: dir, env: env('errors'), preload: true });
    expect(exit).toMatchObject({ code: 0, stdout: 'done\n', stderr: '' });
    expect(sentry.requests().length).toBeGreaterThan(0);
    expect(sentry.requests().filter((r) => r.endpoint === 'otlp-traces')).toEqual([]);
    const types = sentry.items().map((item) => item.type);
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types)).toEqual(new Set(['session']));
    // The run's session, opened and closed normally when the bot ended.
    expect(sentry.sessions().map((session) => session.status)).toContain('exited');
    expect(sentry.received()).not.toContain('HOST-SECRET');
  });
});
