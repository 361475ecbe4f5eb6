// CONSENTRY_DEBUG=1 in the suite's environment: every module prints what it would send, and sends nothing.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTelemetry, memoryStore } from '../../src/index.js';
import { FakeSentry } from '../../src/testing/index.js';
import { captureLogger } from '../support/logger.js';

const TOKEN = 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs';
let printed: string[] = [];
const realWrite = process.stderr.write.bind(process.stderr);

beforeEach(() => {
  printed = [];
  process.stderr.write = ((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
});
afterEach(() => {
  process.stderr.write = realWrite;
});

it('CONSENTRY_DEBUG=1 prints each scrubbed envelope and sends nothing', async () => {
  const sentry = await FakeSentry.start();
  const telemetry = createTelemetry({
    suite: 'acme',
    dsn: sentry.dsn,
    store: memoryStore(),
    botToken: TOKEN,
    logger: captureLogger(),
    env: { CONSENTRY_DEBUG: '1' },
  });
  const mod = telemetry.module({ name: 'status', version: '1.4.0' });
  await telemetry.consent.set('errors', { by: 'owner:1' });
  mod.captureError(new Error(`debug me ${TOKEN}`));
  await telemetry.shutdown();
  await sentry.close();

  const output = printed.join('');
  expect(output).toContain('"would send"');
  expect(output).toContain('debug me [BOT-TOKEN]');
  expect(output).not.toContain(TOKEN);
  expect(sentry.requests()).toHaveLength(0);
});

it('CONSENTRY_DEBUG=1 at level all prints the scrubbed spans too, and sends none', async () => {
  const sentry = await FakeSentry.start();
  const telemetry = createTelemetry({
    suite: 'acme',
    dsn: sentry.dsn,
    store: memoryStore(),
    botToken: TOKEN,
    logger: captureLogger(),
    env: { CONSENTRY_DEBUG: '1' },
  });
  const mod = telemetry.module({ name: 'status', version: '1.4.0' });
  await telemetry.consent.set('all', { by: 'owner:1' });
  await mod.task('check-updates', (span) => {
    span.setAttribute('guild', '123456789012345678');
  });
  await telemetry.shutdown();
  await sentry.close();

  const lines = printed
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{"consentry"'))
    .map((line) => JSON.parse(line) as { spans?: { name: string; attributes: Record<string, unknown> }[] });
  const spans = lines.flatMap((line) => line.spans ?? []);
  expect(spans.map((span) => span.name)).toContain('check-updates');
  expect(spans.find((span) => span.name === 'check-updates')?.attributes.guild).toBe('[SHORTENED-ID-2216]');
  expect(sentry.requests()).toHaveLength(0);
});
