import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsentLevel } from '../../src/consent/index.js';
import { createTracing } from '../../src/otel/index.js';
import { FakeSentry } from '../../src/testing/index.js';
import {
  BOT_TOKEN,
  IPV4,
  IPV6,
  otlpRequests,
  scrubber,
  tracingFor,
  USER_ID,
  WEBHOOK_TOKEN,
  WEBHOOK_URL,
} from './helpers.js';

let sentry: FakeSentry;
beforeEach(async () => {
  sentry = await FakeSentry.start();
});
afterEach(async () => {
  await sentry.close();
});

describe('consent gate', () => {
  it.each<ConsentLevel>(['off', 'manual', 'errors'])(
    'sends zero requests at %s, also on flush and shutdown',
    async (level) => {
      const { tracing } = tracingFor(sentry, level);
      const tracer = tracing.tracer('acme-plugins/status', '1.4.0');
      expect(tracing.enabled).toBe(false);
      const span = tracer.startSpan('check-updates');
      expect(span.isRecording()).toBe(false);
      await tracer.startActiveSpan('loop', async (outer) => {
        tracer.startSpan('inner').end();
        outer.end();
      });
      span.end();
      await tracing.forceFlush();
      await tracing.shutdown();
      expect(sentry.requests()).toHaveLength(0);
    },
  );

  it('sends spans at all, to the OTLP endpoint of the DSN, with only the Sentry auth header', async () => {
    const { tracing } = tracingFor(sentry, 'all');
    const tracer = tracing.tracer('acme-plugins/status', '1.4.0');
    await tracer.startActiveSpan('check-updates', async (root) => {
      const child = tracer.startSpan('fetch-release');
      expect(tracing.activeSpan()).toBe(root);
      child.end();
      root.end();
    });
    await tracing.forceFlush();
    const spans = sentry.spans();
    expect(spans.map((s) => s.name).sort()).toEqual(['check-updates', 'fetch-release']);
    const root = spans.find((s) => s.name === 'check-updates');
    const child = spans.find((s) => s.name === 'fetch-release');
    expect(root?.parentSpanId).toBeUndefined();
    expect(child?.parentSpanId).toBe(root?.spanId);
    expect(child?.traceId).toBe(root?.traceId);
    expect(root?.scope).toMatchObject({ name: 'acme-plugins/status', version: '1.4.0' });
    const [request] = otlpRequests(sentry);
    expect(request?.pathname).toBe(new URL(sentry.otlpTracesUrl).pathname);
    expect(request?.auth.publicKey).toBe(sentry.publicKey);
    expect(request?.headers['content-type']).toBe('application/x-protobuf');
    expect(request?.headers.authorization).toBeUndefined();
    await tracing.shutdown();
  });

  it('sends JSON when asked', async () => {
    const { tracing } = tracingFor(sentry, 'all', { encoding: 'json' });
    tracing.tracer('t').startSpan('json-span').end();
    await tracing.forceFlush();
    expect(otlpRequests(sentry)[0]?.headers['content-type']).toBe('application/json');
    expect(sentry.spans().map((s) => s.name)).toEqual(['json-span']);
    await tracing.shutdown();
  });

  it('follows the level: spans start recording at all and stop when it is lowered', async () => {
    const { tracing, level } = tracingFor(sentry, 'errors');
    const tracer = tracing.tracer('t');
    tracer.startSpan('before').end();
    level.set('all');
    await tracing.levelChanged();
    tracer.startSpan('during').end();
    const endsAfterOff = tracer.startSpan('started-at-all-ended-at-off');
    await tracing.forceFlush();
    level.set('off');
    await tracing.levelChanged();
    endsAfterOff.end();
    tracer.startSpan('after').end();
    await tracing.forceFlush();
    await tracing.shutdown();
    expect(sentry.spans().map((s) => s.name)).toEqual(['during']);
  });

  it('treats a getLevel that throws as off', async () => {
    const tracing = createTracing({
      dsn: sentry.dsn,
      scrubber,
      getLevel: () => {
        throw new Error('store down');
      },
      resource: { suite: 'acme-plugins' },
      logger: { warn() {} },
    });
    tracing.tracer('t').startSpan('x').end();
    await tracing.shutdown();
    expect(sentry.requests()).toHaveLength(0);
  });

  it('samples with tracesSampleRate: 0 records nothing even at all', async () => {
    const { tracing } = tracingFor(sentry, 'all', { tracesSampleRate: 0 });
    for (let i = 0; i < 20; i++) tracing.tracer('t').startSpan(`s${i}`).end();
    await tracing.shutdown();
    expect(sentry.requests()).toHaveLength(0);
  });

  it('after shutdown, spans are no-ops and nothing more is sent', async () => {
    const { tracing } = tracingFor(sentry, 'all');
    await tracing.shutdown();
    const span = tracing.tracer('t').startSpan('late');
    expect(span.isRecording()).toBe(false);
    span.end();
    await tracing.forceFlush();
    await tracing.shutdown();
    expect(sentry.requests()).toHaveLength(0);
  });
});

