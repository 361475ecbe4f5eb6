// FakeSentry against the real Sentry JS 11 client and transport, over real sockets on 127.0.0.1.
import { request as httpRequest } from 'node:http';
import type { TransportMakeRequestResponse } from '@sentry/core';
import { _INTERNAL_captureLog, closeSession, createEnvelope, makeSession, Scope } from '@sentry/core';
import { ServerRuntimeClient } from '@sentry/core/server';
import { defaultStackParser, makeNodeTransport } from '@sentry/node';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSentry } from '../../src/testing/index.js';

const open: FakeSentry[] = [];
const clients: ServerRuntimeClient[] = [];

async function start(options?: Parameters<typeof FakeSentry.start>[0]): Promise<FakeSentry> {
  const sentry = await FakeSentry.start(options);
  open.push(sentry);
  return sentry;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close(2000)));
  await Promise.all(open.splice(0).map((sentry) => sentry.close()));
});

/** An isolated Sentry client, as consentry builds them: no globals, own scope, explicit integrations. */
function sentryClient(dsn: string, extra: { enableLogs?: boolean; release?: string } = {}) {
  const client = new ServerRuntimeClient({
    dsn,
    transport: makeNodeTransport,
    stackParser: defaultStackParser,
    integrations: [],
    platform: 'node',
    runtime: { name: 'node', version: process.version },
    release: extra.release ?? 'acme|status@1.4.0',
    environment: 'test',
    enableLogs: extra.enableLogs ?? false,
  });
  const scope = new Scope();
  scope.setClient(client);
  client.init();
  clients.push(client);
  const responses: TransportMakeRequestResponse[] = [];
  client.on('afterSendEvent', (_event, response) => responses.push(response));
  return { client, scope, responses };
}

function post(url: string, body: string | Buffer, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', body, headers });
}

