// The one poster of envelopes and OTLP batches, on the wire: what each request carries, what its outcome says,
// that this thread never sees the request, and that it never keeps the process alive unless a flush holds it.
import { spawn } from 'node:child_process';
import * as diagnostics from 'node:diagnostics_channel';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPoster, type Poster, type PostOutcome } from '../../src/net/index.js';
import { FakeSentry } from '../../src/testing/index.js';
import { assertBuilt, botDir, root, writeBot } from '../instrumentation/support.js';

let sentry: FakeSentry;
let posters: Poster[] = [];
afterEach(async () => {
  for (const poster of posters) poster.close();
  posters = [];
  await sentry?.close();
});

function poster(options: Partial<Parameters<typeof createPoster>[0]> = {}) {
  const outcomes: PostOutcome[] = [];
  const created = createPoster({ timeoutMs: 5000, onOutcome: (outcome) => outcomes.push(outcome), ...options });
  posters.push(created);
  return { poster: created, outcomes };
}

const envelopeUrl = () => `${sentry.url}/api/${sentry.project}/envelope/?sentry_key=${sentry.publicKey}`;
const ENVELOPE = '{}\n{"type":"event"}\n{"message":"hello from the poster"}\n';

describe('createPoster', () => {
  it('posts exactly the body and headers given, and reports one outcome per request', async () => {
    sentry = await FakeSentry.start();
    const { poster: p, outcomes } = poster();
    const outcome = await p.post({
      kind: 'envelope',
      url: envelopeUrl(),
      headers: { 'content-type': 'application/x-sentry-envelope' },
      body: ENVELOPE,
    });
    const expected = {
      kind: 'envelope',
      target: `${sentry.url}/api/${sentry.project}/envelope/`,
      bytes: Buffer.byteLength(ENVELOPE),
      sentBytes: Buffer.byteLength(ENVELOPE),
      status: 200,
    };
    expect(outcome).toMatchObject(expected);
    expect(outcomes).toEqual([outcome]);
    const [request] = sentry.requests();
    expect(request?.body.toString()).toBe(ENVELOPE);
    expect(request?.headers['content-type']).toBe('application/x-sentry-envelope');
    expect(request?.headers['content-encoding']).toBeUndefined();
    expect(Object.keys(request?.headers ?? {}).sort()).toEqual([
      'connection',
      'content-length',
      'content-type',
      'host',
    ]);
  });

  it('gzips bodies above gzipAbove, and passes bytes through unchanged (also a pooled Buffer slice)', async () => {
    sentry = await FakeSentry.start();
    const { poster: p, outcomes } = poster({ gzipAbove: 1024 });
    const large = `{}\n{"type":"event"}\n{"message":"${'x'.repeat(50_000)}"}\n`;
    await p.post({ kind: 'envelope', url: envelopeUrl(), headers: {}, body: large });
    const pooled = Buffer.from(ENVELOPE);
    await p.post({ kind: 'envelope', url: envelopeUrl(), headers: {}, body: pooled });
    const [gzipped, plain] = sentry.requests();
    expect(gzipped?.headers['content-encoding']).toBe('gzip');
    expect(gzipped?.body.toString()).toBe(large);
    expect(outcomes[0]?.sentBytes).toBe(gzipped?.wireLength);
    expect(outcomes[0]?.sentBytes).toBeLessThan(outcomes[0]?.bytes ?? 0);
    expect(plain?.body.toString()).toBe(ENVELOPE);
    // The caller's buffer was copied, not moved to the sending thread.
    expect(pooled.toString()).toBe(ENVELOPE);
  });

  it('reports the status and rate-limit headers of a refusal', async () => {
    sentry = await FakeSentry.start();
    sentry.respondWith({ status: 429, retryAfter: 7 });
    const { poster: p } = poster();
    const outcome = await p.post({ kind: 'otlp', url: sentry.otlpTracesUrl, headers: {}, body: new Uint8Array([1]) });
    expect(outcome).toMatchObject({ kind: 'otlp', status: 429, retryAfter: '7' });
    expect(outcome.status === 429 && outcome.rateLimits).toMatch(/^7:/);
  });

  it('never rejects: refused connection, timeout, abort and a closed poster are outcomes', async () => {
    sentry = await FakeSentry.start();
    const closedPort = await FakeSentry.start();
    const deadUrl = `${closedPort.url}/api/1/envelope/`;
    await closedPort.close();
    const { poster: p, outcomes } = poster({ timeoutMs: 200 });
    expect(await p.post({ kind: 'envelope', url: deadUrl, headers: {}, body: 'x' })).toMatchObject({
      failure: 'ECONNREFUSED',
      sentBytes: 1,
    });

    sentry.hang();
    expect(await p.post({ kind: 'envelope', url: envelopeUrl(), headers: {}, body: 'x' })).toMatchObject({
      failure: 'no answer within 200 ms',
    });

    const { poster: slow } = poster({ timeoutMs: 60_000 });
    const controller = new AbortController();
    const byAbort = slow.post({
      kind: 'otlp',
      url: sentry.otlpTracesUrl,
      headers: {},
      body: 'x',
      signal: controller.signal,
    });
    const byAbortAll = slow.post({ kind: 'otlp', url: sentry.otlpTracesUrl, headers: {}, body: 'y' });
    await sentry.waitFor('request', (r) => r.body.toString() === 'y' && r.outcome === 'hanging');
    controller.abort();
    expect(await byAbort).toMatchObject({ failure: 'aborted' });
    slow.abortAll();
    expect(await byAbortAll).toMatchObject({ failure: 'aborted' });

    p.close();
    expect(await p.post({ kind: 'envelope', url: envelopeUrl(), headers: {}, body: 'x' })).toMatchObject({
      failure: 'closed',
      sentBytes: 0,
    });
    expect(outcomes.map((o) => o.failure)).toEqual(['ECONNREFUSED', 'no answer within 200 ms', 'closed']);
  });

  it('abortAll is final: requests waiting for a socket never leave, even as answers free sockets', async () => {
    sentry = await FakeSentry.start();
    sentry.hang();
    const { poster: p } = poster({ timeoutMs: 60_000 });
    const sent = Array.from({ length: 40 }, (_, i) =>
      p.post({ kind: 'envelope', url: envelopeUrl(), headers: {}, body: ENVELOPE.replace('hello', `queued-${i}`) }),
    );
    // 30 sockets per origin: 30 requests hang at the fake, 10 wait in the sending thread.
    await vi.waitFor(() => expect(sentry.requests()).toHaveLength(30));
    p.abortAll();
    sentry.respondNormally();
    expect(new Set((await Promise.all(sent)).map((outcome) => outcome.failure))).toEqual(new Set(['aborted']));
    const { poster: after } = poster();
    expect(await after.post({ kind: 'envelope', url: envelopeUrl(), headers: {}, body: ENVELOPE })).toMatchObject({
      status: 200,
    });
    expect(sentry.requests()).toHaveLength(31);
  });

  it('a throwing onOutcome changes nothing for the sender', async () => {
    sentry = await FakeSentry.start();
    const p = createPoster({
      timeoutMs: 5000,
      onOutcome: () => {
        throw new Error('record broke');
      },
    });
    posters.push(p);
    expect(await p.post({ kind: 'envelope', url: envelopeUrl(), headers: {}, body: ENVELOPE })).toMatchObject({
      status: 200,
    });
  });

  it("this thread's http, net and undici channels never see the request (it leaves from another thread)", async () => {
    sentry = await FakeSentry.start();
    const seen: string[] = [];
    const names = ['http.client.request.start', 'net.client.socket', 'undici:request:create'];
    const listener = (_message: unknown, name: string | symbol) => seen.push(String(name));
    for (const name of names) diagnostics.subscribe(name, listener);
    try {
      const { poster: p } = poster();
      expect(await p.post({ kind: 'envelope', url: envelopeUrl(), headers: {}, body: ENVELOPE })).toMatchObject({
        status: 200,
      });
      expect(sentry.requests()).toHaveLength(1);
      expect(seen).toEqual([]);
    } finally {
      for (const name of names) diagnostics.unsubscribe(name, listener);
    }
  });
});

