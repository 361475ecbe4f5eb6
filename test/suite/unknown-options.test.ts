// An option nobody reads is reported, with the closest known name: once per call site and key as a warning, and
// thrown as ConsentryConfigError with `strict: true`. Every public options parser goes through the same helper.
import { Client, GatewayIntentBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { attachDiscord } from '../../src/discord/index.js';
import {
  ConsentryConfigError,
  createScrubber,
  createTelemetry,
  fileStore,
  memoryStore,
  redisStore,
  ScrubberOptionsError,
} from '../../src/index.js';
import { closestName, editDistance } from '../../src/log/index.js';
import { captureLogger } from '../support/logger.js';

let seq = 0;
const uniqueSuite = () => `unknown-options-${++seq}`;

describe('closest known name', () => {
  it('finds typos, not unrelated names', () => {
    expect(editDistance('polcyVersion', 'policyVersion')).toBe(1);
    expect(closestName('polcyVersion', ['suite', 'dsn', 'policyVersion', 'docsUrl'])).toBe('policyVersion');
    expect(closestName('docUrl', ['suite', 'dsn', 'policyVersion', 'docsUrl'])).toBe('docsUrl');
    expect(closestName('DSN', ['suite', 'dsn'])).toBe('dsn');
    expect(closestName('otlpEndpoint', ['suite', 'dsn', 'policyVersion', 'docsUrl'])).toBeUndefined();
    expect(closestName('headers', ['suite', 'dsn', 'policyVersion', 'docsUrl'])).toBeUndefined();
  });
});

describe('createTelemetry', () => {
  it('warns once per key with the closest known name, and otherwise works', async () => {
    const suite = uniqueSuite();
    const logger = captureLogger();
    const options = { suite, store: memoryStore(), env: {}, logger, polcyVersion: 2, docUrl: 'https://x.example' };
    const telemetry = createTelemetry(options as never);
    expect(logger.at('warn')).toEqual([
      `consentry: createTelemetry('${suite}'): unknown option polcyVersion: did you mean policyVersion? It is ignored.`,
      `consentry: createTelemetry('${suite}'): unknown option docUrl: did you mean docsUrl? It is ignored.`,
    ]);
    expect(logger.at('error')).toEqual([]);
    expect((await telemetry.consent.status()).policyVersion).toBe(1);
    await telemetry.shutdown();

    const again = createTelemetry(options as never);
    expect(logger.at('warn')).toHaveLength(2);
    await again.shutdown();
  });

  it('names the options there are when nothing is close (otlpEndpoint and headers belong to no public option)', async () => {
    const suite = uniqueSuite();
    const logger = captureLogger();
    const telemetry = createTelemetry({
      suite,
      store: memoryStore(),
      env: {},
      logger,
      otlpEndpoint: 'http://127.0.0.1:4318/v1/traces',
    } as never);
    expect(logger.at('warn')).toEqual([
      `consentry: createTelemetry('${suite}'): unknown option otlpEndpoint: the options are suite, dsn, policyVersion, docsUrl, store, level, tracesSampleRate, spanTransport, botToken, logger, env, strict. It is ignored.`,
    ]);
    await telemetry.shutdown();
  });

  it('strict: true throws ConsentryConfigError naming the option', () => {
    const logger = captureLogger();
    const attempt = () =>
      createTelemetry({ suite: uniqueSuite(), store: memoryStore(), logger, strict: true, polcyVersion: 2 } as never);
    expect(attempt).toThrow(ConsentryConfigError);
    expect(attempt).toThrow(/unknown option polcyVersion: did you mean policyVersion\?$/);
    try {
      attempt();
    } catch (error) {
      expect((error as ConsentryConfigError).option).toBe('polcyVersion');
    }
    expect(logger.lines).toEqual([]);
  });
});

describe('module(), loop() and migration()', () => {
  it('warn, and the module, loop and migration still work', async () => {
    const suite = uniqueSuite();
    const logger = captureLogger();
    const telemetry = createTelemetry({ suite, store: memoryStore(), env: {}, logger });
    const mod = telemetry.module({ name: 'status', version: '1.0.0', rot: import.meta.dirname } as never);
    const loop = mod.loop(
      'check',
      { every: 60_000, runAtstart: false, checkIn: { monitorSlg: 'x' } } as never,
      () => {},
    );
    expect(await mod.migration('config', { from: 1, to: 2, form: 0 } as never, () => 'done')).toBe('done');
    await loop.stop();
    expect(logger.at('warn').filter((line) => line.includes('unknown option'))).toEqual([
      `consentry: ${suite}: telemetry.module(): unknown option rot: did you mean root? It is ignored.`,
      `[status] consentry: mod.loop('check'): unknown option runAtstart: did you mean runAtStart? It is ignored.`,
      `[status] consentry: mod.loop('check') checkIn: unknown option monitorSlg: did you mean monitorSlug? It is ignored.`,
      `[status] consentry: mod.migration('config') range: unknown option form: did you mean from? It is ignored.`,
    ]);
    await telemetry.shutdown();
  });

  it('throw ConsentryConfigError with strict: true', async () => {
    const telemetry = createTelemetry({ suite: uniqueSuite(), store: memoryStore(), env: {}, strict: true });
    expect(() => telemetry.module({ name: 'status', version: '1.0.0', rot: '.' } as never)).toThrow(
      ConsentryConfigError,
    );
    const mod = telemetry.module({ name: 'status', version: '1.0.0' });
    expect(() => mod.loop('check', { every: 60_000, evry: 1 } as never, () => {})).toThrow(
      /unknown option evry: did you mean every\?/,
    );
    expect(() => mod.migration('config', { from: 1, to: 2, too: 3 } as never, () => {})).toThrow(ConsentryConfigError);
    await telemetry.shutdown();
  });
});

describe('captureError', () => {
  it('warns once for a misspelt option and still captures (it never throws, even with strict)', async () => {
    const logger = captureLogger();
    const telemetry = createTelemetry({ suite: uniqueSuite(), store: memoryStore(), env: {}, logger, strict: true });
    const mod = telemetry.module({ name: 'status', version: '1.0.0' });
    const first = mod.captureError(new Error('boom'), { extras: { attempt: 3 } } as never);
    mod.captureError(new Error('boom'), { extras: { attempt: 4 } } as never);
    expect(first.status).toBe('dropped'); // no DSN here; the point is that it returned
    expect(logger.at('warn').filter((line) => line.includes('unknown option'))).toEqual([
      '[status] consentry: mod.captureError(error, options): unknown option extras: did you mean extra? It is ignored.',
    ]);
    await telemetry.shutdown();
  });
});

describe('attachDiscord, the stores and createScrubber', () => {
  it('attachDiscord warns on the suite’s logger, and throws when the suite is strict', () => {
    const client = new Client({ intents: [GatewayIntentBits.Guilds] });
    const logger = captureLogger();
    const telemetry = createTelemetry({ suite: uniqueSuite(), store: memoryStore(), env: {}, logger });
    const attachment = attachDiscord(telemetry, client, { command: 'acme', fallbackChannel: '1' } as never);
    attachment.detach();
    expect(logger.at('warn')).toContain(
      'consentry: attachDiscord(telemetry, client, options): unknown option fallbackChannel: did you mean fallbackChannelId? It is ignored.',
    );
    const strict = createTelemetry({ suite: uniqueSuite(), store: memoryStore(), env: {}, strict: true });
    expect(() => attachDiscord(strict, client, { command: 'acme', registerCommands: false } as never)).toThrow(
      /unknown option registerCommands: did you mean registerCommand\?/,
    );
    void telemetry.shutdown();
    void strict.shutdown();
  });

  it('fileStore and redisStore warn on their logger', async () => {
    const logger = captureLogger();
    const store = fileStore({ dri: '/nowhere', logger } as never);
    await store.close();
    const redis = redisStore({ url: 'redis://127.0.0.1:1', keyprefix: 'x:', logger } as never);
    await redis.close().catch(() => {});
    expect(logger.at('warn').filter((line) => line.includes('unknown option'))).toEqual([
      'consentry: fileStore(options): unknown option dri: did you mean dir? It is ignored.',
      'consentry: redisStore(options): unknown option keyprefix: did you mean keyPrefix? It is ignored.',
    ]);
  });

  it('createScrubber throws, as for a wrong value: a misspelt botToken would let the token leave', () => {
    expect(() => createScrubber({ botTokn: 'secret' } as never)).toThrow(ScrubberOptionsError);
    expect(() => createScrubber({ botTokn: 'secret' } as never)).toThrow(
      'consentry: createScrubber(options): unknown option botTokn: did you mean botToken?',
    );
  });
});

describe('the test helpers of consentry/testing', () => {
  it('FakeSentry.start and FakeDiscord.start throw for a misspelt option, so the test fails at once', async () => {
    const { FakeDiscord, FakeSentry } = await import('../../src/testing/index.js');
    await expect(FakeSentry.start({ maxRequest: 10 } as never)).rejects.toThrow(
      'consentry: FakeSentry.start(options): unknown option maxRequest: did you mean maxRequests?',
    );
    await expect(FakeDiscord.start({ gulds: [] } as never)).rejects.toThrow(
      'consentry: FakeDiscord.start(options): unknown option gulds: did you mean guilds?',
    );
  });
});