describe('FakeSentry: envelopes from the real Sentry client', () => {
  it('gives a DSN on 127.0.0.1 with its key and project, and the OTLP URL Sentry derives from it', async () => {
    const sentry = await start({ project: '42', publicKey: 'abc123' });
    expect(sentry.dsn).toMatch(/^http:\/\/abc123@127\.0\.0\.1:\d+\/42$/);
    expect(sentry.url).toBe(`http://127.0.0.1:${new URL(sentry.dsn).port}`);
    expect(sentry.otlpTracesUrl).toBe(`${sentry.url}/api/42/integration/otlp/v1/traces/`);
  });

  it('receives an error event, parsed, with the auth and headers of the request', async () => {
    const sentry = await start();
    const { client, scope } = sentryClient(sentry.dsn);
    scope.setTag('module', 'status');
    const eventId = scope.captureException(new Error('boom at the status loop'));
    await client.flush(2000);

    const event = await sentry.waitFor('event', (e) => e.event_id === eventId);
    expect(event.exception?.values?.[0]).toMatchObject({ type: 'Error', value: 'boom at the status loop' });
    expect(event.exception?.values?.[0]?.stacktrace?.frames?.length).toBeGreaterThan(0);
    expect(event.tags).toEqual({ module: 'status' });
    expect(event.release).toBe('acme|status@1.4.0');

    const [request] = sentry.requests();
    expect(request).toMatchObject({
      method: 'POST',
      pathname: '/api/1/envelope/',
      endpoint: 'envelope',
      project: '1',
      status: 200,
      outcome: 'accepted',
      simulated: false,
    });
    expect(request?.auth.publicKey).toBe(sentry.publicKey);
    expect(request?.auth.queryKey).toBe(sentry.publicKey);
    expect(request?.headers.host).toBe(new URL(sentry.url).host);
    expect(request?.receivedAt).toBeInstanceOf(Date);
    const envelope = sentry.envelopes()[0];
    expect(envelope?.header.event_id).toBe(eventId);
    expect(typeof envelope?.header.sent_at).toBe('string');
    expect(envelope?.items.map((item) => item.type)).toEqual(['event']);
    expect(JSON.parse(envelope?.items[0]?.raw.toString('utf8') ?? '')).toEqual(event);
  });

  it('decodes a gzip body (the node transport gzips bodies over 32 KiB) and keeps the decompressed bytes', async () => {
    const sentry = await start();
    const { client, scope } = sentryClient(sentry.dsn);
    const big = 'x'.repeat(40 * 1024);
    scope.setExtra('big', big);
    scope.setExtra('secret', 'SECRET-in-a-gzipped-body');
    scope.captureException(new Error('large'));
    await client.flush(2000);

    const event = await sentry.waitFor('event');
    expect(event.extra?.big).toBe(big);
    const [request] = sentry.requests();
    expect(request?.headers['content-encoding']).toBe('gzip');
    expect(request?.wireLength).toBeLessThan(request?.body.length ?? 0);
    expect(sentry.received()).toContain('SECRET-in-a-gzipped-body');
    expect(sentry.received()).toMatch(/content-encoding: gzip/i);
  });

  it('keeps binary attachments intact using the item length', async () => {
    const sentry = await start();
    const { client, scope } = sentryClient(sentry.dsn);
    const data = Uint8Array.from([0, 10, 13, 10, 255, 123, 125, 10, 0]); // newlines and braces inside
    scope.addAttachment({ filename: 'dump.bin', data, contentType: 'application/octet-stream' });
    scope.captureException(new Error('with attachment'));
    await client.flush(2000);

    await sentry.waitFor('event');
    const [attachment] = sentry.items('attachment');
    expect(attachment?.header).toMatchObject({ type: 'attachment', filename: 'dump.bin', length: data.length });
    expect([...(attachment?.raw ?? [])]).toEqual([...data]);
    expect(attachment?.payload).toBeUndefined();
    expect(sentry.events()).toHaveLength(1);
  });

  it('receives session updates with did, sid, status and errors', async () => {
    const sentry = await start();
    const { client } = sentryClient(sentry.dsn);
    const session = makeSession({ release: 'acme|status@1.4.0', environment: 'test', did: 'user-uuid-1' });
    client.captureSession(session);
    session.errors = 2;
    closeSession(session, 'exited');
    client.captureSession(session);
    await client.flush(2000);

    const exited = await sentry.waitFor('session', (s) => s.status === 'exited');
    expect(exited).toMatchObject({
      source: 'session',
      sid: session.sid,
      did: 'user-uuid-1',
      errors: 2,
      count: 1,
      release: 'acme|status@1.4.0',
      environment: 'test',
    });
    expect(sentry.sessions().map((s) => [s.status, s.init])).toEqual([
      ['ok', true],
      ['exited', false],
    ]);
  });

  it('flattens session aggregates into one entry per bucket and status', async () => {
    const sentry = await start();
    const { client } = sentryClient(sentry.dsn);
    const started = new Date(0).toISOString();
    await client.sendEnvelope(
      createEnvelope({}, [
        [
          { type: 'sessions' },
          {
            attrs: { release: 'r@1', environment: 'prod' },
            aggregates: [
              { started, exited: 3, errored: 1 },
              { started, crashed: 2 },
            ],
          },
        ],
      ]),
    );

    const sessions = sentry.sessions();
    expect(sessions.map((s) => [s.source, s.status, s.count, s.release])).toEqual([
      ['sessions', 'exited', 3, 'r@1'],
      ['sessions', 'errored', 1, 'r@1'],
      ['sessions', 'crashed', 2, 'r@1'],
    ]);
  });

  it('receives cron check-ins and logs', async () => {
    const sentry = await start();
    const { client, scope } = sentryClient(sentry.dsn, { enableLogs: true });
    const checkInId = client.captureCheckIn(
      { monitorSlug: 'check-updates', status: 'in_progress' },
      { schedule: { type: 'interval', value: 1, unit: 'hour' } },
      scope,
    );
    client.captureCheckIn({ checkInId, monitorSlug: 'check-updates', status: 'ok', duration: 1.5 }, undefined, scope);
    _INTERNAL_captureLog({ level: 'warn', message: 'store slow' }, scope);
    await client.flush(2000);

    await sentry.waitFor('checkIn', (c) => c.status === 'ok');
    expect(sentry.checkIns().map((c) => [c.monitor_slug, c.status, c.check_in_id])).toEqual([
      ['check-updates', 'in_progress', checkInId],
      ['check-updates', 'ok', checkInId],
    ]);
    expect(sentry.checkIns()[0]?.monitor_config?.schedule).toEqual({ type: 'interval', value: 1, unit: 'hour' });
    const log = await sentry.waitFor('log');
    expect(log).toMatchObject({ level: 'warn', body: 'store slow' });
  });

  it('receives transactions separately from error events', async () => {
    const sentry = await start();
    const { client, scope } = sentryClient(sentry.dsn);
    const now = Date.now() / 1000;
    scope.captureEvent({
      type: 'transaction',
      transaction: 'check-updates',
      start_timestamp: now - 1,
      timestamp: now,
      spans: [],
      contexts: { trace: { trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16) } },
    });
    scope.captureMessage('plain message');
    await client.flush(2000);

    await sentry.waitFor('transaction');
    await sentry.waitFor('event');
    expect(sentry.transactions().map((t) => t.transaction)).toEqual(['check-updates']);
    expect(sentry.events().map((e) => e.message)).toEqual(['plain message']);
  });

  it('accepts the legacy store endpoint and deflate / br bodies', async () => {
    const { deflateSync, brotliCompressSync } = await import('node:zlib');
    const sentry = await start();
    const auth = { 'x-sentry-auth': `Sentry sentry_version=7, sentry_key=${sentry.publicKey}` };
    const storeBody = JSON.stringify({ event_id: 'c'.repeat(32), message: 'from store' });
    expect((await post(`${sentry.url}/api/1/store/`, storeBody, auth)).status).toBe(200);
    const envelope = `{}\n{"type":"event"}\n${JSON.stringify({ message: 'deflated' })}\n`;
    const deflated = deflateSync(envelope);
    const brotli = brotliCompressSync(envelope.replace('deflated', 'brotli'));
    expect(
      (await post(`${sentry.url}/api/1/envelope/`, deflated, { ...auth, 'content-encoding': 'deflate' })).status,
    ).toBe(200);
    expect((await post(`${sentry.url}/api/1/envelope/`, brotli, { ...auth, 'content-encoding': 'br' })).status).toBe(
      200,
    );

    expect(sentry.events().map((e) => e.message)).toEqual(['from store', 'deflated', 'brotli']);
    expect(sentry.requests()[0]?.auth.header).toContain(sentry.publicKey);
  });
});