describe('scrubbing on the wire', () => {
  it('scrubs names, attribute keys and values, events, status, links and the resource', async () => {
    const { tracing } = tracingFor(sentry, 'all', {
      resource: { suite: 'acme-plugins', module: `guild-${USER_ID}`, version: '1.4.0', environment: `host ${IPV4}` },
    });
    const tracer = tracing.tracer(`acme/${USER_ID}`);
    const linked = tracer.startSpan('linked');
    linked.end();
    const span = tracer.startSpan(`sync guild ${USER_ID}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        [`user.${USER_ID}`]: 'key with an id',
        'discord.webhook': WEBHOOK_URL,
        'net.peer': IPV4,
        'net.peer6': IPV6,
        'bot.config': `{"token":"${BOT_TOKEN}"}`,
        'auth.token': 'hunter2-plain-password',
        ids: [USER_ID, 'plain'],
        'big.number': Number(USER_ID),
        count: 3,
      },
      links: [{ context: linked.spanContext(), attributes: { reason: `retry for ${USER_ID}` } }],
    });
    span.addEvent(`login with ${BOT_TOKEN}`, { ip: IPV4, [`member.${USER_ID}`]: true });
    span.setStatus({ code: SpanStatusCode.ERROR, message: `webhook ${WEBHOOK_URL} failed from ${IPV6}` });
    span.end();
    await tracing.forceFlush();
    await tracing.shutdown();

    const received = sentry.received();
    for (const secret of [BOT_TOKEN, WEBHOOK_TOKEN, USER_ID, IPV4, IPV6, 'hunter2-plain-password']) {
      expect(received).not.toContain(secret);
    }
    const sent = sentry.spans().find((s) => s.name.startsWith('sync guild'));
    expect(sent?.name).toMatch(/^sync guild \[SHORTENED-ID-\d{4}\]$/);
    expect(sent?.kind).toBe('client');
    const keys = Object.keys(sent?.attributes ?? {});
    expect(keys.some((k) => /^user\.\[SHORTENED-ID-\d{4}\]$/.test(k))).toBe(true);
    expect(sent?.attributes['discord.webhook']).toContain('[WEBHOOK-TOKEN]');
    expect(sent?.attributes['net.peer']).toBe('IP_V4');
    expect(sent?.attributes['net.peer6']).toBe('IP_V6');
    expect(sent?.attributes['bot.config']).toContain('[BOT-TOKEN]');
    expect(sent?.attributes['auth.token']).toBe('[Filtered]');
    expect(sent?.attributes.count).toBe(3);
    expect(sent?.attributes.ids).toEqual([expect.stringMatching(/^\[SHORTENED-ID-\d{4}\]$/), 'plain']);
    expect(sent?.events[0]?.name).toBe('login with [BOT-TOKEN]');
    expect(sent?.events[0]?.attributes.ip).toBe('IP_V4');
    expect(sent?.status.code).toBe('error');
    expect(sent?.status.message).toContain('[WEBHOOK-TOKEN]');
    expect(sent?.status.message).toContain('IP_V6');
    expect(sent?.links[0]?.attributes.reason).toMatch(/^retry for \[SHORTENED-ID-\d{4}\]$/);
    expect(sent?.scope.name).toMatch(/^acme\/\[SHORTENED-ID-\d{4}\]$/);
    expect(sent?.resource['consentry.module']).toMatch(/^guild-\[SHORTENED-ID-\d{4}\]$/);
    expect(sent?.resource['deployment.environment.name']).toBe('host IP_V4');
  });

  it('the resource names the suite and nothing about the machine, user or process', async () => {
    const { tracing } = tracingFor(sentry, 'all');
    tracing.tracer('t').startSpan('x').end();
    await tracing.shutdown();
    const resource = sentry.spans()[0]?.resource;
    expect(resource).toEqual({
      'service.name': 'acme-plugins',
      'service.version': '1.4.0',
      'consentry.module': 'status',
      'deployment.environment.name': 'production',
      'telemetry.sdk.name': 'consentry',
      'telemetry.sdk.language': 'nodejs',
      'telemetry.sdk.version': expect.any(String),
    });
    const received = sentry.received();
    expect(received).not.toContain('unknown_service');
    for (const key of ['host.id', 'process.owner', 'process.command_line', 'process.command_args']) {
      expect(received).not.toContain(key);
    }
    expect(received).not.toContain('process.pid');
    expect(received).not.toContain('host.name');
  });
});

describe('options', () => {
  it('rejects bad input with the field and the fix', () => {
    const base = { scrubber, getLevel: () => 'all' as const, resource: { suite: 'acme' } };
    expect(() => createTracing({ ...base })).toThrow(/exactly one of dsn .* or otlpEndpoint/);
    expect(() => createTracing({ ...base, dsn: 'not a dsn' })).toThrow(/dsn is not a valid Sentry DSN/);
    expect(() => createTracing({ ...base, dsn: sentry.dsn, otlpEndpoint: 'http://x/v1/traces' })).toThrow(
      /exactly one/,
    );
    expect(() => createTracing({ ...base, otlpEndpoint: 'collector' })).toThrow(/otlpEndpoint must be an absolute/);
    expect(() => createTracing({ ...base, dsn: sentry.dsn, tracesSampleRate: 2 })).toThrow(/tracesSampleRate must be/);
    expect(() => createTracing({ ...base, dsn: sentry.dsn, resource: { suite: '' } })).toThrow(
      /resource.suite must be/,
    );
    expect(() => createTracing({ ...base, dsn: sentry.dsn, limits: { maxQueueSize: 0 } })).toThrow(
      /limits.maxQueueSize must be a whole number/,
    );
    expect(() => createTracing({ ...base, dsn: sentry.dsn, getLevel: 'all' as never })).toThrow(/getLevel must be/);
  });

  it('sends to an explicit OTLP endpoint with exactly the given headers', async () => {
    const { tracing } = tracingFor(sentry, 'all', {
      dsn: undefined,
      otlpEndpoint: sentry.otlpTracesUrl,
      headers: { 'X-Sentry-Auth': `Sentry sentry_key=${sentry.publicKey}`, 'x-collector-tenant': 'acme' },
    });
    tracing.tracer('t').startSpan('via-collector').end();
    await tracing.shutdown();
    const [request] = otlpRequests(sentry);
    expect(request?.headers['x-collector-tenant']).toBe('acme');
    expect(sentry.spans().map((s) => s.name)).toEqual(['via-collector']);
  });

  it('drops spans marked with the documented attribute (consentry.kind = command, as written in the README)', async () => {
    const { tracing } = tracingFor(sentry, 'all');
    const tracer = tracing.tracer('t');
    // Literal strings on purpose: a user marking spans by hand follows the README, not our constants.
    tracer.startSpan('marked as a command', { attributes: { 'consentry.kind': 'command' } }).end();
    tracer.startSpan('marked as a task', { attributes: { 'consentry.kind': 'task' } }).end();
    await tracing.shutdown();
    expect(sentry.spans().map((s) => [s.name, s.attributes['consentry.kind']])).toEqual([['marked as a task', 'task']]);
  });
});
