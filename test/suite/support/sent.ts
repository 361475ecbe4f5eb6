import type { SentEntry } from '../../../src/index.js';
import type { ReceivedRequest } from '../../../src/testing/index.js';

/** What the record should say about a request the fake received: kind, event id, size on the wire, status. */
export function expectedEntry(request: ReceivedRequest): Partial<SentEntry> {
  if (request.endpoint === 'otlp-traces') {
    return { kind: 'spans', eventId: null, bytes: request.wireLength, status: request.status ?? null };
  }
  const item = request.envelope?.items[0];
  const kinds: Record<string, SentEntry['kind']> = { event: 'event', session: 'session', check_in: 'check-in' };
  const kind = kinds[item?.type ?? ''] ?? 'other';
  return {
    kind,
    eventId: kind === 'event' ? (request.envelope?.header.event_id ?? null) : null,
    bytes: request.wireLength,
    status: request.status ?? null,
  };
}
