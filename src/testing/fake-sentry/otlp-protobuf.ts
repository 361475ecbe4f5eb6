// Decodes an OTLP ExportTraceServiceRequest in protobuf. Field numbers follow the public OTLP protos:
// opentelemetry/proto/collector/trace/v1/trace_service.proto, trace/v1/trace.proto,
// common/v1/common.proto and resource/v1/resource.proto.
import { type DecodedSpan, int64ToValue, kindName, statusName } from './otlp-span.js';
import { type FieldTag, ProtobufReader, WireType } from './protobuf-reader.js';
import type { OtlpAttributes, OtlpValue, ReceivedSpanEvent, ReceivedSpanLink } from './types.js';

type Scope = DecodedSpan['scope'];

export function decodeOtlpTracesProtobuf(bytes: Uint8Array): DecodedSpan[] {
  const spans: DecodedSpan[] = [];
  const reader = new ProtobufReader(bytes);
  while (!reader.done) {
    const tag = reader.tag();
    // ExportTraceServiceRequest: 1 resource_spans
    if (tag.field === 1) {
      reader.expect(tag, WireType.lengthDelimited);
      readResourceSpans(reader.message(), spans);
    } else reader.skip(tag.wireType);
  }
  return spans;
}

function readResourceSpans(reader: ProtobufReader, out: DecodedSpan[]): void {
  // ResourceSpans: 1 resource, 2 scope_spans, 3 schema_url
  let resource: OtlpAttributes = {};
  let schemaUrl: string | undefined;
  const scopeSpans: ProtobufReader[] = [];
  while (!reader.done) {
    const tag = reader.tag();
    if (tag.field === 1 && lengthDelimited(reader, tag)) resource = readResource(reader.message());
    else if (tag.field === 2 && lengthDelimited(reader, tag)) scopeSpans.push(reader.message());
    else if (tag.field === 3 && lengthDelimited(reader, tag)) schemaUrl = reader.string() || undefined;
    else reader.skip(tag.wireType);
  }
  // Resource may follow its scope spans on the wire; read spans once the resource is known.
  for (const scope of scopeSpans) readScopeSpans(scope, resource, schemaUrl, out);
}

function readResource(reader: ProtobufReader): OtlpAttributes {
  // Resource: 1 attributes, 2 dropped_attributes_count
  const attributes: OtlpAttributes = {};
  while (!reader.done) {
    const tag = reader.tag();
    if (tag.field === 1 && lengthDelimited(reader, tag)) readKeyValue(reader.message(), attributes);
    else reader.skip(tag.wireType);
  }
  return attributes;
}

function readScopeSpans(
  reader: ProtobufReader,
  resource: OtlpAttributes,
  resourceSchemaUrl: string | undefined,
  out: DecodedSpan[],
): void {
  // ScopeSpans: 1 scope, 2 spans, 3 schema_url
  let scope: Scope = { name: '', attributes: {} };
  let schemaUrl: string | undefined;
  const spans: ProtobufReader[] = [];
  while (!reader.done) {
    const tag = reader.tag();
    if (tag.field === 1 && lengthDelimited(reader, tag)) scope = readScope(reader.message());
    else if (tag.field === 2 && lengthDelimited(reader, tag)) spans.push(reader.message());
    else if (tag.field === 3 && lengthDelimited(reader, tag)) schemaUrl = reader.string() || undefined;
    else reader.skip(tag.wireType);
  }
  if (schemaUrl !== undefined) scope = { ...scope, schemaUrl };
  for (const span of spans) out.push(readSpan(span, resource, resourceSchemaUrl, scope));
}

function readScope(reader: ProtobufReader): Scope {
  // InstrumentationScope: 1 name, 2 version, 3 attributes, 4 dropped_attributes_count
  const scope: Scope = { name: '', attributes: {} };
  while (!reader.done) {
    const tag = reader.tag();
    if (tag.field === 1 && lengthDelimited(reader, tag)) scope.name = reader.string();
    else if (tag.field === 2 && lengthDelimited(reader, tag)) scope.version = reader.string() || undefined;
    else if (tag.field === 3 && lengthDelimited(reader, tag)) readKeyValue(reader.message(), scope.attributes);
    else reader.skip(tag.wireType);
  }
  if (scope.version === undefined) delete scope.version;
  return scope;
}

