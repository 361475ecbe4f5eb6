// The decoders behind FakeSentry, on edge cases the official encoders do not produce but other senders may.
import { gzipSync } from 'node:zlib';
import { createEnvelope, serializeEnvelope } from '@sentry/core';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEnvelope } from '../../src/testing/fake-sentry/envelope.js';
import { decodeOtlpTracesJson } from '../../src/testing/fake-sentry/otlp-json.js';
import { decodeOtlpTracesProtobuf } from '../../src/testing/fake-sentry/otlp-protobuf.js';
import { FakeSentry } from '../../src/testing/index.js';

// A tiny protobuf writer for hand-made messages (field, wire type, payload).
function varint(value: bigint | number): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? byte | 0x80 : byte);
  } while (v > 0n);
  return out;
}
const tag = (field: number, wireType: number) => varint((field << 3) | wireType);
const bytesField = (field: number, payload: number[] | Uint8Array) => [
  ...tag(field, 2),
  ...varint(payload.length),
  ...payload,
];
const stringField = (field: number, text: string) => bytesField(field, [...Buffer.from(text)]);
const varintField = (field: number, value: bigint | number) => [...tag(field, 0), ...varint(value)];
const fixed64Field = (field: number, value: bigint) => {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(value);
  return [...tag(field, 1), ...buffer];
};
const fixed32Field = (field: number, value: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return [...tag(field, 5), ...buffer];
};
const doubleField = (field: number, value: number) => {
  const buffer = Buffer.alloc(8);
  buffer.writeDoubleLE(value);
  return [...tag(field, 1), ...buffer];
};
const keyValue = (key: string, anyValue: number[]) => [...stringField(1, key), ...bytesField(2, anyValue)];

function request(spanFields: number[], resourceAttributes: number[][] = []): Uint8Array {
  const resource = resourceAttributes.flatMap((kv) => bytesField(1, kv));
  const scope = [...stringField(1, 'scope-name')];
  const scopeSpans = [...bytesField(1, scope), ...bytesField(2, spanFields)];
  // Resource after its scope spans, and unknown fields around: decoders must not depend on field order.
  const resourceSpans = [...varintField(99, 7), ...bytesField(2, scopeSpans), ...bytesField(1, resource)];
  return Uint8Array.from([...bytesField(1, resourceSpans), ...fixed32Field(77, 1)]);
}

describe('OTLP protobuf decoder', () => {
  const traceId = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
  const spanId = Buffer.from('0011223344556677', 'hex');
  const base = [...bytesField(1, traceId), ...bytesField(2, spanId), ...stringField(5, 'work')];

  it('decodes every AnyValue variant, including ones the JS SDK never sends', () => {
    const attributes = [
      keyValue('s', stringField(1, 'text ✓')),
      keyValue('b', varintField(2, 1)),
      keyValue('neg', varintField(3, -5n)),
      keyValue('huge', varintField(3, 2n ** 62n)),
      keyValue('d', doubleField(4, -1.5)),
      keyValue('arr', bytesField(5, [...bytesField(1, stringField(1, 'x')), ...bytesField(1, varintField(3, 2))])),
      keyValue('kv', bytesField(6, bytesField(1, keyValue('inner', varintField(2, 0))))),
      keyValue('bytes', bytesField(7, [0, 255, 10])),
      keyValue('empty', []),
    ].flatMap((kv) => bytesField(9, kv));
    const [span] = decodeOtlpTracesProtobuf(request([...base, ...attributes]));
    expect(span?.attributes).toEqual({
      s: 'text ✓',
      b: true,
      neg: -5,
      huge: (2n ** 62n).toString(),
      d: -1.5,
      arr: ['x', 2],
      kv: { inner: false },
      bytes: Uint8Array.from([0, 255, 10]),
      empty: null,
    });
  });

  it('skips unknown fields of every wire type and reads fields in any order', () => {
    const fields = [
      ...fixed64Field(8, 2_000_000_000_000_000_123n),
      ...varintField(50, 1),
      ...fixed64Field(51, 1n),
      ...fixed32Field(52, 1),
      ...stringField(53, 'unknown'),
      ...base,
      ...fixed64Field(7, 1_000_000_000_000_000_001n),
      ...varintField(6, 4),
      ...fixed32Field(16, 0x301),
    ];
    const [span] = decodeOtlpTracesProtobuf(request(fields, [keyValue('service.name', stringField(1, 'svc'))]));
    expect(span).toMatchObject({
      traceId: '0123456789abcdef0123456789abcdef',
      spanId: '0011223344556677',
      name: 'work',
      kind: 'producer',
      startTimeUnixNano: '1000000000000000001',
      endTimeUnixNano: '2000000000000000123',
      flags: 0x301,
      resource: { 'service.name': 'svc' },
      scope: { name: 'scope-name', attributes: {} },
      status: { code: 'unset' },
    });
    expect(span?.parentSpanId).toBeUndefined();
  });

  it('fails with the byte offset on truncated input and on a wrong wire type', () => {
    const whole = request(base);
    expect(() => decodeOtlpTracesProtobuf(whole.subarray(0, whole.length - 8))).toThrow(
      /protobuf: truncated .* at byte/,
    );
    expect(() => decodeOtlpTracesProtobuf(request([...varintField(5, 1)]))).toThrow(/field 5 has wire type 0/);
  });
});