describe('FakeSentry: refusals a test can notice', () => {
  it('answers 403 to a DSN with the wrong key and keeps the attempt', async () => {
    const sentry = await start();
    const wrongDsn = sentry.dsn.replace(sentry.publicKey, 'wrongkey123');
    const { client, scope, responses } = sentryClient(wrongDsn);
    scope.captureException(new Error('misrouted'));
    await client.flush(2000);

    expect(responses.map((r) => r.statusCode)).toEqual([403]);
    const [request] = sentry.requests();
    expect(request).toMatchObject({ status: 403, outcome: 'rejected', auth: { publicKey: 'wrongkey123' } });
    expect(request?.error).toContain(sentry.publicKey);
    expect(request?.envelope?.items[0]?.type).toBe('event');
    expect(sentry.events()).toEqual([]);
  });

  it('answers 403 to another project, 401 without a key, 404 to an unknown path, 400 to a broken envelope', async () => {
    const sentry = await start();
    const auth = { 'x-sentry-auth': `Sentry sentry_key=${sentry.publicKey}` };
    const envelope = '{}\n{"type":"event"}\n{}\n';
    expect((await post(`${sentry.url}/api/2/envelope/`, envelope, auth)).status).toBe(403);
    expect((await post(`${sentry.url}/api/1/envelope/`, envelope)).status).toBe(401);
    expect((await post(`${sentry.url}/api/1/somewhere/`, envelope, auth)).status).toBe(404);
    const broken = await post(`${sentry.url}/api/1/envelope/`, '{}\nnot json\n', auth);
    expect(broken.status).toBe(400);
    expect(await broken.text()).toMatch(/item 1 header .* is not JSON/);
    expect(sentry.requests().map((r) => r.status)).toEqual([403, 401, 404, 400]);
    expect(sentry.envelopes()).toEqual([]);
  });
});

