// CONSENTRY_DEBUG: each envelope that would be sent is printed to stderr as one JSON line; nothing is sent.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { leakedSecrets, reporterFor, SECRET, startSentry } from './support.js';

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

interface DebugLine {
  consentry: string;
  module: string;
  envelope: {
    header: Record<string, unknown>;
    items: { header: { type: string }; payload: Record<string, unknown> }[];
  };
}

const parsed = () =>
  printed
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{"consentry"'))
    .map((line) => JSON.parse(line) as DebugLine);

it('prints the scrubbed envelopes, one JSON line each, and sends nothing', async () => {
  const sentry = await startSentry();
  const { reporter, userId } = reporterFor(sentry.dsn, 'errors', { debug: true });
  reporter.captureError(new Error(`token ${SECRET.botToken} from ${SECRET.ipv4}`));
  await reporter.close(2000);

  expect(sentry.requests()).toEqual([]);
  const lines = parsed();
  expect(lines.map((line) => line.envelope.items.map((item) => [item.header.type, item.payload.status ?? '']))).toEqual(
    [[['session', 'ok']], [['event', '']], [['session', 'ok']], [['session', 'exited']]],
  );
  expect(lines.every((line) => line.consentry === 'would send' && line.module === 'status')).toBe(true);
  const event = lines[1]?.envelope.items[0]?.payload;
  expect(event).toMatchObject({ user: { id: userId }, release: 'acme-plugins|status@1.4.0' });
  expect(JSON.stringify(event)).toContain('token [BOT-TOKEN] from IP_V4');
  expect(leakedSecrets(printed.join(''))).toEqual([]);
});

it('prints nothing at manual, and the report sent by hand is printed instead of sent', async () => {
  const sentry = await startSentry();
  const { reporter } = reporterFor(sentry.dsn, 'manual', { debug: true });
  const result = reporter.captureError(new Error('by hand, in debug'));
  if (result.status !== 'pending') throw new Error('expected a pending report');
  expect(parsed()).toEqual([]);
  expect(await reporter.sendPrepared(result.report.event)).toBe(result.report.event.event_id);
  await reporter.close(2000);
  expect(sentry.requests()).toEqual([]);
  expect(parsed().map((line) => line.envelope.items[0]?.payload)).toEqual([result.report.event]);
});
