/**
 * A small proto3 wire-format writer for the collector's own responses (ExportTraceServiceResponse,
 * google.rpc.Status) and for tests that need exact bytes. Responses are tiny, so it favours
 * simplicity: nested messages are written to a child writer and copied in with their length.
 */
import { WireType } from './protobuf-reader.ts';

const encoder = new TextEncoder();

export class ProtoWriter {
  private buf = new Uint8Array(64);
  private pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Appends raw bytes (already encoded fields, or deliberately malformed ones in tests). */
  raw(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  /** A varint of any int64/uint64 value; negatives are sign-extended to 10 bytes like int32/int64 fields. */
  varint(value: number | bigint): this {
    let v = BigInt.asUintN(64, BigInt(value));
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
    return this;
  }

  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  fixed32(value: number): this {
    this.ensure(4);
    new DataView(this.buf.buffer).setUint32(this.pos, value >>> 0, true);
    this.pos += 4;
    return this;
  }

  fixed64(value: bigint): this {
    this.ensure(8);
    new DataView(this.buf.buffer).setBigUint64(this.pos, BigInt.asUintN(64, value), true);
    this.pos += 8;
    return this;
  }

  double(value: number): this {
    this.ensure(8);
    new DataView(this.buf.buffer).setFloat64(this.pos, value, true);
    this.pos += 8;
    return this;
  }

  /** A length-delimited payload: bytes, or a string encoded as UTF-8. */
  lengthDelimited(payload: Uint8Array | string): this {
    const bytes = typeof payload === 'string' ? encoder.encode(payload) : payload;
    return this.varint(bytes.length).raw(bytes);
  }

  // Whole fields: tag + value.
  varintField(field: number, value: number | bigint | boolean): this {
    return this.tag(field, WireType.VARINT).varint(typeof value === 'boolean' ? Number(value) : value);
  }
  fixed32Field(field: number, value: number): this {
    return this.tag(field, WireType.I32).fixed32(value);
  }
  fixed64Field(field: number, value: bigint): this {
    return this.tag(field, WireType.I64).fixed64(value);
  }
  doubleField(field: number, value: number): this {
    return this.tag(field, WireType.I64).double(value);
  }
  bytesField(field: number, payload: Uint8Array | string): this {
    return this.tag(field, WireType.LEN).lengthDelimited(payload);
  }
  /** A sub-message field whose body `write` fills in. */
  messageField(field: number, write: (w: ProtoWriter) => void): this {
    const child = new ProtoWriter();
    write(child);
    return this.bytesField(field, child.finish());
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}
