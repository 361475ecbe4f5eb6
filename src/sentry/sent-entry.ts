import type { Envelope, Event, SerializedCheckIn, SerializedSession } from '@sentry/core';
import type { SentEntry } from '../store/index.js';

/** What the record of sent requests keeps of an envelope: taken from what was sent, nothing added. */
export function describeEnvelope(envelope: Envelope): Pick<SentEntry, 'kind' | 'eventId' | 'title'> {
  const [header, items] = envelope;
  const [itemHeader, payload] = (items[0] ?? []) as [{ type?: string } | undefined, unknown];
  const eventId = typeof header.event_id === 'string' ? header.event_id : null;
  switch (itemHeader?.type) {
    case 'event':
      return { kind: 'event', eventId, title: eventTitle(payload as Event) };
    case 'transaction':
      return { kind: 'transaction', eventId, title: String((payload as Event).transaction ?? 'transaction') };
    case 'session': {
      const session = payload as SerializedSession;
      const errors = session.errors ? `, ${session.errors} error${session.errors === 1 ? '' : 's'}` : '';
      return {
        kind: 'session',
        eventId: null,
        title: `session ${session.status}${session.init ? ' (start)' : ''}${errors}`,
      };
    }
    case 'check_in': {
      const checkIn = payload as SerializedCheckIn;
      return { kind: 'check-in', eventId: null, title: `${checkIn.monitor_slug} ${checkIn.status}` };
    }
    default:
      return { kind: 'other', eventId, title: String(itemHeader?.type ?? 'envelope') };
  }
}

function eventTitle(event: Event): string {
  // Sentry lists a chain innermost cause first: the error thrown is the last one.
  const exception = event.exception?.values?.at(-1);
  if (exception) return `${exception.type ?? 'Error'}: ${exception.value ?? ''}`;
  const message = event.message ?? event.logentry?.message;
  return typeof message === 'string' ? message : 'Error';
}
