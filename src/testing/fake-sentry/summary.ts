// One line per request, for failure messages: what arrived, how it was answered, what it held.
import type { EnvelopeItem, ReceivedRequest, SentryEvent } from './types.js';

const MAX_LINES = 30;
const MAX_TEXT = 80;

export function summarizeRequests(requests: readonly ReceivedRequest[], dropped: number): string {
  if (requests.length === 0) {
    return dropped > 0 ? `No requests kept (${dropped} older ones were dropped).` : 'No requests were received.';
  }
  const shown = requests.slice(-MAX_LINES);
  const lines = shown.map((request) => `  ${summarizeRequest(request)}`);
  const hidden = requests.length - shown.length + dropped;
  const header = `Received ${requests.length + dropped} request${requests.length + dropped === 1 ? '' : 's'}`;
  return [`${header}${hidden > 0 ? ` (the first ${hidden} not shown)` : ''}:`, ...lines].join('\n');
}

export function summarizeRequest(request: ReceivedRequest): string {
  const answer =
    request.outcome === 'hanging'
      ? 'hanging'
      : request.outcome === 'reset'
        ? 'reset'
        : `${request.status}${request.simulated ? ' (simulated)' : ''}`;
  const parts = [`#${request.id} ${request.method} ${request.pathname} → ${answer}`];
  if (request.error) parts.push(`error: ${truncate(request.error)}`);
  if (request.envelope) parts.push(request.envelope.items.map(summarizeItem).join(', ') || 'empty envelope');
  if (request.spans) {
    const names = request.spans.slice(0, 5).map((span) => JSON.stringify(truncate(span.name, 40)));
    const more = request.spans.length > 5 ? ', …' : '';
    parts.push(`${request.spans.length} span${request.spans.length === 1 ? '' : 's'}: ${names.join(', ')}${more}`);
  }
  return parts.join(' · ');
}

function summarizeItem(item: EnvelopeItem): string {
  const payload = (item.payload ?? {}) as Record<string, unknown>;
  switch (item.type) {
    case 'event': {
      const event = payload as SentryEvent;
      const exception = event.exception?.values?.at(-1);
      const text = exception
        ? `${exception.type ?? 'Error'}: ${exception.value ?? ''}`
        : (event.message ?? event.logentry?.message ?? '');
      return `event ${JSON.stringify(truncate(String(text)))}`;
    }
    case 'transaction':
      return `transaction ${JSON.stringify(truncate(String(payload.transaction ?? '')))}`;
    case 'session':
      return `session ${payload.status} errors=${payload.errors}${payload.init ? ' init' : ''}`;
    case 'sessions':
      return `sessions (${Array.isArray(payload.aggregates) ? payload.aggregates.length : 0} buckets)`;
    case 'check_in':
      return `check_in ${payload.monitor_slug} ${payload.status}`;
    case 'log':
      return `log ×${Array.isArray(payload.items) ? payload.items.length : 0}`;
    default:
      return item.type;
  }
}

function truncate(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
