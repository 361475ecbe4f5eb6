import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConsentryConfigError,
  createTelemetry,
  memoryStore,
  type Store,
  type Telemetry,
  type TelemetryOptions,
} from '../../src/index.js';
import { FakeSentry } from '../../src/testing/index.js';
import { captureLogger } from '../support/logger.js';

const TOKEN = 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs';
const GUILD = '123456789012345678';

let sentry: FakeSentry;
const open: Telemetry[] = [];

beforeEach(async () => {
  sentry = await FakeSentry.start();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((telemetry) => telemetry.shutdown()));
  await sentry.close();
});

function suite(options: Partial<TelemetryOptions> & { store?: Store } = {}) {
  const telemetry = createTelemetry({
    suite: 'acme-plugins',
    dsn: sentry.dsn,
    store: options.store ?? memoryStore(),
    botToken: TOKEN,
    logger: captureLogger(),
    env: {},
    ...options,
  });
  open.push(telemetry);
  return telemetry;
}

const boom = (message = `lookup of guild ${GUILD} with ${TOKEN} failed`) => new Error(message);

describe('the error path of createTelemetry and telemetry.module()', () => {
  it('at manual (nobody chose yet) sends nothing, keeps a report, and sends exactly that one by hand', async () => {
    const telemetry = suite();
    const mod = telemetry.module({ name: 'status', version: '1.4.0' });
    await telemetry.consent.status();

    const outcome = mod.captureError(boom());
    expect(outcome.status).toBe('pending');
    const code = (outcome as { code: string }).code;
    await expect.poll(() => telemetry.reports.list().map((r) => r.code)).toEqual([code]);
    expect(telemetry.reports.list()[0]).toMatchObject({
      module: 'status',
      title: expect.stringContaining('[BOT-TOKEN]'),
    });
    expect(sentry.requests()).toHaveLength(0);

    const preview = telemetry.reports.preview(code) as string;
    expect(preview).toContain('[SHORTENED-ID-2216]');
    expect(preview).not.toContain(TOKEN);

    const eventId = await telemetry.reports.send(code);
    const received = await sentry.waitFor('event', (event) => event.event_id === eventId);
    expect(JSON.parse(preview)).toEqual(JSON.parse(JSON.stringify(received)));
    expect(sentry.events()).toHaveLength(1);
    expect(sentry.sessions()).toHaveLength(0);
    expect(telemetry.reports.list()).toEqual([]);
    await expect(telemetry.reports.send(code)).rejects.toThrow(/no pending report/);
  });

  it('at errors sends the scrubbed event with the module release and a release-health session', async () => {
    const telemetry = suite();
    const mod = telemetry.module({ name: 'status', version: '1.4.0', commit: 'abc123' });
    await telemetry.consent.set('errors', { by: 'owner:1' });
    const { userId } = await telemetry.consent.status();

    mod.logger.info(`checked guild ${GUILD} from 203.0.113.9`);
    const outcome = mod.captureError(boom(), { extra: { webhook: `https://discord.gg/AbC123` } });
    expect(outcome.status).toBe('queued');

    const event = await sentry.waitFor('event');
    expect(event.release).toBe('acme-plugins|status@1.4.0');
    expect(event.user).toEqual({ id: userId });
    expect(event.tags).toMatchObject({ module: 'status', version: '1.4.0', commit: 'abc123', suite: 'acme-plugins' });
    expect(event.breadcrumbs?.map((b) => b.message)).toContain('checked guild [SHORTENED-ID-2216] from IP_V4');
    const session = await sentry.waitFor('session', (s) => (s.errors ?? 0) > 0);
    expect(session).toMatchObject({ did: userId, release: 'acme-plugins|status@1.4.0' });

    const bytes = sentry.received();
    for (const secret of [TOKEN, GUILD, '203.0.113.9', 'discord.gg/AbC123']) expect(bytes).not.toContain(secret);
  });

  it('at off and with DO_NOT_TRACK=1 nothing at all reaches Sentry', async () => {
    const off = suite();
    const mod = off.module({ name: 'status', version: '1.4.0' });
    await off.consent.set('off', { by: 'owner:1' });
    expect(mod.captureError(boom())).toEqual({ status: 'dropped', reason: 'off' });

    const dnt = suite({ env: { DO_NOT_TRACK: '1' }, suite: 'other-suite' });
    const other = dnt.module({ name: 'notes', version: '2.0.0' });
    await dnt.consent.status();
    expect(other.captureError(boom()).status).toBe('dropped');
    other.logger.error('still logged for the bot');

    await off.shutdown();
    await dnt.shutdown();
    expect(sentry.requests()).toHaveLength(0);
    expect(off.reports.list()).toEqual([]);
  });

  it('holds an error captured before the settings are read, then handles it as the level says', async () => {
    const store = memoryStore();
    await store.update('acme-plugins', () => ({ version: 2, level: 'errors', decidedBy: 'owner:1', policyVersion: 1 }));
    const telemetry = suite({ store });
    const mod = telemetry.module({ name: 'status', version: '1.4.0' });
    expect(mod.captureError(boom('early failure')).status).toBe('deferred');
    const event = await sentry.waitFor('event');
    expect(event.exception?.values?.[0]?.value).toBe('early failure');
  });

  it('a report made on one shard is sent from another, exactly once even when both try', async () => {
    const store = memoryStore();
    const shardA = suite({ store });
    const shardB = suite({ store });
    const onA = shardA.module({ name: 'status', version: '1.4.0' });
    shardB.module({ name: 'status', version: '1.4.0' });
    await Promise.all([shardA.consent.status(), shardB.consent.status()]);

    const { code } = onA.captureError(boom()) as { code: string };
    await expect.poll(() => shardB.reports.list().map((r) => r.code)).toEqual([code]);
    const results = await Promise.allSettled([shardB.reports.send(code), shardA.reports.send(code)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    await sentry.waitFor('event');
    await shardA.shutdown();
    await shardB.shutdown();
    expect(sentry.events()).toHaveLength(1);
  });

  it('refuses to send a kept report at off (owner or DO_NOT_TRACK), and keeps it', async () => {
    const store = memoryStore();
    const telemetry = suite({ store });
    const mod = telemetry.module({ name: 'status', version: '1.4.0' });
    await telemetry.consent.status();
    const { code } = mod.captureError(boom()) as { code: string };
    await expect.poll(() => telemetry.reports.list().length).toBe(1);

    await telemetry.consent.set('off', { by: 'owner:1' });
    await expect(telemetry.reports.send(code)).rejects.toThrow(/not sent: the level is 'off'/);
    const dnt = suite({ store, env: { DO_NOT_TRACK: '1' }, suite: 'acme-plugins' });
    dnt.module({ name: 'status', version: '1.4.0' });
    await dnt.consent.status();
    await expect(dnt.reports.send(code)).rejects.toThrow(/DO_NOT_TRACK/);
    expect(telemetry.reports.list().map((r) => r.code)).toEqual([code]);
    expect(sentry.requests()).toEqual([]);
  });

  it('keeps a report when Sentry refuses it, so it can be sent later', async () => {
    const telemetry = suite();
    const mod = telemetry.module({ name: 'status', version: '1.4.0' });
    await telemetry.consent.status();
    const { code } = mod.captureError(boom()) as { code: string };
    await expect.poll(() => telemetry.reports.list().length).toBe(1);
    sentry.respondWith({ status: 500 });
    await expect(telemetry.reports.send(code)).rejects.toThrow(/could not be sent.*kept/);
    expect(telemetry.reports.list().map((r) => r.code)).toEqual([code]);
    sentry.respondNormally();
    const eventId = await telemetry.reports.send(code);
    expect((await sentry.waitFor('event')).event_id).toBe(eventId);
  });

  it('forget() gives later events the new user id', async () => {
    const telemetry = suite();
    const mod = telemetry.module({ name: 'status', version: '1.4.0' });
    await telemetry.consent.set('errors', { by: 'owner:1' });
    const before = (await telemetry.consent.status()).userId;
    const after = (await telemetry.consent.forget()).userId;
    expect(after).not.toBe(before);
    mod.captureError(boom('after forget'));
    const event = await sentry.waitFor('event', (e) => e.exception?.values?.[0]?.value === 'after forget');
    expect(event.user).toEqual({ id: after });
  });

  it('a module with wrong options logs one line and sends nothing; strict: true throws', async () => {
    const logger = captureLogger();
    const telemetry = suite({ logger });
    const mod = telemetry.module({ name: '', version: 1 as never });
    expect(logger.at('error').join('\n')).toMatch(/option `name` must be.*Also, option `version` must be/);
    expect(mod.captureError(boom()).status).toBe('dropped');

    const strict = suite({ strict: true, suite: 'strict-suite' });
    expect(() => strict.module({ name: 'ok', version: '' })).toThrow(ConsentryConfigError);
  });

  it('registering the same module twice returns the same module', () => {
    const telemetry = suite();
    expect(telemetry.module({ name: 'status', version: '1.4.0' })).toBe(
      telemetry.module({ name: 'status', version: '1.4.0' }),
    );
  });
});
