// Decodes an OTLP ExportTraceServiceRequest in the OTLP/JSON encoding: lowerCamelCase field names,
// ids as hex (base64 is accepted too), 64-bit integers as strings or numbers, enums as numbers or names.
import { type DecodedSpan, int64ToValue, kindFromJson, statusFromJson } from './otlp-span.js';
import type { OtlpAttributes, OtlpValue, ReceivedSpanEvent, ReceivedSpanLink } from './types.js';

type Json = Record<string, unknown>;

export function decodeOtlpTracesJson(body: Buffer): DecodedSpan[] {
  let request: unknown;
  try {
    request = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new Error(`OTLP JSON: body is not JSON (${(error as Error).message})`);
  }
  if (!isObject(request)) throw new Error('OTLP JSON: body is not a JSON object');
  const spans: DecodedSpan[] = [];
  for (const resourceSpans of list(request.resourceSpans)) {
    const resource = attributes(isObject(resourceSpans.resource) ? resourceSpans.resource.attributes : undefined);
    const resourceSchemaUrl = optionalString(resourceSpans.schemaUrl);
    const scopeSpansList = [...list(resourceSpans.scopeSpans), ...list(resourceSpans.instrumentationLibrarySpans)];
    for (const scopeSpans of scopeSpansList) {
      const rawScope = isObject(scopeSpans.scope)
        ? scopeSpans.scope
        : isObject(scopeSpans.instrumentationLibrary)
          ? scopeSpans.instrumentationLibrary
          : {};
      const scope: DecodedSpan['scope'] = {
        name: typeof rawScope.name === 'string' ? rawScope.name : '',
        attributes: attributes(rawScope.attributes),
      };
      const version = optionalString(rawScope.version);
      if (version !== undefined) scope.version = version;
      const schemaUrl = optionalString(scopeSpans.schemaUrl);
      if (schemaUrl !== undefined) scope.schemaUrl = schemaUrl;
      for (const span of list(scopeSpans.spans)) spans.push(toSpan(span, resource, resourceSchemaUrl, scope));
    }
  }
  return spans;
}

function toSpan(
  span: Json,
  resource: OtlpAttributes,
  resourceSchemaUrl: string | undefined,
  scope: DecodedSpan['scope'],
): DecodedSpan {
  const status = isObject(span.status) ? span.status : {};
  const decoded: DecodedSpan = {
    resource,
    scope,
    traceId: id(span.traceId, 16),
    spanId: id(span.spanId, 8),
    name: typeof span.name === 'string' ? span.name : '',
    kind: kindFromJson(span.kind),
    startTimeUnixNano: nanos(span.startTimeUnixNano),
    endTimeUnixNano: nanos(span.endTimeUnixNano),
    attributes: attributes(span.attributes),
    events: list(span.events).map(toEvent),
    links: list(span.links).map(toLink),
    status: { code: statusFromJson(status.code) },
    droppedAttributesCount: count(span.droppedAttributesCount),
    droppedEventsCount: count(span.droppedEventsCount),
    droppedLinksCount: count(span.droppedLinksCount),
  };
  if (resourceSchemaUrl !== undefined) decoded.resourceSchemaUrl = resourceSchemaUrl;
  const parentSpanId = id(span.parentSpanId, 8);
  if (parentSpanId) decoded.parentSpanId = parentSpanId;
  const traceState = optionalString(span.traceState);
  if (traceState !== undefined) decoded.traceState = traceState;
  const message = optionalString(status.message);
  if (message !== undefined) decoded.status.message = message;
  if (span.flags !== undefined && span.flags !== null) decoded.flags = count(span.flags);
  return decoded;
}

function toEvent(event: Json): ReceivedSpanEvent {
  return {
    name: typeof event.name === 'string' ? event.name : '',
    timeUnixNano: nanos(event.timeUnixNano),
    attributes: attributes(event.attributes),
    droppedAttributesCount: count(event.droppedAttributesCount),
  };
}

function toLink(link: Json): ReceivedSpanLink {
  const decoded: ReceivedSpanLink = {
    traceId: id(link.traceId, 16),
    spanId: id(link.spanId, 8),
    attributes: attributes(link.attributes),
    droppedAttributesCount: count(link.droppedAttributesCount),
  };
  const traceState = optionalString(link.traceState);
  if (traceState !== undefined) decoded.traceState = traceState;
  if (link.flags !== undefined && link.flags !== null) decoded.flags = count(link.flags);
  return decoded;
}

function attributes(keyValues: unknown): OtlpAttributes {
  const out: OtlpAttributes = {};
  for (const keyValue of list(keyValues)) {
    if (typeof keyValue.key === 'string') out[keyValue.key] = anyValue(keyValue.value);
  }
  return out;
}

function anyValue(value: unknown): OtlpValue {
  if (!isObject(value)) return null;
  if ('stringValue' in value) return String(value.stringValue);
  if ('boolValue' in value) return value.boolValue === true || value.boolValue === 'true';
  if ('intValue' in value) return int64ToValue(toBigInt(value.intValue));
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('bytesValue' in value) return new Uint8Array(Buffer.from(String(value.bytesValue), 'base64'));
  if ('arrayValue' in value) {
    return isObject(value.arrayValue) ? list(value.arrayValue.values, true).map(anyValue) : [];
  }
  if ('kvlistValue' in value) return isObject(value.kvlistValue) ? attributes(value.kvlistValue.values) : {};
  return null;
}

/** OTLP/JSON ids are hex; some encoders send base64. Anything else is kept as sent. */
function id(value: unknown, byteLength: number): string {
  if (typeof value !== 'string' || value === '') return '';
  if (value.length === byteLength * 2 && /^[0-9a-f]+$/i.test(value)) return value.toLowerCase();
  const decoded = Buffer.from(value, 'base64');
  return decoded.length === byteLength ? decoded.toString('hex') : value;
}

function nanos(value: unknown): string {
  return toBigInt(value).toString();
}

function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.trunc(value));
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return BigInt(value.trim());
  return 0n;
}

function count(value: unknown): number {
  return Number(toBigInt(value));
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function list(value: unknown): Json[];
function list(value: unknown, anyItems: true): unknown[];
function list(value: unknown, anyItems = false): unknown[] {
  if (!Array.isArray(value)) return [];
  return anyItems ? value : value.filter(isObject);
}
