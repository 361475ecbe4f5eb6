import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConsentryConfigError,
  createTelemetry,
  fileStore,
  memoryStore,
  type Store,
  type TelemetryOptions,
} from '../../src/index.js';
import { captureLogger } from '../support/logger.js';
import { tempDir } from '../support/wait.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.remove();
});

describe('createTelemetry', () => {
  it('gives the suite its consent, backed by the store, and shuts down cleanly', async () => {
    const logger = captureLogger();
    const telemetry = createTelemetry({
      suite: 'acme-plugins',
      dsn: 'https://public@o0.ingest.sentry.io/1',
      policyVersion: 2,
      docsUrl: 'https://example.org/telemetry',
      store: fileStore({ dir: dir.path }),
      tracesSampleRate: 0.5,
      botToken: () => 'token',
      logger,
      env: {},
    });
    expect(telemetry.suite).toBe('acme-plugins');
    expect(await telemetry.consent.status()).toMatchObject({ level: 'manual', source: 'default', policyVersion: 2 });
    await telemetry.consent.set('errors', { by: 'owner:1' });
    const stored = JSON.parse(await readFile(join(dir.path, 'acme-plugins.json'), 'utf8'));
    expect(stored).toMatchObject({ level: 'errors', decidedBy: 'owner:1', policyVersion: 2 });
    await telemetry.shutdown();
    await telemetry.shutdown();
    await expect(telemetry.consent.set('all')).rejects.toThrow(/closed/);
    expect(logger.lines).toEqual([]);
  });

  it('uses the code level option (locked against the owner)', async () => {
    const telemetry = createTelemetry({ suite: 'acme', level: 'off', store: memoryStore(), env: {} });
    expect(await telemetry.consent.status()).toMatchObject({ level: 'off', source: 'code', locked: true });
    await expect(telemetry.consent.set('all')).rejects.toThrow(/option level: 'off'.*Remove that option/);
    await telemetry.shutdown();
  });

  it('defaults to a file store in ./.consentry under the working directory', async () => {
    const cwd = process.cwd();
    process.chdir(dir.path);
    try {
      const telemetry = createTelemetry({ suite: 'acme', env: {}, logger: captureLogger() });
      await telemetry.consent.status();
      await telemetry.shutdown();
      expect(existsSync(join(dir.path, '.consentry', 'acme.json'))).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });

  it('hands its logger to a store created without one', async () => {
    const logger = captureLogger();
    const store = fileStore({ dir: dir.path });
    const telemetry = createTelemetry({ suite: 'acme', store, env: {}, logger });
    await telemetry.consent.status();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir.path, 'acme.json'), '{oops');
    await telemetry.consent.set('all', { by: 'owner' });
    expect(logger.at('error')).toHaveLength(1);
    expect(logger.at('error')[0]).toContain('.corrupt-');
    await telemetry.shutdown();
  });
});

describe('createTelemetry with a wrong option', () => {
  const valid: TelemetryOptions = { suite: 'acme', store: memoryStore(), env: {} };
  const cases: Array<[string, Partial<Record<keyof TelemetryOptions, unknown>>, RegExp]> = [
    ['suite', { suite: '' }, /`suite` must be 1-100 characters.*e\.g\. 'acme-plugins'/],
    ['suite', { suite: '../etc/passwd' }, /`suite` must be .*got "\.\.\/etc\/passwd"/],
    ['suite', { suite: 'acme plugins' }, /`suite` must be/],
    ['suite', { suite: 42 }, /`suite` must be .*got 42/],
    ['policyVersion', { policyVersion: 0 }, /`policyVersion` must be a positive integer.*got 0/],
    ['policyVersion', { policyVersion: 1.5 }, /`policyVersion` must be a positive integer/],
    ['policyVersion', { policyVersion: '1' }, /`policyVersion` must be a positive integer.*got "1"/],
    ['docsUrl', { docsUrl: 'ftp://x' }, /`docsUrl` must be an http\(s\) URL/],
    ['store', { store: {} }, /`store` must be a store from fileStore/],
    ['level', { level: 'verbose' }, /`level` must be one of 'off', 'manual', 'errors', 'all'; got "verbose"/],
    ['tracesSampleRate', { tracesSampleRate: 1.5 }, /`tracesSampleRate` must be a number from 0 to 1.*got 1\.5/],
    ['tracesSampleRate', { tracesSampleRate: Number.NaN }, /`tracesSampleRate` must be a number from 0 to 1/],
    ['botToken', { botToken: 5 }, /`botToken` must be the token string or a function/],
    ['env', { env: 'production' }, /`env` must be an object of environment variables/],
  ];

  it.each(cases)(
    '%s = %j: logs one error line and returns a telemetry that stays off',
    async (option, bad, message) => {
      const logger = captureLogger();
      const telemetry = createTelemetry({ ...valid, ...bad, logger } as TelemetryOptions);
      expect(logger.lines).toHaveLength(1);
      expect(logger.lines[0]?.level).toBe('error');
      expect(logger.lines[0]?.message).toMatch(message);
      expect(logger.lines[0]?.message).toContain('strict: true');
      const status = await telemetry.consent.status();
      expect(status).toMatchObject({ level: 'off', source: 'code', userId: null, locked: true });
      expect(status.reason).toContain(`\`${option}\``);
      const error = await telemetry.consent.set('all').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConsentryConfigError);
      expect((error as ConsentryConfigError).option).toBe(option);
      const seen: unknown[] = [];
      telemetry.consent.subscribe((value) => seen.push(value));
      await telemetry.shutdown();
      expect(seen).toEqual([]);
    },
  );

  it.each(cases)('%s = %j with strict: true throws ConsentryConfigError naming it', (option, bad, message) => {
    const logger = captureLogger();
    let thrown: unknown;
    try {
      createTelemetry({ ...valid, ...bad, logger, strict: true } as TelemetryOptions);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConsentryConfigError);
    expect((thrown as ConsentryConfigError).option).toBe(option);
    expect((thrown as Error).message).toMatch(message);
    expect(logger.lines).toEqual([]);
  });

  it('names every wrong option in one line', () => {
    const logger = captureLogger();
    createTelemetry({ suite: 'acme', policyVersion: -1, tracesSampleRate: 2, env: {}, logger } as TelemetryOptions);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]?.message).toMatch(/`policyVersion`.*Also, option `tracesSampleRate`/);
  });

  it('survives being called without options at all (the line goes to the console)', async () => {
    const telemetry = createTelemetry(undefined as unknown as TelemetryOptions);
    const status = await telemetry.consent.status();
    expect(status).toMatchObject({ level: 'off', source: 'code' });
    expect(status.reason).toContain('needs an options object');
  });

  it('never touches the store when the options are wrong', async () => {
    const touched: string[] = [];
    const store = memoryStore();
    const spy: Store = {
      ...store,
      read(suite) {
        touched.push('read');
        return store.read(suite);
      },
      update(suite, fn) {
        touched.push('update');
        return store.update(suite, fn);
      },
      subscribe(suite, listener) {
        touched.push('subscribe');
        return store.subscribe(suite, listener);
      },
    };
    const telemetry = createTelemetry({ suite: 'acme', store: spy, level: 'loud' as never, logger: captureLogger() });
    await telemetry.consent.status();
    await telemetry.shutdown();
    expect(touched).toEqual([]);
  });
});
