import type { ConsentLevel } from '../../src/consent/index.js';
import { createTracing, type Tracing, type TracingOptions } from '../../src/otel/index.js';
import { createScrubber } from '../../src/scrub/index.js';
import type { FakeSentry } from '../../src/testing/index.js';
import { captureLogger } from '../support/logger.js';

export const BOT_TOKEN = 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs';
export const USER_ID = '198622483471925248';
export const WEBHOOK_TOKEN = 'Xk3b9QpL2mN8vR5tY7wZ1aC4dF6gH0jK2lM9nP3qS5uV8xB1eT4yU7iO0rW6zE9cQ2';
export const WEBHOOK_URL = `https://discord.com/api/webhooks/1122334455667788990/${WEBHOOK_TOKEN}`;
export const IPV4 = '203.0.113.77';
export const IPV6 = '2001:db8:85a3::8a2e:370:7334';

export const scrubber = createScrubber({ botToken: BOT_TOKEN, env: {} });

/** A level the test changes at will. */
export function levelSwitch(initial: ConsentLevel) {
  let level = initial;
  return {
    get: () => level,
    set(next: ConsentLevel) {
      level = next;
    },
  };
}

export interface Harness {
  tracing: Tracing;
  level: ReturnType<typeof levelSwitch>;
  log: ReturnType<typeof captureLogger>;
}

/** A pipeline pointed at the fake Sentry; long scheduled delay so only flushes send (no timing in tests). */
export function tracingFor(
  sentry: FakeSentry,
  initial: ConsentLevel = 'all',
  overrides: Partial<TracingOptions> = {},
): Harness {
  const level = levelSwitch(initial);
  const log = captureLogger();
  const tracing = createTracing({
    dsn: sentry.dsn,
    scrubber,
    getLevel: level.get,
    resource: { suite: 'acme-plugins', module: 'status', version: '1.4.0', environment: 'production' },
    logger: log,
    ...overrides,
    limits: { scheduledDelayMillis: 600_000, exportTimeoutMillis: 2_000, ...overrides.limits },
  });
  return { tracing, level, log };
}

/** Records unhandled rejections for the duration of a test. */
export function watchUnhandledRejections() {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  return {
    seen,
    stop: () => process.off('unhandledRejection', listener),
  };
}

export const otlpRequests = (sentry: FakeSentry) => sentry.requests().filter((r) => r.endpoint === 'otlp-traces');
