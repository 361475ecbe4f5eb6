// Views over the accepted requests: what Sentry would have stored.
import type { SerializedCheckIn, SerializedLog } from '@sentry/core';
import type {
  EnvelopeItem,
  ReceivedEnvelope,
  ReceivedRequest,
  ReceivedSession,
  ReceivedSpan,
  SentryEvent,
} from './types.js';

export function acceptedEnvelopes(requests: readonly ReceivedRequest[]): ReceivedEnvelope[] {
  const out: ReceivedEnvelope[] = [];
  for (const request of requests) if (request.outcome === 'accepted' && request.envelope) out.push(request.envelope);
  return out;
}

export function acceptedItems(requests: readonly ReceivedRequest[], type?: string): EnvelopeItem[] {
  const out: EnvelopeItem[] = [];
  for (const envelope of acceptedEnvelopes(requests)) {
    for (const item of envelope.items) if (type === undefined || item.type === type) out.push(item);
  }
  return out;
}

export function payloads<T>(requests: readonly ReceivedRequest[], type: string): T[] {
  const out: T[] = [];
  for (const item of acceptedItems(requests, type)) if (isObject(item.payload)) out.push(item.payload as T);
  return out;
}

export function acceptedSpans(requests: readonly ReceivedRequest[]): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const request of requests) if (request.outcome === 'accepted' && request.spans) out.push(...request.spans);
  return out;
}

export function acceptedLogs(requests: readonly ReceivedRequest[]): SerializedLog[] {
  const out: SerializedLog[] = [];
  for (const container of payloads<{ items?: unknown }>(requests, 'log')) {
    if (Array.isArray(container.items)) out.push(...(container.items.filter(isObject) as unknown as SerializedLog[]));
  }
  return out;
}

export function acceptedCheckIns(requests: readonly ReceivedRequest[]): SerializedCheckIn[] {
  return payloads<SerializedCheckIn>(requests, 'check_in');
}

export function acceptedEvents(requests: readonly ReceivedRequest[], type: 'event' | 'transaction'): SentryEvent[] {
  return payloads<SentryEvent>(requests, type);
}

export function acceptedSessions(requests: readonly ReceivedRequest[]): ReceivedSession[] {
  const out: ReceivedSession[] = [];
  for (const envelope of acceptedEnvelopes(requests)) {
    for (const item of envelope.items) {
      if (!isObject(item.payload)) continue;
      if (item.type === 'session') out.push(fromSession(item.payload, envelope.requestId));
      else if (item.type === 'sessions') out.push(...fromAggregates(item.payload, envelope.requestId));
    }
  }
  return out;
}

function fromSession(session: Record<string, unknown>, requestId: number): ReceivedSession {
  const attrs = isObject(session.attrs) ? session.attrs : {};
  const received: ReceivedSession = {
    source: 'session',
    status: session.status as ReceivedSession['status'],
    started: String(session.started),
    count: 1,
    attrs,
    requestId,
  };
  copyIfDefined(session, received, ['sid', 'did', 'init', 'errors', 'timestamp', 'duration', 'abnormal_mechanism']);
  copyIfDefined(attrs, received, ['release', 'environment']);
  return received;
}

function fromAggregates(sessions: Record<string, unknown>, requestId: number): ReceivedSession[] {
  const attrs = isObject(sessions.attrs) ? sessions.attrs : {};
  const out: ReceivedSession[] = [];
  const buckets = Array.isArray(sessions.aggregates) ? sessions.aggregates.filter(isObject) : [];
  for (const bucket of buckets) {
    for (const status of ['exited', 'errored', 'crashed', 'abnormal'] as const) {
      const count = bucket[status];
      if (typeof count !== 'number' || count <= 0) continue;
      const received: ReceivedSession = {
        source: 'sessions',
        status,
        started: String(bucket.started),
        count,
        attrs,
        requestId,
      };
      if (typeof bucket.did === 'string') received.did = bucket.did;
      copyIfDefined(attrs, received, ['release', 'environment']);
      out.push(received);
    }
  }
  return out;
}

function copyIfDefined(from: Record<string, unknown>, to: object, keys: string[]): void {
  for (const key of keys) if (from[key] !== undefined) (to as Record<string, unknown>)[key] = from[key];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
