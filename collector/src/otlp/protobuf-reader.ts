/**
 * A minimal proto3 wire-format reader.
 *
 * Hand-written rather than protobufjs because the collector must decode ExportTraceServiceRequest at
 * least 2x faster than protobufjs decode+toObject: no intermediate message objects, no Long objects,
 * ids go straight from the bytes to lowercase hex and strings straight from the buffer (native
 * `utf8Slice`/`hexSlice` on Node). Every read is bounds-checked against `limit`, the end of the
 * message being read, and throws DecodeError: hostile bytes can neither read past a message nor loop.
 */
import { DecodeError } from './span.ts';

export const WireType = { VARINT: 0, I64: 1, LEN: 2, SGROUP: 3, EGROUP: 4, I32: 5 } as const;

/** Groups (deprecated, but legal unknown fields) may nest; cap it like AnyValue nesting. */
const MAX_GROUP_DEPTH = 64;
const TWO_32 = 4294967296;

/** Node's Buffer has undocumented native slicers that beat TextDecoder for the short strings of OTLP. */
interface NodeBuffer extends Uint8Array {
  utf8Slice(start: number, end: number): string;
  hexSlice(start: number, end: number): string;
}

/**
 * Short strings (attribute keys, names, enum-like values) repeat across spans. A direct-mapped cache keyed by
 * their bytes returns the same string again: no native call, no allocation, and an already-internalised key
 * for the attribute object stores. Holds at most CACHE_SLOTS strings of CACHE_MAX_LEN bytes (~300 KB).
 * Hashing and comparing go four bytes at a time (the bytes as 32-bit words): attribute keys are 20-40 bytes,
 * and a byte loop over each of them twice was the reader's largest cost in the profile.
 */
const CACHE_SLOTS = 4096; // a power of two: the slot is the hash's low bits
const CACHE_MAX_LEN = 48;
/** A slot is one 64-byte cache line: its length in word 0, then up to 12 words of bytes (zero-padded). */
const CACHE_SLOT_WORDS = 16;
const cacheWords = new Int32Array(CACHE_SLOTS * CACHE_SLOT_WORDS).fill(-1);
const cacheStrings: string[] = new Array<string>(CACHE_SLOTS).fill('');

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const utf8Decoder = new TextDecoder();

/** A signed int64 from its two 32-bit halves: a number when exactly representable as a safe integer, else a bigint. */
export function int64FromBits(lo: number, hi: number): number | bigint {
  if (hi < 0x200000) return hi * TWO_32 + lo; // 0 <= v <= 2^53 - 1
  if (hi >= 0xffe00000) {
    const v = (hi - TWO_32) * TWO_32 + lo; // exact: |v| <= 2^53
    if (v >= -Number.MAX_SAFE_INTEGER) return v;
  }
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
}

export class ProtoReader {
  readonly buf: Uint8Array;
  /** End (exclusive) of the message being read; `enter`/`leave` narrow and restore it. */
  limit: number;
  pos = 0;
  private readonly view: DataView;
  private readonly node: NodeBuffer | null;

  constructor(bytes: Uint8Array) {
    this.buf = bytes;
    this.limit = bytes.length;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // A zero-copy Buffer view over the same memory, for the native slicers.
    this.node = typeof Buffer === 'function' ? (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as NodeBuffer) : null;
  }

  /** True while the current message has unread bytes. */
  more(): boolean {
    return this.pos < this.limit;
  }

  private fail(what: string): never {
    throw new DecodeError(`invalid protobuf: ${what} at byte ${this.pos}`);
  }

  /** Moves past `n` bytes of the current message. */
  advance(n: number): void {
    if (n > this.limit - this.pos) this.fail(`truncated field (needs ${n} bytes)`);
    this.pos += n;
  }

