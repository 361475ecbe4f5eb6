import type { Envelope } from '@sentry/core';
import { createIsolatedClient } from './client.js';
import { debugDelivery } from './debug-output.js';
import type { EventBuilderContext } from './event.js';
import type { LiveClient, ReporterState, Waiting } from './reporter-state.js';
import { sendWaiting } from './send-soon.js';
import { describeEnvelope } from './sent-entry.js';
import { releaseHealth } from './session.js';
import { stackParser as defaultStackParser } from './stack-parser.js';
import { nodeDelivery, type RequestOutcome } from './transport.js';

const OUTAGE = 'outage';

/** The module's client, created when first needed: its own transport, session and event context, nothing global. */
export function connect(state: ReporterState): LiveClient {
  if (state.live) return state.live;
  const { options, scope, release, environment } = state;
  let retired = false;
  const delivery = options.debug
    ? debugDelivery(options.module)
    : nodeDelivery(
        deliveryListener(state, () => retired),
        options.requestTimeoutMs,
      );
  const { client, sdk } = createIsolatedClient({
    dsn: options.dsn,
    release,
    environment,
    makeTransport: (transportOptions) => delivery.makeTransport(transportOptions),
    maxQueue: options.maxQueue,
  });
  scope.setClient(client);
  const waiting: Waiting[] = [];
  const sessions = releaseHealth({
    // Errors captured this turn count in the session they happened in, before it ends, rotates or is dropped.
    settle: () => sendWaiting(waiting),
    client,
    scope,
    release,
    environment,
    userId: options.userId,
    firstSid: state.nextSid,
    rotateMs: options.sessionRotateMs,
  });
  const context: EventBuilderContext = {
    client,
    scope,
    stackParser: defaultStackParser,
    scrubber: options.scrubber,
    root: options.root,
    release,
    environment,
    app: state.app,
    sdk,
  };
  state.live = { client, delivery, sessions, context, waiting, retire: () => (retired = true) };
  return state.live;
}

/** Consent withdrawn or reporter closed: nothing more leaves this client. */
export function disconnect(state: ReporterState): void {
  if (!state.live) return;
  const current = state.live;
  state.live = undefined;
  current.waiting.length = 0;
  current.sessions.abandon();
  current.retire();
  current.client.getOptions().enabled = false;
  current.delivery.abortInFlight();
  state.scope.setClient(undefined);
  state.stats.outage = false;
  state.once.clear(OUTAGE);
}

/** Counts what the transport delivered and dropped, logs an outage once, and feeds the record of what was sent. */
function deliveryListener(state: ReporterState, isRetired: () => boolean) {
  const { stats, once, options } = state;
  const reportOutage = (reason: string) => {
    stats.outage = true;
    once.report(
      OUTAGE,
      'warn',
      `consentry: error reports of ${state.label} cannot reach Sentry (${reason}); they are dropped until it answers again. The bot is not affected.`,
    );
  };
  return {
    delivered() {
      if (isRetired()) return;
      stats.delivered++;
      stats.outage = false;
      once.clear(OUTAGE);
    },
    failed(reason: string) {
      if (!isRetired()) reportOutage(reason);
    },
    dropped(reason: string, count: number) {
      if (isRetired()) return;
      stats.dropped += count;
      if (reason === 'queue_overflow') reportOutage(`more than ${options.maxQueue} reports waiting`);
    },
    sent(envelope: Envelope, outcome: RequestOutcome) {
      try {
        options.onSent?.({ ...describeEnvelope(envelope), module: options.module, ...outcome });
      } catch {
        // The record of what was sent must never cost a report.
      }
    },
  };
}
