// What the CLI prints came partly from outside (an error's message kept as a report, a title in the record): control
// characters and bidirectional overrides in it reach the owner's terminal as visible escapes, never as a screen clear,
// a window title or a line that disguises another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelemetry, fileStore } from '../../src/index.js';
import { FakeSentry } from '../../src/testing/index.js';
import { assertBuilt } from '../support/built.js';
import { captureLogger } from '../support/logger.js';
import { tempDir, waitFor } from '../support/wait.js';
import { consentry } from './support/cli.js';

const HOSTILE = 'evil \u001b[2J\u001b]0;pwned\u0007\rCODE  FAKE \u009b31m\u202eelif';
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point.
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

let dir: Awaited<ReturnType<typeof tempDir>>;
let sentry: FakeSentry;
beforeAll(async () => {
  assertBuilt();
  dir = await tempDir();
  sentry = await FakeSentry.start({ host: '127.0.0.2' });
  const telemetry = createTelemetry({
    suite: 'acme',
    dsn: sentry.dsn,
    store: fileStore({ dir: dir.path }),
    env: {},
    logger: captureLogger(),
  });
  const mod = telemetry.module({ name: 'status', version: '1.0.0' });
  mod.captureError(new Error(`kept ${HOSTILE}`));
  await waitFor('the kept report', () => telemetry.reports.list().length === 1);
  await telemetry.consent.set('errors', { by: 'test' });
  mod.captureError(new Error(`sent ${HOSTILE}`));
  expect(await telemetry.flush()).toBe(true);
  await waitFor('the sent event', () => (sentry.events().length === 1 ? true : undefined));
  await telemetry.shutdown();
});
afterAll(async () => {
  await sentry.close();
  await dir.remove();
});

describe('the CLI prints text from outside visibly', () => {
  it.each([
    ['reports', 'kept'],
    ['sent', 'sent'],
    ['status', undefined],
  ] as const)('consentry %s: no raw control character, the title still shown', async (command, marker) => {
    const result = await consentry([command, '--suite', 'acme', '--dir', dir.path]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(RAW);
    if (marker) expect(result.stdout).toContain(`${marker} evil \\u001b[2J\\u001b]0;pwned\\u0007\\u000dCODE`);
  });

  it('--json stays JSON and keeps the text exactly', async () => {
    const result = await consentry(['sent', '--suite', 'acme', '--dir', dir.path, '--json']);
    expect(result.stdout).not.toMatch(RAW);
    const parsed = JSON.parse(result.stdout) as { entries: Array<{ title: string }> };
    expect(parsed.entries.map((entry) => entry.title)).toContain(`Error: sent ${HOSTILE}`);
  });
});
