// A host bot that runs its own Sentry (same version, @sentry/node, Sentry.init) in the same process as a module.
// Neither side's data may reach the other's Sentry. Runs in its own test file: Sentry.init changes the process.
import * as Sentry from '@sentry/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSentry } from '../../src/testing/index.js';
import { reporterFor, startSentry } from './support.js';

const HOST = {
  user: 'host-user-7d1f',
  email: 'owner@host-bot.example',
  tag: 'host-tag-value-93ab',
  globalTag: 'host-global-tag-55c0',
  breadcrumb: 'host-breadcrumb-secret-0c4e',
  extra: 'host-extra-secret-b2d8',
  context: 'host-context-secret-e611',
  processor: 'host-processor-secret-4a7d',
  release: 'host-bot@9.9.9',
};
const OURS = { suite: 'zq-suite', module: 'zq-module', breadcrumb: 'our-breadcrumb-a81f', extra: 'our-extra-1c9e' };

let hostSentry: FakeSentry;

beforeAll(async () => {
  hostSentry = await startSentryForHost();
  Sentry.init({
    dsn: hostSentry.dsn,
    release: HOST.release,
    tracesSampleRate: 1,
    // The fake Sentry servers run inside this process; a real ingest does not. Without this the host would
    // trace the fakes' incoming requests, bodies included, and report them as its own server spans.
    integrations: [Sentry.httpIntegration({ disableIncomingRequestSpans: true, ignoreIncomingRequests: () => true })],
  });
  Sentry.setUser({ id: HOST.user, email: HOST.email });
  Sentry.setTag('host_tag', HOST.tag);
  Sentry.getGlobalScope().setTag('host_global', HOST.globalTag);
  Sentry.getGlobalScope().setExtra('host_global_extra', HOST.extra);
  Sentry.getGlobalScope().addBreadcrumb({ message: `${HOST.breadcrumb}-global` });
  Sentry.addBreadcrumb({ message: HOST.breadcrumb });
  Sentry.setExtra('host_extra', HOST.extra);
  Sentry.setContext('host_ctx', { secret: HOST.context });
  Sentry.getGlobalScope().addEventProcessor((event) => ({
    ...event,
    extra: { ...event.extra, processed: HOST.processor },
  }));
});

afterAll(async () => {
  await Sentry.close(2000);
  await hostSentry.close();
});

// The host's fake outlives each test's cleanup (support.ts closes its fakes after every test).
async function startSentryForHost(): Promise<FakeSentry> {
  const { FakeSentry } = await import('../../src/testing/index.js');
  return FakeSentry.start();
}

describe('host isolation, with a host that ran Sentry.init', () => {
  it('none of the host scope data (user, tags, breadcrumbs, extra, contexts, processors) reaches our events', async () => {
    const ours = await startSentry();
    const { reporter, userId } = reporterFor(ours.dsn, 'errors', { suite: OURS.suite, module: OURS.module });
    reporter.addBreadcrumb({ message: OURS.breadcrumb });
    const lastHostEventId = Sentry.lastEventId();

    await Sentry.startSpan({ name: 'host-command' }, async () => {
      Sentry.withScope((scope) => {
        scope.setTag('host_inner', HOST.tag);
        reporter.captureError(new Error('ours inside the host span'), { extra: { mine: OURS.extra } });
      });
    });
    await reporter.flush(2000);

    const bytes = ours.received();
    for (const marker of Object.values(HOST)) expect(bytes).not.toContain(marker);
    const [event] = ours.events();
    expect(event?.user).toEqual({ id: userId });
    expect(event?.extra).toEqual({ mine: OURS.extra });
    expect(event?.breadcrumbs?.map((b) => b.message)).toEqual([OURS.breadcrumb]);
    expect(event?.contexts?.trace).toBeUndefined();
    expect(Object.keys(event?.tags ?? {})).not.toContain('host_tag');
    // Our capture did not touch the host's scopes.
    expect(Sentry.lastEventId()).toBe(lastHostEventId);
    // No trace propagation into requests, ours included.
    for (const request of ours.requests()) {
      expect(request.headers['sentry-trace']).toBeUndefined();
      expect(request.headers.baggage).toBeUndefined();
    }
  });

  it('none of our data reaches the host Sentry, and the host still captures an error we captured first', async () => {
    const ours = await startSentry();
    const { reporter, userId, sessionId } = reporterFor(ours.dsn, 'errors', { suite: OURS.suite, module: OURS.module });
    reporter.addBreadcrumb({ message: OURS.breadcrumb });
    const shared = new Error('seen by both');
    reporter.captureError(shared, { extra: { mine: OURS.extra } });
    const hostEventId = Sentry.captureException(shared);
    await reporter.flush(2000);
    await Sentry.flush(2000);

    const hostEvent = await hostSentry.waitFor('event', (e) => e.event_id === hostEventId);
    expect(hostEvent.exception?.values?.at(-1)?.value).toBe('seen by both');
    expect(hostEvent.user).toMatchObject({ id: HOST.user });
    // Our module's breadcrumbs stay ours, and our requests to Sentry leave no breadcrumb in the host's events.
    expect(hostEvent.breadcrumbs?.map((b) => b.message)).toEqual([`${HOST.breadcrumb}-global`, HOST.breadcrumb]);
    const hostBytes = hostSentry.received();
    for (const marker of [OURS.suite, OURS.module, OURS.breadcrumb, OURS.extra, userId, sessionId]) {
      expect(hostBytes).not.toContain(marker);
    }
    expect(ours.events()).toHaveLength(1);
    expect(ours.received()).not.toContain(HOST.user);
  });

  it('adds no process-wide listeners and leaves the host crash behaviour alone', async () => {
    const events = ['uncaughtException', 'unhandledRejection', 'beforeExit', 'exit', 'warning', 'SIGTERM', 'SIGINT'];
    const emitter: NodeJS.EventEmitter = process;
    const before = events.map((name) => emitter.listeners(name).slice());
    const ours = await startSentry();
    const { reporter } = reporterFor(ours.dsn, 'errors');
    reporter.captureError(new Error('x'));
    reporter.setLevel('manual');
    reporter.setLevel('all');
    await reporter.close(2000);
    expect(events.map((name) => emitter.listeners(name))).toEqual(before);
  });
});
