// Promise 2 against the encodings text goes through before it reaches an error message, a log line or extra data:
// a percent escape ending in a digit (%20) or a JSON escape (\n) glued to an id or an address, a Map keyed by a
// secret name, a URL object with a password. Each row places one secret; the assertion is on the bytes received.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTelemetry, memoryStore } from '../../src/index.js';
import { FakeSentry } from '../../src/testing/index.js';
import { captureLogger } from '../support/logger.js';

const GUILD = '198622483471925248';
const IPV4 = '203.0.113.77';
const IPV6 = '2001:db8:85a3::8a2e:370:7334';
const PASSWORD = 'hunter2-redis-pass';

interface Row {
  where: string;
  secret: string;
  send(mod: ReturnType<ReturnType<typeof createTelemetry>['module']>): void;
}

const rows: Row[] = [
  { where: 'id after %20 in a message', secret: GUILD, send: (m) => m.captureError(new Error(`q=guild%20${GUILD}`)) },
  { where: 'IPv4 after %20 in a message', secret: IPV4, send: (m) => m.captureError(new Error(`to%20${IPV4}`)) },
  { where: 'IPv6 after %20 in a message', secret: IPV6, send: (m) => m.captureError(new Error(`to%20${IPV6}`)) },
  {
    where: 'id after a JSON \\n in a message',
    secret: GUILD,
    send: (m) => m.captureError(new Error(`body ${JSON.stringify({ note: `line\n${GUILD}` })}`)),
  },
  {
    where: 'IPv4 after a JSON \\t in a log line',
    secret: IPV4,
    send: (m) => {
      m.logger.info(`sent ${JSON.stringify({ to: `\t${IPV4}` })}`);
      m.captureError(new Error('after the log line'));
    },
  },
  {
    where: 'a Map keyed by a secret name in extra data',
    secret: PASSWORD,
    send: (m) => m.captureError(new Error('map'), { extra: { config: new Map([['password', PASSWORD]]) } }),
  },
  {
    where: 'a URL object with a password in extra data',
    secret: PASSWORD,
    send: (m) => m.captureError(new Error('url'), { extra: { redis: new URL(`redis://default:${PASSWORD}@db:6379`) } }),
  },
];

let sentry: FakeSentry;
beforeAll(async () => {
  sentry = await FakeSentry.start({ host: '127.0.0.2' });
});
afterAll(async () => {
  await sentry.close();
});
beforeEach(() => sentry.clear());

describe('encoded secrets on the wire', () => {
  it.each(rows)('$where: the event arrives, the secret does not', async ({ secret, send }) => {
    const telemetry = createTelemetry({
      suite: 'encodings',
      dsn: sentry.dsn,
      store: memoryStore(),
      logger: captureLogger(),
      env: {},
    });
    try {
      await telemetry.consent.set('errors', { by: 'test' });
      send(telemetry.module({ name: 'enc', version: '1.0.0' }));
      await telemetry.shutdown();
      expect(sentry.events().length).toBeGreaterThan(0);
      expect(sentry.received()).not.toContain(secret);
    } finally {
      await telemetry.shutdown();
    }
  });
});
