// A FakeSentry in its own process, as a remote Sentry would be: prints its DSN, then obeys stdin lines:
// normal · 500 · 429 · hang · reset · quit
import { createInterface } from 'node:readline';
import { FakeSentry } from '../../dist/esm/src/testing/index.js';

const sentry = await FakeSentry.start({ maxRequests: 1000 });
process.stdout.write(`${sentry.dsn}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'normal') sentry.respondNormally();
  else if (line === '500') sentry.respondWith({ status: 500 });
  else if (line === '429') sentry.respondWith({ status: 429, retryAfter: 1 });
  else if (line === 'hang') sentry.hang();
  else if (line === 'reset') sentry.resetConnections();
  else if (line === 'quit') break;
  process.stdout.write(`ok ${line}\n`);
}
await sentry.close();
process.exit(0);