describe('FakeSentry: failure modes on the wire', () => {
  it('respondWith 500: the client sees 500, the attempt is recorded and flagged, nothing counts as received', async () => {
    const sentry = await start();
    const { client, scope, responses } = sentryClient(sentry.dsn);
    sentry.respondWith({ status: 500 });
    scope.captureException(new Error('during outage'));
    await client.flush(2000);

    expect(responses.map((r) => r.statusCode)).toEqual([500]);
    expect(sentry.requests()).toHaveLength(1);
    expect(sentry.requests()[0]).toMatchObject({ status: 500, simulated: true, outcome: 'simulated-status' });
    expect(sentry.requests()[0]?.envelope?.items[0]?.type).toBe('event');
    expect(sentry.events()).toEqual([]);

    sentry.respondNormally();
    scope.captureException(new Error('after outage'));
    await client.flush(2000);
    expect(sentry.events().map((e) => e.exception?.values?.[0]?.value)).toEqual(['after outage']);
  });

  it('respondWith 429: Retry-After and X-Sentry-Rate-Limits reach the client, which then holds back', async () => {
    const sentry = await start();
    const { client, scope, responses } = sentryClient(sentry.dsn);
    sentry.respondWith({ status: 429, retryAfter: 120 });
    scope.captureException(new Error('first'));
    await client.flush(2000);

    expect(responses).toHaveLength(1);
    expect(responses[0]?.statusCode).toBe(429);
    expect(responses[0]?.headers?.['retry-after']).toBe('120');
    expect(responses[0]?.headers?.['x-sentry-rate-limits']).toBe('120::organization');

    // The client understood the rate limit: the next error is dropped before it reaches the wire.
    sentry.respondNormally();
    scope.captureException(new Error('second'));
    await client.flush(2000);
    expect(sentry.requests()).toHaveLength(1);
  });

  it('respondWith can target only OTLP or only envelopes', async () => {
    const sentry = await start();
    const auth = { 'x-sentry-auth': `Sentry sentry_key=${sentry.publicKey}` };
    sentry.respondWith({ status: 503 }, { only: 'otlp' });
    const envelope = await post(`${sentry.url}/api/1/envelope/`, '{}\n{"type":"event"}\n{}\n', auth);
    const otlp = await post(sentry.otlpTracesUrl, '{"resourceSpans":[]}', {
      ...auth,
      'content-type': 'application/json',
    });
    expect([envelope.status, otlp.status]).toEqual([200, 503]);
  });

  it('hang: the request stays pending until the client aborts; respondNormally answers held requests', async () => {
    const sentry = await start();
    const auth = { 'x-sentry-auth': `Sentry sentry_key=${sentry.publicKey}` };
    sentry.hang();

    const abort = new AbortController();
    const first = fetch(`${sentry.url}/api/1/envelope/`, {
      method: 'POST',
      body: '{}\n{"type":"event"}\n{"message":"held and aborted"}\n',
      headers: auth,
      signal: abort.signal,
    });
    const held = await sentry.waitFor('request', (r) => r.outcome === 'hanging');
    expect(held.status).toBeUndefined();
    expect(held.body.toString()).toContain('held and aborted');
    abort.abort();
    await expect(first).rejects.toThrow(/abort/i);
    expect(sentry.requests()[0]?.status).toBeUndefined();

    const second = post(
      `${sentry.url}/api/1/envelope/`,
      '{}\n{"type":"event"}\n{"message":"held then answered"}\n',
      auth,
    );
    await sentry.waitFor('request', (r) => r.id === held.id + 1);
    expect(sentry.events()).toEqual([]);
    sentry.respondNormally();
    expect((await second).status).toBe(200);
    expect(sentry.events().map((e) => e.message)).toEqual(['held then answered']);
    expect(sentry.requests()[1]).toMatchObject({ status: 200, outcome: 'accepted', simulated: false });
  });

  it('hang: close() ends held requests so nothing is left open', async () => {
    const sentry = await start();
    sentry.hang();
    const pending = post(`${sentry.url}/api/1/envelope/`, '{}\n', {
      'x-sentry-auth': `Sentry sentry_key=${sentry.publicKey}`,
    });
    await sentry.waitFor('request');
    await sentry.close();
    await expect(pending).rejects.toThrow();
  });

  it('resetConnections: the client gets ECONNRESET, and the attempt with its body is recorded', async () => {
    const sentry = await start();
    sentry.resetConnections();
    const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      const req = httpRequest(`${sentry.url}/api/1/envelope/?sentry_key=${sentry.publicKey}`, { method: 'POST' });
      req.on('response', () => reject(new Error('expected no response')));
      req.on('error', resolve);
      req.end('{}\n{"type":"event"}\n{"message":"reset me"}\n');
    });
    expect(error.code).toBe('ECONNRESET');
    expect(sentry.requests()).toHaveLength(1);
    expect(sentry.requests()[0]).toMatchObject({ outcome: 'reset', simulated: true, status: undefined });
    expect(sentry.received()).toContain('reset me');
    expect(sentry.events()).toEqual([]);
  });

  it('resetConnections with the real Sentry transport: the send fails and the attempts are counted', async () => {
    const sentry = await start();
    const { client, scope } = sentryClient(sentry.dsn);
    sentry.resetConnections();
    scope.captureException(new Error('lost'));
    await client.flush(2000);
    await sentry.waitFor('request', (r) => r.outcome === 'reset');
    expect(sentry.requests().every((r) => r.outcome === 'reset')).toBe(true);
    expect(sentry.events()).toEqual([]);
  });

  it('rejects bad failure-mode input with a message naming the field', async () => {
    const sentry = await start();
    expect(() => sentry.respondWith({ status: 99 })).toThrow(/status must be an integer from 200 to 599, got 99/);
    expect(() => sentry.respondWith({ status: 429, retryAfter: -1 })).toThrow(/retryAfter/);
    await expect(FakeSentry.start({ maxRequests: 0 })).rejects.toThrow(/maxRequests/);
    await expect(FakeSentry.start({ project: 'acme' })).rejects.toThrow(/project must be digits/);
    await expect(FakeSentry.start({ publicKey: 'with-dash' })).rejects.toThrow(/publicKey must be letters/);
  });
});