describe('OTLP JSON decoder', () => {
  it('accepts base64 ids, string and number int64s, enum names and special doubles', () => {
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'r', value: { intValue: '9007199254740993' } }] },
          scopeSpans: [
            {
              scope: { name: 'sc', version: '' },
              spans: [
                {
                  traceId: Buffer.from('0123456789abcdef0123456789abcdef', 'hex').toString('base64'),
                  spanId: 'AAECAwQFBgc=',
                  parentSpanId: '',
                  name: 'n',
                  kind: 'SPAN_KIND_CONSUMER',
                  startTimeUnixNano: 5,
                  endTimeUnixNano: '6',
                  attributes: [
                    { key: 'nan', value: { doubleValue: 'NaN' } },
                    { key: 'bytes', value: { bytesValue: 'AP8K' } },
                    { key: 'none', value: {} },
                  ],
                  status: { code: 'STATUS_CODE_ERROR', message: 'bad' },
                },
              ],
            },
          ],
        },
      ],
    };
    const [span] = decodeOtlpTracesJson(Buffer.from(JSON.stringify(body)));
    expect(span).toMatchObject({
      traceId: '0123456789abcdef0123456789abcdef',
      spanId: '0001020304050607',
      kind: 'consumer',
      startTimeUnixNano: '5',
      endTimeUnixNano: '6',
      resource: { r: '9007199254740993' },
      scope: { name: 'sc' },
      status: { code: 'error', message: 'bad' },
      attributes: { nan: Number.NaN, bytes: Uint8Array.from([0, 255, 10]), none: null },
    });
    expect(span?.parentSpanId).toBeUndefined();
    expect(span?.scope.version).toBeUndefined();
  });

  it('says what is wrong with a body that is not JSON', () => {
    expect(() => decodeOtlpTracesJson(Buffer.from('{nope'))).toThrow(/OTLP JSON: body is not JSON/);
  });
});

describe('envelope parser', () => {
  it('parses what Sentry serializes: JSON items, and binary items by length', () => {
    const binary = Uint8Array.from([10, 10, 0, 123, 10]);
    const envelope = createEnvelope({ event_id: 'e'.repeat(32), sent_at: 'now' }, [
      [{ type: 'event' }, { message: 'one\ntwo' }],
      [{ type: 'attachment', length: binary.length, filename: 'a.bin' }, binary],
      [{ type: 'client_report' }, { timestamp: 1, discarded_events: [] }],
    ] as never);
    const parsed = parseEnvelope(Buffer.from(serializeEnvelope(envelope)));
    expect(parsed.header).toEqual({ event_id: 'e'.repeat(32), sent_at: 'now' });
    expect(parsed.items.map((item) => item.type)).toEqual(['event', 'attachment', 'client_report']);
    expect(parsed.items[0]?.payload).toEqual({ message: 'one\ntwo' });
    expect([...(parsed.items[1]?.raw ?? [])]).toEqual([...binary]);
    expect(parsed.items[2]?.payload).toEqual({ timestamp: 1, discarded_events: [] });
  });

  it('handles a length item with no newline after it, a missing final newline, and a header-only envelope', () => {
    const body = Buffer.from('{}\n{"type":"attachment","length":3}\nabc{"type":"event"}\n{"a":1}');
    const parsed = parseEnvelope(body);
    expect(parsed.items.map((item) => [item.type, item.raw.toString()])).toEqual([
      ['attachment', 'abc'],
      ['event', '{"a":1}'],
    ]);
    expect(parseEnvelope(Buffer.from('{"dsn":"x"}\n')).items).toEqual([]);
  });

  it('rejects a length beyond the body and an item without a type, naming the item', () => {
    expect(() => parseEnvelope(Buffer.from('{}\n{"type":"event","length":99}\n{}'))).toThrow(
      /item 1 says length 99 but only 2 bytes follow/,
    );
    expect(() => parseEnvelope(Buffer.from('{}\n{"length":2}\n{}'))).toThrow(/item 1 header .* has no "type"/);
  });
});

describe('body limits', () => {
  const open: FakeSentry[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((sentry) => sentry.close()));
  });

  it('answers 413 to a body, or a decompressed body, over maxBodyBytes, and 400 to broken gzip', async () => {
    const sentry = await FakeSentry.start({ maxBodyBytes: 1000 });
    open.push(sentry);
    const url = `${sentry.url}/api/1/envelope/?sentry_key=${sentry.publicKey}`;
    const big = `{}\n{"type":"event"}\n{"m":"${'x'.repeat(5000)}"}\n`;
    const plain = await fetch(url, { method: 'POST', body: big });
    const bomb = await fetch(url, { method: 'POST', body: gzipSync(big), headers: { 'content-encoding': 'gzip' } });
    const broken = await fetch(url, { method: 'POST', body: 'not gzip', headers: { 'content-encoding': 'gzip' } });
    const unknown = await fetch(url, { method: 'POST', body: 'x', headers: { 'content-encoding': 'compress' } });
    expect([plain.status, bomb.status, broken.status, unknown.status]).toEqual([413, 413, 400, 415]);
    expect(sentry.requests().map((r) => r.error)).toEqual([
      expect.stringMatching(/larger than 1000 bytes/),
      expect.stringMatching(/larger than 1000 bytes once gzip is undone/),
      expect.stringMatching(/not valid gzip/),
      expect.stringMatching(/unsupported Content-Encoding "compress"/),
    ]);
  });
});
