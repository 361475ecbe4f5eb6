// One configuration error class for every option parser: callers match on `code` (stable, derived from the
// option's name) or on the class, never on the message. Each entry point is driven with one wrong option.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readProcessConfig } from '../../instrumentation/config.js';
import { resolveDiscordOptions } from '../../src/discord/options.js';
import { configErrorCode } from '../../src/errors/index.js';
import {
  ConsentryConfigError,
  createScrubber,
  createTelemetry,
  ModuleReporterOptionsError,
  memoryStore,
  ProcessConfigError,
  ScrubberOptionsError,
} from '../../src/index.js';
import { createTracing } from '../../src/otel/index.js';
import { createModuleReporter } from '../../src/sentry/index.js';
import { captureLogger } from '../support/logger.js';

const DSN = 'https://public@o0.ingest.sentry.io/1';

function thrownBy(run: () => unknown): ConsentryConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConsentryConfigError);
    return error as ConsentryConfigError;
  }
  throw new Error('expected a throw');
}

describe('configErrorCode', () => {
  it.each([
    ['dsn', 'CONSENTRY_CONFIG_DSN'],
    ['policyVersion', 'CONSENTRY_CONFIG_POLICY_VERSION'],
    ['tracesSampleRate', 'CONSENTRY_CONFIG_TRACES_SAMPLE_RATE'],
    ['limits.maxDepth', 'CONSENTRY_CONFIG_LIMITS'],
    ['extraOwnerIds', 'CONSENTRY_CONFIG_EXTRA_OWNER_IDS'],
  ])('%s → %s', (option, code) => {
    expect(configErrorCode(option)).toBe(code);
  });
});

describe('every option parser throws ConsentryConfigError with the option and its code', () => {
  it('createTelemetry (strict)', () => {
    const error = thrownBy(() =>
      createTelemetry({ suite: 'acme', dsn: 'not a dsn', store: memoryStore(), env: {}, strict: true }),
    );
    expect(error).toMatchObject({ name: 'ConsentryConfigError', option: 'dsn', code: 'CONSENTRY_CONFIG_DSN' });
  });

  it('an option that does not exist: CONSENTRY_CONFIG_UNKNOWN_OPTION, naming the key', () => {
    const suite = thrownBy(() =>
      createTelemetry({
        suite: 'acme',
        dsn: DSN,
        store: memoryStore(),
        env: {},
        strict: true,
        polcyVersion: 2,
      } as never),
    );
    expect(suite).toMatchObject({ option: 'polcyVersion', code: 'CONSENTRY_CONFIG_UNKNOWN_OPTION' });
    expect(suite.message).toContain('did you mean policyVersion?');
    const scrubber = thrownBy(() => createScrubber({ botTokn: 'x' } as never));
    expect(scrubber).toBeInstanceOf(ScrubberOptionsError);
    expect(scrubber).toMatchObject({ option: 'botTokn', code: 'CONSENTRY_CONFIG_UNKNOWN_OPTION' });
  });

  it('telemetry.module (strict)', async () => {
    const telemetry = createTelemetry({ suite: 'acme', dsn: DSN, store: memoryStore(), env: {}, strict: true });
    const error = thrownBy(() => telemetry.module({ name: 'status', version: '' }));
    expect(error).toMatchObject({ option: 'version', code: 'CONSENTRY_CONFIG_VERSION' });
    await telemetry.shutdown();
  });

  it('mod.loop: strict throws; otherwise one log line and a loop that does not run', async () => {
    const strict = createTelemetry({ suite: 'acme', dsn: DSN, store: memoryStore(), env: {}, strict: true });
    const error = thrownBy(() =>
      strict.module({ name: 'status', version: '1.0.0' }).loop('poll', { every: -1 }, () => 1),
    );
    expect(error).toMatchObject({ option: 'every', code: 'CONSENTRY_CONFIG_EVERY' });
    expect(error.message).toContain('`every`');
    await strict.shutdown();

    const logger = captureLogger();
    const lenient = createTelemetry({ suite: 'acme', dsn: DSN, store: memoryStore(), env: {}, logger });
    const loop = lenient.module({ name: 'status', version: '1.0.0' }).loop('poll', { every: 1000 }, 'run' as never);
    expect(loop.status()).toMatchObject({ stopped: true, lastError: expect.stringContaining('fn must be') });
    expect(logger.at('error').filter((line) => line.includes('fn must be'))).toHaveLength(1);
    await lenient.shutdown();
  });

  it('createScrubber: ScrubberOptionsError is a ConsentryConfigError', () => {
    const error = thrownBy(() => createScrubber({ ids: 'sha' as never }));
    expect(error).toBeInstanceOf(ScrubberOptionsError);
    expect(error).toMatchObject({ name: 'ScrubberOptionsError', option: 'ids', code: 'CONSENTRY_CONFIG_IDS' });
    expect(thrownBy(() => createScrubber({ limits: { maxDepth: 0 } }))).toMatchObject({
      option: 'limits.maxDepth',
      code: 'CONSENTRY_CONFIG_LIMITS',
    });
  });

  it('createModuleReporter: ModuleReporterOptionsError names the first wrong option', () => {
    const error = thrownBy(() =>
      createModuleReporter({
        dsn: DSN,
        suite: 'acme',
        module: 'status',
        version: '1.0.0',
        userId: randomUUID(),
        sessionId: randomUUID(),
        scrubber: createScrubber(),
        level: 'verbose' as never,
      }),
    );
    expect(error).toBeInstanceOf(ModuleReporterOptionsError);
    expect(error).toMatchObject({ option: 'level', code: 'CONSENTRY_CONFIG_LEVEL' });
  });

  it('the preload configuration: ProcessConfigError', () => {
    const env = { CONSENTRY_SUITE: 'acme', CONSENTRY_DSN: DSN, CONSENTRY_TRACES_SAMPLE_RATE: '2' };
    const error = thrownBy(() => readProcessConfig(env, '/nonexistent'));
    expect(error).toBeInstanceOf(ProcessConfigError);
    expect(error).toMatchObject({ option: 'tracesSampleRate', code: 'CONSENTRY_CONFIG_TRACES_SAMPLE_RATE' });
  });

  it('createTracing and attachDiscord options', () => {
    const tracing = thrownBy(() =>
      createTracing({
        dsn: DSN,
        scrubber: createScrubber(),
        getLevel: () => 'all',
        resource: { suite: 'acme' },
        tracesSampleRate: 2,
      }),
    );
    expect(tracing).toMatchObject({ option: 'tracesSampleRate', code: 'CONSENTRY_CONFIG_TRACES_SAMPLE_RATE' });
    const discord = thrownBy(() => resolveDiscordOptions({ command: 'acme', extraOwnerIds: ['me'] }));
    expect(discord).toMatchObject({ option: 'extraOwnerIds', code: 'CONSENTRY_CONFIG_EXTRA_OWNER_IDS' });
  });
});
