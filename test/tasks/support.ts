import { createTelemetry, memoryStore, type Telemetry, type TelemetryOptions } from '../../src/index.js';
import type { FakeSentry } from '../../src/testing/index.js';
import { captureLogger } from '../support/logger.js';

export const TOKEN = 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs';
export const USER_ID = '198622483471925248';

/** A suite on the fake Sentry with its own memory store and a logger that keeps its lines. */
export function suiteOn(sentry: FakeSentry, options: Partial<TelemetryOptions> = {}) {
  const logger = captureLogger();
  const telemetry: Telemetry = createTelemetry({
    suite: 'acme-plugins',
    dsn: sentry.dsn,
    store: memoryStore(),
    botToken: TOKEN,
    logger,
    env: {},
    ...options,
  });
  return { telemetry, logger };
}

/** A promise with its resolve function, to hold an iteration open. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Polls `check` on the event loop until it holds (no wall-clock assertion: the test timeout is the limit). */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
