// npm start with DISCORD_TOKEN: the example bot on real Discord. acme's update endpoint is served on 127.0.0.1
// (unless ACME_UPDATE_URL names one); reports go to CONSENTRY_DSN, or, without it, to a fake Sentry here whose
// count is printed at Ctrl-C.

import { FakeSentry } from 'consentry/testing';
import { runForReal as runBot } from '../bot/index.mjs';
import { startUpdateServer } from './update-server.mjs';

export async function runForReal() {
  const updates = process.env.ACME_UPDATE_URL ? undefined : await startUpdateServer();
  const sentry = process.env.CONSENTRY_DSN ? undefined : await FakeSentry.start();
  await runBot({
    config: {
      updateUrl: process.env.ACME_UPDATE_URL ?? updates.url,
      ...(sentry ? { telemetry: { dsn: sentry.dsn } } : {}),
    },
  });
  if (sentry) {
    console.info('[demo] no CONSENTRY_DSN: reports go to a fake Sentry on 127.0.0.1; Ctrl-C prints what it got');
    process.once('exit', () => {
      console.info(
        `[demo] the fake Sentry got ${sentry.events().length} events, ${sentry.sessions().length} sessions, ${sentry.spans().length} spans`,
      );
    });
  }
}
