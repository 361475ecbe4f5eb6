import type { Event, TransportMakeRequestResponse } from '@sentry/core';
import { allowListEvent } from './allow-list.js';
import { connect, disconnect } from './live-client.js';
import { type ReporterState, rememberSent } from './reporter-state.js';

/**
 * `ModuleReporter.sendPrepared`: the owner's send by hand, at any level. Resolves with the event id once Sentry
 * accepted it; the same event is sent at most once per reporter (a second call joins the first).
 */
export function sendPrepared(state: ReporterState, event: Event): Promise<string | undefined> {
  if (state.closed) return Promise.resolve(undefined);
  const eventId = typeof event === 'object' && event !== null ? event.event_id : undefined;
  if (typeof eventId !== 'string' || !/^[0-9a-f]{32}$/.test(eventId)) {
    return Promise.reject(
      new TypeError('consentry: sendPrepared(event): pass the `event` of a pending report (it has a 32-hex event_id)'),
    );
  }
  if (state.sentIds.has(eventId)) return Promise.resolve(eventId);
  const inProgress = state.sending.get(eventId);
  if (inProgress) return inProgress;
  const attempt = sendOnce(state, event, eventId).finally(() => state.sending.delete(eventId));
  state.sending.set(eventId, attempt);
  return attempt;
}

async function sendOnce(state: ReporterState, event: Event, eventId: string): Promise<string | undefined> {
  const { options } = state;
  const wasOff = state.level === 'off';
  const { client } = connect(state);
  // Scrubbing and the allow-list are idempotent: an event we prepared comes out unchanged.
  // Every field of it comes out of the scrubber (an event read back from a file is not trusted to be ours).
  const copy = allowListEvent(options.scrubber.value(event) as Event);
  copy.event_id = eventId;
  if (typeof event.timestamp !== 'number') delete copy.timestamp;
  if (copy.user?.id !== options.userId) {
    // Kept under an identity that was forgotten since: it leaves under the current one, never the old.
    copy.user = { id: options.userId };
    copy.tags = { ...copy.tags, session: options.sessionId };
  }
  const response = await new Promise<TransportMakeRequestResponse>((resolve) => {
    const stop = client.on('afterSendEvent', (sent, answer) => {
      if (sent.event_id !== eventId) return;
      clearTimeout(timer);
      stop();
      resolve(answer);
    });
    // Resolves even if the client is closed meanwhile (consent withdrawn, shutdown).
    const timer = setTimeout(() => {
      stop();
      resolve({});
    }, options.requestTimeoutMs + 1000);
    client.sendEvent(copy);
  });
  if (wasOff && state.level === 'off') disconnect(state);
  const status = response.statusCode;
  if (status === undefined || status < 200 || status >= 300) return undefined;
  rememberSent(state, eventId);
  return eventId;
}