describe('FakeSentry: waitFor, memory bound, clear', () => {
  it('waitFor rejects on timeout with what was received', async () => {
    const sentry = await start();
    const { client, scope } = sentryClient(sentry.dsn);
    scope.captureException(new TypeError('the one that arrived'));
    await client.flush(2000);

    const waiting = sentry.waitFor('event', (e) => e.message === 'never sent', 20);
    await expect(waiting).rejects.toThrow(/waitFor\(event\): nothing matched within 20 ms \(1 event received/);
    await expect(sentry.waitFor('event', () => false, 20)).rejects.toThrow(
      /#1 POST \/api\/1\/envelope\/ → 200 · event "TypeError: the one that arrived"/,
    );
  });

  it('waitFor resolves on items that arrive later, and with the general predicate form', async () => {
    const sentry = await start();
    const later = sentry.waitFor((item) => item.kind === 'event' && item.value.message === 'later');
    const { client, scope } = sentryClient(sentry.dsn);
    scope.captureMessage('later');
    await client.flush(2000);
    const item = await later;
    expect(item.kind).toBe('event');
    expect(item.kind === 'event' && item.value.message).toBe('later');
  });

  it('waitFor rejects when the predicate throws, and when the fake closes', async () => {
    const sentry = await start();
    await post(`${sentry.url}/nowhere`, 'x');
    await expect(
      sentry.waitFor('request', () => {
        throw new Error('bad predicate');
      }),
    ).rejects.toThrow(/predicate threw: bad predicate/);
    const pending = sentry.waitFor('span');
    await sentry.close();
    await expect(pending).rejects.toThrow(/closed/);
  });

  it('keeps at most maxRequests requests, dropping the oldest', async () => {
    const sentry = await start({ maxRequests: 3 });
    for (let i = 1; i <= 5; i += 1) await post(`${sentry.url}/nowhere/${i}`, `body ${i}`);
    expect(sentry.requests().map((r) => r.pathname)).toEqual(['/nowhere/3', '/nowhere/4', '/nowhere/5']);
    expect(sentry.droppedRequests).toBe(2);
    expect(sentry.received()).not.toContain('body 1');
    await expect(sentry.waitFor('request', () => false, 10)).rejects.toThrow(/Received 5 requests \(the first 2/);
  });

  it('clear() forgets what was received', async () => {
    const sentry = await start();
    const { client, scope } = sentryClient(sentry.dsn);
    scope.captureException(new Error('before clear'));
    await client.flush(2000);
    expect(sentry.events()).toHaveLength(1);
    sentry.clear();
    expect([sentry.requests(), sentry.events(), sentry.received()]).toEqual([[], [], '']);
  });
});
