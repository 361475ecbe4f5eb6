import type { OtlpSpanKind, OtlpStatusCode, OtlpValue, ReceivedSpan } from './types.js';

/** A span as decoded from one request, before it is tagged with the request id. */
export type DecodedSpan = Omit<ReceivedSpan, 'requestId'>;

// OTLP Span.SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer.
const KINDS: readonly OtlpSpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
// OTLP Status.StatusCode: 0 unset, 1 ok, 2 error.
const STATUS_CODES: readonly OtlpStatusCode[] = ['unset', 'ok', 'error'];

export function kindName(kind: number): OtlpSpanKind {
  return KINDS[kind] ?? 'unspecified';
}

export function statusName(code: number): OtlpStatusCode {
  return STATUS_CODES[code] ?? 'unset';
}

/** JSON encoders may send enums as names: `SPAN_KIND_SERVER`, `STATUS_CODE_ERROR`. */
export function kindFromJson(kind: unknown): OtlpSpanKind {
  if (typeof kind === 'number') return kindName(kind);
  if (typeof kind === 'string') {
    const name = kind.replace(/^SPAN_KIND_/, '').toLowerCase();
    if ((KINDS as readonly string[]).includes(name)) return name as OtlpSpanKind;
  }
  return 'unspecified';
}

export function statusFromJson(code: unknown): OtlpStatusCode {
  if (typeof code === 'number') return statusName(code);
  if (typeof code === 'string') {
    const name = code.replace(/^STATUS_CODE_/, '').toLowerCase();
    if ((STATUS_CODES as readonly string[]).includes(name)) return name as OtlpStatusCode;
  }
  return 'unset';
}

export function int64ToValue(value: bigint): OtlpValue {
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
}