function readSpan(
  reader: ProtobufReader,
  resource: OtlpAttributes,
  resourceSchemaUrl: string | undefined,
  scope: Scope,
): DecodedSpan {
  // Span: 1 trace_id, 2 span_id, 3 trace_state, 4 parent_span_id, 5 name, 6 kind, 7 start_time_unix_nano,
  // 8 end_time_unix_nano, 9 attributes, 10 dropped_attributes_count, 11 events, 12 dropped_events_count,
  // 13 links, 14 dropped_links_count, 15 status, 16 flags
  const span: DecodedSpan = {
    resource,
    scope,
    traceId: '',
    spanId: '',
    name: '',
    kind: 'unspecified',
    startTimeUnixNano: '0',
    endTimeUnixNano: '0',
    attributes: {},
    events: [],
    links: [],
    status: { code: 'unset' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
  if (resourceSchemaUrl !== undefined) span.resourceSchemaUrl = resourceSchemaUrl;
  while (!reader.done) {
    const tag = reader.tag();
    switch (tag.field) {
      case 1:
        reader.expect(tag, WireType.lengthDelimited);
        span.traceId = hex(reader.bytesView());
        break;
      case 2:
        reader.expect(tag, WireType.lengthDelimited);
        span.spanId = hex(reader.bytesView());
        break;
      case 3: {
        reader.expect(tag, WireType.lengthDelimited);
        const traceState = reader.string();
        if (traceState) span.traceState = traceState;
        break;
      }
      case 4: {
        reader.expect(tag, WireType.lengthDelimited);
        const parent = hex(reader.bytesView());
        if (parent) span.parentSpanId = parent;
        break;
      }
      case 5:
        reader.expect(tag, WireType.lengthDelimited);
        span.name = reader.string();
        break;
      case 6:
        reader.expect(tag, WireType.varint);
        span.kind = kindName(reader.uint32());
        break;
      case 7:
        reader.expect(tag, WireType.fixed64);
        span.startTimeUnixNano = reader.fixed64().toString();
        break;
      case 8:
        reader.expect(tag, WireType.fixed64);
        span.endTimeUnixNano = reader.fixed64().toString();
        break;
      case 9:
        reader.expect(tag, WireType.lengthDelimited);
        readKeyValue(reader.message(), span.attributes);
        break;
      case 10:
        reader.expect(tag, WireType.varint);
        span.droppedAttributesCount = reader.uint32();
        break;
      case 11:
        reader.expect(tag, WireType.lengthDelimited);
        span.events.push(readEvent(reader.message()));
        break;
      case 12:
        reader.expect(tag, WireType.varint);
        span.droppedEventsCount = reader.uint32();
        break;
      case 13:
        reader.expect(tag, WireType.lengthDelimited);
        span.links.push(readLink(reader.message()));
        break;
      case 14:
        reader.expect(tag, WireType.varint);
        span.droppedLinksCount = reader.uint32();
        break;
      case 15:
        reader.expect(tag, WireType.lengthDelimited);
        span.status = readStatus(reader.message());
        break;
      case 16:
        reader.expect(tag, WireType.fixed32);
        span.flags = reader.fixed32();
        break;
      default:
        reader.skip(tag.wireType);
    }
  }
  return span;
}

function readEvent(reader: ProtobufReader): ReceivedSpanEvent {
  // Span.Event: 1 time_unix_nano, 2 name, 3 attributes, 4 dropped_attributes_count
  const event: ReceivedSpanEvent = { name: '', timeUnixNano: '0', attributes: {}, droppedAttributesCount: 0 };
  while (!reader.done) {
    const tag = reader.tag();
    if (tag.field === 1 && tag.wireType === WireType.fixed64) event.timeUnixNano = reader.fixed64().toString();
    else if (tag.field === 2 && lengthDelimited(reader, tag)) event.name = reader.string();
    else if (tag.field === 3 && lengthDelimited(reader, tag)) readKeyValue(reader.message(), event.attributes);
    else if (tag.field === 4 && tag.wireType === WireType.varint) event.droppedAttributesCount = reader.uint32();
    else reader.skip(tag.wireType);
  }
  return event;
}

function readLink(reader: ProtobufReader): ReceivedSpanLink {
  // Span.Link: 1 trace_id, 2 span_id, 3 trace_state, 4 attributes, 5 dropped_attributes_count, 6 flags
  const link: ReceivedSpanLink = { traceId: '', spanId: '', attributes: {}, droppedAttributesCount: 0 };
  while (!reader.done) {
    const tag = reader.tag();
    if (tag.field === 1 && lengthDelimited(reader, tag)) link.traceId = hex(reader.bytesView());
    else if (tag.field === 2 && lengthDelimited(reader, tag)) link.spanId = hex(reader.bytesView());
    else if (tag.field === 3 && lengthDelimited(reader, tag)) {
      const traceState = reader.string();
      if (traceState) link.traceState = traceState;
    } else if (tag.field === 4 && lengthDelimited(reader, tag)) readKeyValue(reader.message(), link.attributes);
    else if (tag.field === 5 && tag.wireType === WireType.varint) link.droppedAttributesCount = reader.uint32();
    else if (tag.field === 6 && tag.wireType === WireType.fixed32) link.flags = reader.fixed32();
    else reader.skip(tag.wireType);
  }
  return link;
}

function readStatus(reader: ProtobufReader): DecodedSpan['status'] {
  // Status: 2 message, 3 code (field 1 is reserved)
  const status: DecodedSpan['status'] = { code: 'unset' };
  while (!reader.done) {
    const tag = reader.tag();
    if (tag.field === 2 && lengthDelimited(reader, tag)) {
      const message = reader.string();
      if (message) status.message = message;
    } else if (tag.field === 3 && tag.wireType === WireType.varint) status.code = statusName(reader.uint32());
    else reader.skip(tag.wireType);
  }
  return status;
}

function readKeyValue(reader: ProtobufReader, into: OtlpAttributes): void {
  // KeyValue: 1 key, 2 value
  let key = '';
  let value: OtlpValue = null;
  while (!reader.done) {
    const tag = reader.tag();
    if (tag.field === 1 && lengthDelimited(reader, tag)) key = reader.string();
    else if (tag.field === 2 && lengthDelimited(reader, tag)) value = readAnyValue(reader.message());
    else reader.skip(tag.wireType);
  }
  into[key] = value;
}

function readAnyValue(reader: ProtobufReader): OtlpValue {
  // AnyValue (oneof): 1 string_value, 2 bool_value, 3 int_value, 4 double_value, 5 array_value,
  // 6 kvlist_value, 7 bytes_value
  let value: OtlpValue = null;
  while (!reader.done) {
    const tag = reader.tag();
    switch (tag.field) {
      case 1:
        reader.expect(tag, WireType.lengthDelimited);
        value = reader.string();
        break;
      case 2:
        reader.expect(tag, WireType.varint);
        value = reader.varint() !== 0n;
        break;
      case 3:
        reader.expect(tag, WireType.varint);
        value = int64ToValue(reader.int64());
        break;
      case 4:
        reader.expect(tag, WireType.fixed64);
        value = reader.double();
        break;
      case 5: {
        reader.expect(tag, WireType.lengthDelimited);
        const array = reader.message();
        const values: OtlpValue[] = [];
        // ArrayValue: 1 values
        while (!array.done) {
          const item = array.tag();
          if (item.field === 1 && lengthDelimited(array, item)) values.push(readAnyValue(array.message()));
          else array.skip(item.wireType);
        }
        value = values;
        break;
      }
      case 6: {
        reader.expect(tag, WireType.lengthDelimited);
        const list = reader.message();
        const object: Record<string, OtlpValue> = {};
        // KeyValueList: 1 values
        while (!list.done) {
          const item = list.tag();
          if (item.field === 1 && lengthDelimited(list, item)) readKeyValue(list.message(), object);
          else list.skip(item.wireType);
        }
        value = object;
        break;
      }
      case 7:
        reader.expect(tag, WireType.lengthDelimited);
        value = reader.bytesCopy();
        break;
      default:
        reader.skip(tag.wireType);
    }
  }
  return value;
}

// A known field with another wire type means the bytes are not an OTLP message: fail loudly.
function lengthDelimited(reader: ProtobufReader, tag: FieldTag): boolean {
  reader.expect(tag, WireType.lengthDelimited);
  return true;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
