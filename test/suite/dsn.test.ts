import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConsentryConfigError,
  createTelemetry,
  memoryStore,
  type Telemetry,
  type TelemetryOptions,
} from '../../src/index.js';
import { FakeSentry } from '../../src/testing/index.js';
import { captureLogger } from '../support/logger.js';

// The DSN is checked once, in createTelemetry, with Sentry's own parser; every later stage gets the canonical form.

let sentry: FakeSentry;
const suites: Telemetry[] = [];
beforeEach(async () => {
  sentry = await FakeSentry.start();
});
afterEach(async () => {
  await Promise.all(suites.splice(0).map((telemetry) => telemetry.shutdown()));
  await sentry.close();
});

function suite(dsn: unknown, extra: Partial<TelemetryOptions> = {}) {
  const logger = captureLogger();
  const telemetry = createTelemetry({
    suite: 'acme-plugins',
    dsn,
    store: memoryStore(),
    env: {},
    logger,
    ...extra,
  } as TelemetryOptions);
  suites.push(telemetry);
  return { telemetry, logger };
}

/** A bot's use of the suite: every path that could send, at `all`. */
async function use(telemetry: Telemetry) {
  const mod = telemetry.module({ name: 'status', version: '1.4.0' });
  await telemetry.consent.set('all', { by: 'owner:1' });
  const outcome = mod.captureError(new Error('boom'));
  await mod.task('check-updates', () => undefined);
  await telemetry.flush();
  await telemetry.shutdown();
  return outcome;
}

describe('a DSN as people paste it', () => {
  it.each([
    ['a trailing slash', (dsn: string) => `${dsn}/`],
    ['surrounding whitespace and slashes', (dsn: string) => ` ${dsn}// \n`],
  ])('%s is accepted: errors and spans reach the project, no line is logged', async (_, variant) => {
    const { telemetry, logger } = suite(variant(sentry.dsn));
    expect(await use(telemetry)).toMatchObject({ status: 'queued' });
    expect(sentry.events().map((event) => event.exception?.values?.[0]?.value)).toEqual(['boom']);
    expect(sentry.spans().map((span) => span.name)).toEqual(['check-updates']);
    expect(logger.lines).toEqual([]);
  });
});

describe('a wrong DSN: one line, the suite runs with nothing to send', () => {
  const key = '0123456789abcdef0123456789abcdef';
  const fake = () => new URL(sentry.dsn);
  const at = (path: string, withKey = true) => `http://${withKey ? `${key}@` : ''}127.0.0.1:${fake().port}${path}`;
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['a non-numeric project id', () => at('/acme'), /must end in the numeric project id, not "acme"/],
    ['a project id with letters after it', () => at('/4507abc'), /must end in the numeric project id/],
    ['no project id', () => at('/'), /has no project id/],
    ['no public key', () => at('/1', false), /has no public key/],
    ['a URL without key or project', () => 'https://example.com', /has no public key/],
    ['a key but no project', () => 'https://key@example.com/', /has no project id/],
    ['another scheme', () => `ftp://${key}@127.0.0.1/1`, /must start with https:\/\//],
    ['not a URL', () => 'not a dsn', /is not a URL/],
    ['an empty string', () => '', /is empty/],
    ['a number', () => 4507, /must be a string, got number 4507/],
    ['an object', () => ({ dsn: at('/1') }), /must be a string, got an object/],
  ];

  it.each(cases)('%s', async (_, dsn, problem) => {
    const { telemetry, logger } = suite(dsn());
    expect(await use(telemetry)).toEqual({ status: 'dropped', reason: 'no-dsn' });
    expect(logger.lines).toHaveLength(1);
    const [line] = logger.at('error');
    expect(line).toMatch(problem);
    expect(line).toMatch(/option `dsn` is not a valid Sentry DSN/);
    expect(line).toContain('Client Keys');
    expect(line).toContain('strict: true');
    expect(line).not.toContain(key);
    if (typeof dsn() === 'string' && String(dsn()).includes('@')) expect(line).toContain('<key>@');
    expect(sentry.requests()).toEqual([]);
  });

  it('the rest of the suite works: consent is stored and read, the owner can still choose', async () => {
    const { telemetry } = suite(at('/acme'));
    await telemetry.consent.set('errors', { by: 'owner:1' });
    expect(await telemetry.consent.status()).toMatchObject({ level: 'errors', source: 'owner' });
  });

  it.each(cases)('%s with strict: true throws ConsentryConfigError naming dsn', (_, dsn, problem) => {
    let thrown: unknown;
    try {
      suite(dsn(), { strict: true });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConsentryConfigError);
    expect((thrown as ConsentryConfigError).option).toBe('dsn');
    expect((thrown as Error).message).toMatch(problem);
    expect((thrown as Error).message).not.toContain(key);
  });

  it.each([
    ['DO_NOT_TRACK=1', { DO_NOT_TRACK: '1' }],
    ['CONSENTRY_DISABLED=1', { CONSENTRY_DISABLED: '1' }],
  ])('also with %s: one line, nothing thrown or rejected', async (_, env) => {
    const { telemetry, logger } = suite(at('/4507/acme/'), { env });
    const mod = telemetry.module({ name: 'status', version: '1.4.0' });
    await telemetry.consent.status();
    expect(mod.captureError(new Error('boom'))).toEqual({ status: 'dropped', reason: 'no-dsn' });
    await telemetry.shutdown();
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]?.message).toMatch(/`dsn`/);
  });

  it('a wrong DSN among other wrong options: one line naming all, the suite stays off', async () => {
    const { telemetry, logger } = suite(at('/acme'), { policyVersion: -1 } as Partial<TelemetryOptions>);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]?.message).toMatch(/`dsn`.*Also, option `policyVersion`/);
    expect(await telemetry.consent.status()).toMatchObject({ level: 'off', locked: true });
  });
});