describe('the sending thread and the life of the process', () => {
  beforeAll(assertBuilt);
  const net = pathToFileURL(join(root, 'dist', 'esm', 'src', 'net', 'index.js')).href;

  function run(source: string, env: Record<string, string>) {
    const dir = botDir();
    const child = spawn(process.execPath, [writeBot(dir, 'bot.mjs', source)], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    return new Promise<{ code: number | null; stdout: string }>((resolve) =>
      child.once('close', (code) => resolve({ code, stdout })),
    );
  }

  it('a request Sentry never answers does not keep the bot alive', async () => {
    sentry = await FakeSentry.start();
    sentry.hang({ only: 'envelope' });
    const exit = await run(
      `import { createPoster } from ${JSON.stringify(net)};
const poster = createPoster({ timeoutMs: 600_000 });
poster.post({ kind: 'envelope', url: process.env.ENVELOPE_URL, headers: {}, body: process.env.BODY }).then((o) => console.log('settled', o.failure));
// Requests start in order: once the OTLP one is answered, the envelope one is out.
const release = poster.hold();
await poster.post({ kind: 'otlp', url: process.env.OTLP_URL, headers: {}, body: new Uint8Array() });
release();
console.log('main done');
`,
      {
        ENVELOPE_URL: envelopeUrl(),
        OTLP_URL: `${sentry.otlpTracesUrl}?sentry_key=${sentry.publicKey}`,
        BODY: ENVELOPE,
      },
    );
    expect(exit).toEqual({ code: 0, stdout: 'main done\n' });
    await sentry.waitFor('request', (r) => r.endpoint === 'envelope' && r.outcome === 'hanging');
  });

  it('an awaited flush (hold) keeps the process up until the answer arrives, and the thread then stops', async () => {
    sentry = await FakeSentry.start();
    const exit = await run(
      `import { createPoster } from ${JSON.stringify(net)};
const poster = createPoster({ timeoutMs: 10_000 });
const release = poster.hold();
const outcome = await poster.post({ kind: 'envelope', url: process.env.URL, headers: {}, body: process.env.BODY });
release();
poster.close();
console.log(outcome.status);
`,
      { URL: envelopeUrl(), BODY: ENVELOPE },
    );
    expect(exit).toEqual({ code: 0, stdout: '200\n' });
  });
});
