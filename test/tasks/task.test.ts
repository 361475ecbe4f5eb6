import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsentLevel, Telemetry } from '../../src/index.js';
import { FakeSentry } from '../../src/testing/index.js';
import { suiteOn, TOKEN, USER_ID } from './support.js';

let sentry: FakeSentry;
let telemetry: Telemetry;
let logger: ReturnType<typeof suiteOn>['logger'];

beforeEach(async () => {
  sentry = await FakeSentry.start();
  ({ telemetry, logger } = suiteOn(sentry));
});
afterEach(async () => {
  await telemetry.shutdown();
  await sentry.close();
});

async function at(level: ConsentLevel) {
  const mod = telemetry.module({ name: 'status', version: '1.4.0' });
  await telemetry.consent.set(level, { by: 'owner:1' });
  return mod;
}

describe('mod.task()', () => {
  it.each(['off', 'manual', 'errors'] as const)('at %s: runs and returns, and no span ever leaves', async (level) => {
    const mod = await at(level);
    let seen: unknown;
    expect(
      await mod.task('check-updates', (span) => {
        seen = span;
        return 'done';
      }),
    ).toBe('done');
    expect((seen as { isRecording(): boolean }).isRecording()).toBe(false);
    await telemetry.shutdown();
    expect(sentry.spans()).toHaveLength(0);
    expect(sentry.requests().filter((r) => r.endpoint === 'otlp-traces')).toHaveLength(0);
  });

  it('at all: one root span per run with suite, module, version and kind attributes', async () => {
    const mod = await at('all');
    await mod.task('check-updates', async () => 1);
    await mod.task('check-updates', () => 2);
    await telemetry.shutdown();
    const spans = sentry.spans().filter((s) => s.name === 'check-updates');
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.parentSpanId).toBeUndefined();
      expect(span.attributes).toMatchObject({
        'consentry.suite': 'acme-plugins',
        'consentry.module': 'status',
        'consentry.version': '1.4.0',
        'consentry.kind': 'task',
      });
      expect(span.status.code).not.toBe('error');
    }
    expect(spans[0]?.traceId).not.toBe(spans[1]?.traceId);
  });

  it('children made with mod.span() nest under the task; outside a task mod.span() just runs', async () => {
    const mod = await at('all');
    await mod.task('sync', async () => {
      await mod.span('fetch-releases', async (child) => {
        child.setAttribute('releases', 3);
        await mod.span('parse', () => undefined);
      });
      await mod.span('write-cache', () => undefined);
    });
    expect(await mod.span('outside', () => 'ran')).toBe('ran');
    await telemetry.shutdown();
    const byName = new Map(sentry.spans().map((s) => [s.name, s]));
    const root = byName.get('sync');
    const fetch = byName.get('fetch-releases');
    expect(root?.parentSpanId).toBeUndefined();
    expect(fetch?.parentSpanId).toBe(root?.spanId);
    expect(fetch?.traceId).toBe(root?.traceId);
    expect(fetch?.attributes.releases).toBe(3);
    expect(byName.get('parse')?.parentSpanId).toBe(fetch?.spanId);
    expect(byName.get('write-cache')?.parentSpanId).toBe(root?.spanId);
    expect(byName.has('outside')).toBe(false);
  });

  it('a failing child marks itself failed and the task captures the error once, linked to the task span', async () => {
    const mod = await at('all');
    await expect(
      mod.task('sync', () =>
        mod.span('fetch-releases', () => {
          throw new Error(`bad answer for guild ${USER_ID}`);
        }),
      ),
    ).rejects.toThrow('bad answer');
    await telemetry.shutdown();
    const event = await sentry.waitFor('event');
    const byName = new Map(sentry.spans().map((s) => [s.name, s]));
    expect(byName.get('fetch-releases')?.status.code).toBe('error');
    expect(byName.get('sync')?.status.code).toBe('error');
    expect(event.contexts?.trace).toEqual({
      trace_id: byName.get('sync')?.traceId,
      span_id: byName.get('sync')?.spanId,
    });
    expect(sentry.events()).toHaveLength(1);
    expect(sentry.received()).not.toContain(USER_ID);
  });

  it('at all: an error is captured linked to the span, logged, marks the span failed, and is rethrown', async () => {
    const mod = await at('all');
    const thrown = new TypeError(`token ${TOKEN} rejected`);
    await expect(
      mod.task('refresh', () => {
        throw thrown;
      }),
    ).rejects.toBe(thrown);
    await telemetry.shutdown();
    const event = await sentry.waitFor('event');
    const span = sentry.spans().find((s) => s.name === 'refresh');
    expect(span?.status.code).toBe('error');
    expect(event.contexts?.trace?.trace_id).toBe(span?.traceId);
    expect(event.contexts?.trace?.span_id).toBe(span?.spanId);
    expect(event.tags).toMatchObject({ task: 'refresh', module: 'status' });
    expect(logger.at('error').some((line) => line.includes('task refresh failed: TypeError'))).toBe(true);
    expect(sentry.received()).not.toContain(TOKEN);
  });

  it('at errors: the error is sent without a trace context (the span records nothing, so there is nothing to link)', async () => {
    const mod = await at('errors');
    await expect(mod.task('refresh', () => Promise.reject(new Error('nope')))).rejects.toThrow('nope');
    const event = await sentry.waitFor('event');
    expect(event.contexts?.trace).toBeUndefined();
    expect(sentry.spans()).toHaveLength(0);
  });

  it('rejects at once when fn is not a function', async () => {
    const mod = await at('all');
    await expect(mod.task('x', 42 as never)).rejects.toThrow(/function to run/);
  });
});

describe('mod.migration()', () => {
  it('a task span with from/to, start and end logged', async () => {
    const mod = await at('all');
    expect(await mod.migration('config', { from: 1, to: 2 }, async () => 'migrated')).toBe('migrated');
    await telemetry.shutdown();
    const span = sentry.spans().find((s) => s.name === 'config');
    expect(span?.attributes).toMatchObject({
      'consentry.kind': 'migration',
      'consentry.migration.from': 1,
      'consentry.migration.to': 2,
      'consentry.module': 'status',
    });
    const info = logger.at('info');
    expect(info).toContain('[status] migration config from 1 to 2 started');
    expect(info.some((line) => /^\[status\] migration config from 1 to 2 finished in \d+ ms$/.test(line))).toBe(true);
  });

  it('an error is captured (linked), logged and rethrown; no "finished" line', async () => {
    const mod = await at('all');
    await expect(
      mod.migration('config', { from: '1.x', to: '2.0' }, () => {
        throw new Error('column missing');
      }),
    ).rejects.toThrow('column missing');
    await telemetry.shutdown();
    const event = await sentry.waitFor('event');
    const span = sentry.spans().find((s) => s.name === 'config');
    expect(event.contexts?.trace?.span_id).toBe(span?.spanId);
    expect(event.tags).toMatchObject({ migration: 'config' });
    expect(logger.at('error')).toContain('[status] migration config failed: Error: column missing');
    expect(logger.at('info').some((line) => line.includes('finished'))).toBe(false);
    // The start line is a breadcrumb of the captured error.
    expect(event.breadcrumbs?.some((b) => b.message === 'migration config from 1.x to 2.0 started')).toBe(true);
  });

  it('rejects a range that is not { from, to }', async () => {
    const mod = await at('all');
    await expect(mod.migration('config', { from: 1 } as never, () => 1)).rejects.toThrow(/\{ from, to \}/);
  });
});