  /** The low 32 bits of a varint of up to 10 bytes, unsigned (tags, enums, bools, uint32). */
  varint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos < this.limit && buf[pos] < 0x80) {
      this.pos = pos + 1;
      return buf[pos];
    }
    let result = 0;
    let b: number;
    let shift = 0;
    do {
      if (pos >= this.limit) this.fail('truncated varint');
      if (shift >= 70) this.fail('varint longer than 10 bytes');
      b = buf[pos++];
      if (shift < 32) result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b >= 0x80);
    this.pos = pos;
    return result >>> 0;
  }

  /** A field tag: `field_number << 3 | wire_type`. */
  tag(): number {
    const t = this.varint32();
    if (t < 8) this.fail('field number 0');
    return t;
  }

  /** A length prefix; it must fit in 5 bytes and in what is left of the current message. */
  length(): number {
    const start = this.pos;
    const n = this.varint32();
    if (this.pos - start > 5) this.fail('length prefix longer than 5 bytes');
    if (n > this.limit - this.pos) this.fail(`length ${n} exceeds the ${this.limit - this.pos} bytes left`);
    return n;
  }

  /** An int64 varint (two's complement, 10 bytes when negative) as number when safe, else bigint. */
  int64(): number | bigint {
    const buf = this.buf;
    const limit = this.limit;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= limit) this.fail('truncated varint');
      b = buf[pos++];
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return lo; // < 2^28
      }
    }
    if (pos >= limit) this.fail('truncated varint');
    b = buf[pos++]; // 5th byte: lo bits 28..31 and hi bits 0..2
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    for (let shift = 3; b >= 0x80; shift += 7) {
      if (shift > 31) this.fail('varint longer than 10 bytes');
      if (pos >= limit) this.fail('truncated varint');
      b = buf[pos++];
      hi |= (b & 0x7f) << shift;
    }
    this.pos = pos;
    return int64FromBits(lo >>> 0, hi >>> 0);
  }

  /** fixed64 as an unsigned bigint (timestamps in nanoseconds). */
  fixed64(): bigint {
    const pos = this.pos;
    this.advance(8);
    return this.view.getBigUint64(pos, true);
  }

  fixed32(): number {
    const pos = this.pos;
    this.advance(4);
    return this.view.getUint32(pos, true);
  }

  double(): number {
    const pos = this.pos;
    this.advance(8);
    return this.view.getFloat64(pos, true);
  }

  /** A length-delimited UTF-8 string (invalid sequences become U+FFFD, as TextDecoder does). */
  string(): string {
    const n = this.length();
    const start = this.pos;
    this.pos = start + n;
    if (n === 0) return '';
    if (n <= CACHE_MAX_LEN) return this.shortString(start, n);
    return this.utf8(start, start + n);
  }

  private utf8(start: number, end: number): string {
    return this.node !== null ? this.node.utf8Slice(start, end) : utf8Decoder.decode(this.buf.subarray(start, end));
  }

  /**
   * The cached string for bytes [start, start + n), 0 < n <= CACHE_MAX_LEN. The bytes are read as n/4 whole
   * words and one zero-padded last word, so each slot compares at most 12 words.
   */
  private shortString(start: number, n: number): string {
    const view = this.view;
    const words = (n + 3) >>> 2;
    const last = words - 1;
    const lastWord = this.lastWord(start + 4 * last, n - 4 * last);
    let h = Math.imul(n, 0x9e3779b1);
    for (let k = 0; k < last; k++) h = Math.imul(h ^ view.getInt32(start + 4 * k, true), 0x85ebca6b) ^ (h >>> 13);
    h = Math.imul(h ^ lastWord, 0x85ebca6b);
    const slot = (h ^ (h >>> 16)) & (CACHE_SLOTS - 1);
    const base = slot * CACHE_SLOT_WORDS + 1; // bytes start after the length word
    if (cacheWords[base - 1] === n && cacheWords[base + last] === lastWord) {
      let k = 0;
      while (k < last && cacheWords[base + k] === view.getInt32(start + 4 * k, true)) k++;
      if (k === last) return cacheStrings[slot];
    }
    const str = this.utf8(start, start + n);
    for (let k = 0; k < last; k++) cacheWords[base + k] = view.getInt32(start + 4 * k, true);
    cacheWords[base + last] = lastWord;
    cacheWords[base - 1] = n;
    cacheStrings[slot] = str;
    return str;
  }

  /** The 1-4 bytes at `at` as a little-endian word, zero-padded (never reads past them). */
  private lastWord(at: number, bytes: number): number {
    const buf = this.buf;
    if (bytes === 4) return this.view.getInt32(at, true);
    let word = 0;
    for (let i = bytes - 1; i >= 0; i--) word = (word << 8) | buf[at + i];
    return word;
  }

  /** A length-delimited bytes field as lowercase hex (trace and span ids), of whatever length was sent. */
  hex(): string {
    const n = this.length();
    const start = this.pos;
    this.pos = start + n;
    if (n === 0) return '';
    if (this.node !== null) return this.node.hexSlice(start, start + n);
    let out = '';
    for (let i = start; i < start + n; i++) out += HEX[this.buf[i]];
    return out;
  }

  /** A length-delimited bytes field, copied so it does not pin (or alias) the request buffer. */
  bytes(): Uint8Array {
    const n = this.length();
    const out = new Uint8Array(n);
    out.set(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }

  /** Narrows reads to the length-delimited sub-message that follows; returns the limit for `leave`. */
  enter(): number {
    const n = this.length();
    const outer = this.limit;
    this.limit = this.pos + n;
    return outer;
  }

  /** Leaves a sub-message entered with `enter` (whose bytes must all have been read). */
  leave(outer: number): void {
    if (this.pos !== this.limit) this.fail('sub-message not fully read');
    this.limit = outer;
  }

  /** Skips the value of a field whose tag was just read: unknown fields of every wire type. */
  skip(tag: number): void {
    switch (tag & 7) {
      case WireType.VARINT:
        this.varint32();
        return;
      case WireType.I64:
        this.advance(8);
        return;
      case WireType.LEN:
        this.advance(this.length());
        return;
      case WireType.I32:
        this.advance(4);
        return;
      case WireType.SGROUP:
        this.skipGroup(tag >>> 3);
        return;
      default:
        this.fail((tag & 7) === WireType.EGROUP ? 'unexpected end-group' : `invalid wire type ${tag & 7}`);
    }
  }

  /** Skips to the matching end-group tag; iterative so nested groups cannot overflow the stack. */
  private skipGroup(field: number): void {
    const open = [field];
    while (open.length > 0) {
      const t = this.tag();
      const wire = t & 7;
      if (wire === WireType.EGROUP) {
        if (t >>> 3 !== open.pop()) this.fail('mismatched end-group');
      } else if (wire === WireType.SGROUP) {
        if (open.length >= MAX_GROUP_DEPTH) this.fail(`groups nested deeper than ${MAX_GROUP_DEPTH}`);
        open.push(t >>> 3);
      } else {
        this.skip(t);
      }
    }
  }
}
