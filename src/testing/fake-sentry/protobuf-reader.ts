// A minimal reader for the protobuf wire format (https://protobuf.dev/programming-guides/encoding/),
// enough to walk OTLP messages field by field. Unknown fields are skipped, as protobuf requires.

export const WireType = {
  varint: 0,
  fixed64: 1,
  lengthDelimited: 2,
  startGroup: 3,
  endGroup: 4,
  fixed32: 5,
} as const;

export interface FieldTag {
  field: number;
  wireType: number;
}

export class ProtobufReader {
  private pos: number;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
  ) {
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  tag(): FieldTag {
    const key = this.varint();
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (field === 0) throw this.error('field number 0 is not allowed');
    return { field, wireType };
  }

  /** An unsigned varint, up to 64 bits. */
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.end) throw this.error('truncated varint');
      const byte = this.bytes[this.pos++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw this.error('varint longer than 10 bytes');
  }

  /** A varint read as a 32-bit count or enum (uint32, int32 enums, bool). */
  uint32(): number {
    return Number(BigInt.asUintN(32, this.varint()));
  }

  int64(): bigint {
    return BigInt.asIntN(64, this.varint());
  }

  fixed64(): bigint {
    this.need(8);
    const value = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return value;
  }

  fixed32(): number {
    this.need(4);
    const value = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return value;
  }

  double(): number {
    this.need(8);
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** The payload of a length-delimited field, as a view (no copy). */
  bytesView(): Uint8Array {
    const length = Number(this.varint());
    this.need(length);
    const start = this.pos;
    this.pos += length;
    return this.bytes.subarray(start, start + length);
  }

  /** A copy of a length-delimited field, safe to keep after the request buffer is gone. */
  bytesCopy(): Uint8Array {
    return Uint8Array.from(this.bytesView());
  }

  string(): string {
    return new TextDecoder('utf-8').decode(this.bytesView());
  }

  /** A reader over an embedded message. */
  message(): ProtobufReader {
    const length = Number(this.varint());
    this.need(length);
    const start = this.pos;
    this.pos += length;
    return new ProtobufReader(this.bytes, start, start + length);
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WireType.varint:
        this.varint();
        return;
      case WireType.fixed64:
        this.need(8);
        this.pos += 8;
        return;
      case WireType.lengthDelimited: {
        this.bytesView();
        return;
      }
      case WireType.fixed32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw this.error(`unsupported wire type ${wireType}`);
    }
  }

  /** Throws unless the field has this wire type: a mismatch means the bytes are not the expected message. */
  expect(tag: FieldTag, wireType: number): void {
    if (tag.wireType !== wireType) {
      throw this.error(`field ${tag.field} has wire type ${tag.wireType}, expected ${wireType}`);
    }
  }

  private need(length: number): void {
    if (length < 0 || this.pos + length > this.end) throw this.error(`truncated field (needs ${length} bytes)`);
  }

  private error(what: string): Error {
    return new Error(`protobuf: ${what} at byte ${this.pos}`);
  }
}
