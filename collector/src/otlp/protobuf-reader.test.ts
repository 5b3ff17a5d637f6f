import { describe, expect, it } from 'vitest';
import { ProtoReader, int64FromBits } from './protobuf-reader.ts';
import { ProtoWriter } from './protobuf-writer.ts';
import { DecodeError } from './span.ts';

const reader = (...bytes: number[]) => new ProtoReader(Uint8Array.from(bytes));
const varintBytes = (v: number | bigint) => new ProtoWriter().varint(v).finish();

describe('ProtoReader varints', () => {
  it('reads 1-byte and multi-byte varints', () => {
    expect(reader(0x01).varint32()).toBe(1);
    expect(reader(0xac, 0x02).varint32()).toBe(300);
    expect(new ProtoReader(varintBytes(0xffffffff)).varint32()).toBe(0xffffffff);
  });

  it('keeps the low 32 bits of a 10-byte negative varint (negative enum)', () => {
    const r = new ProtoReader(varintBytes(-1));
    expect(r.varint32()).toBe(0xffffffff);
    expect(r.pos).toBe(10);
  });

  it('throws DecodeError on truncated and over-long varints', () => {
    expect(() => reader(0x80, 0x80).varint32()).toThrow(DecodeError);
    expect(() => reader(...Array(10).fill(0xff), 0x01).varint32()).toThrow(/longer than 10 bytes/);
    expect(() => reader(0xff).int64()).toThrow(DecodeError);
    expect(() => reader(...Array(10).fill(0xff), 0x01).int64()).toThrow(/longer than 10 bytes/);
  });

  it('int64: number inside the safe range, bigint outside, both signs', () => {
    const cases: [bigint, number | bigint][] = [
      [0n, 0],
      [1n, 1],
      [300n, 300],
      [2n ** 31n, 2 ** 31],
      [2n ** 32n + 5n, 2 ** 32 + 5],
      [2n ** 53n - 1n, Number.MAX_SAFE_INTEGER],
      [2n ** 53n, 2n ** 53n],
      [2n ** 53n + 1n, 2n ** 53n + 1n],
      [2n ** 63n - 1n, 2n ** 63n - 1n],
      [-1n, -1],
      [-300n, -300],
      [-(2n ** 32n), -(2 ** 32)],
      [-(2n ** 53n) + 1n, Number.MIN_SAFE_INTEGER],
      [-(2n ** 53n), -(2n ** 53n)],
      [-(2n ** 63n), -(2n ** 63n)],
    ];
    for (const [input, expected] of cases) {
      const r = new ProtoReader(varintBytes(input));
      expect(r.int64(), String(input)).toBe(expected);
      expect(r.more()).toBe(false);
    }
  });

  it('int64FromBits combines the halves', () => {
    expect(int64FromBits(0xffffffff, 0x1fffff)).toBe(Number.MAX_SAFE_INTEGER);
    expect(int64FromBits(0, 0x200000)).toBe(2n ** 53n);
    expect(int64FromBits(1, 0xffe00000)).toBe(-Number.MAX_SAFE_INTEGER);
    expect(int64FromBits(0, 0xffe00000)).toBe(-(2n ** 53n));
  });
});

describe('ProtoReader fixed-width and length-delimited values', () => {
  it('reads fixed64 as unsigned bigint, fixed32 and double little-endian', () => {
    const bytes = new ProtoWriter().fixed64(0xfedcba9876543210n).fixed32(0xdeadbeef).double(-2.5).finish();
    const r = new ProtoReader(bytes);
    expect(r.fixed64()).toBe(0xfedcba9876543210n);
    expect(r.fixed32()).toBe(0xdeadbeef);
    expect(r.double()).toBe(-2.5);
    expect(r.more()).toBe(false);
  });

  it('reads strings (ASCII and multi-byte), hex ids and copied bytes', () => {
    const bytes = new ProtoWriter()
      .lengthDelimited('héllo ✓ 🎉')
      .lengthDelimited(Uint8Array.from([0x00, 0xab, 0xcd, 0xef]))
      .lengthDelimited(Uint8Array.from([1, 2, 3]))
      .lengthDelimited('')
      .finish();
    const r = new ProtoReader(bytes);
    expect(r.string()).toBe('héllo ✓ 🎉');
    expect(r.hex()).toBe('00abcdef');
    const b = r.bytes();
    expect(b).toEqual(Uint8Array.from([1, 2, 3]));
    expect(b.buffer).not.toBe(bytes.buffer); // copied, not a view on the request
    expect(r.string()).toBe('');
  });

  it('the short-string cache always returns the string for exactly these bytes', () => {
    // Many distinct short strings (more than the cache has slots, so slots collide and get replaced),
    // read twice: hits and misses must both give what Buffer decoding gives, including invalid UTF-8.
    let seed = 1;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const samples: Uint8Array[] = [];
    for (let i = 0; i < 20_000; i++) {
      const len = 1 + rand(60);
      samples.push(Uint8Array.from({ length: len }, () => (rand(4) === 0 ? 0x80 + rand(128) : 0x20 + rand(8))));
    }
    const w = new ProtoWriter();
    for (const b of [...samples, ...samples]) w.lengthDelimited(b);
    const r = new ProtoReader(w.finish());
    for (const b of [...samples, ...samples]) expect(r.string()).toBe(Buffer.from(b).toString('utf8'));
  });

  it('works on a Buffer that is a slice of a larger pooled ArrayBuffer', () => {
    const inner = new ProtoWriter().lengthDelimited('pooled').fixed64(42n).finish();
    const big = Buffer.alloc(inner.length + 11, 0xee);
    big.set(inner, 7);
    const r = new ProtoReader(big.subarray(7, 7 + inner.length));
    expect(r.string()).toBe('pooled');
    expect(r.fixed64()).toBe(42n);
  });

  it('throws DecodeError when a value runs past the end', () => {
    expect(() => reader(1, 2, 3).fixed64()).toThrow(DecodeError);
    expect(() => reader(1, 2).fixed32()).toThrow(DecodeError);
    expect(() => reader(5, 0x61, 0x62).string()).toThrow(/length 5 exceeds the 2 bytes left/);
    expect(() => reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x01).length()).toThrow(/longer than 5 bytes/);
  });

  it('enter/leave confine reads to the sub-message', () => {
    // sub-message of 2 bytes, followed by a byte that belongs to the outer message
    const r = reader(2, 0x08, 0x96, 0x01);
    const outer = r.enter();
    expect(r.tag()).toBe(0x08);
    expect(() => r.varint32()).toThrow(/truncated varint/); // 0x96 continues into the outer byte
    r.limit = outer;
    expect(() => reader(5, 1, 2).enter()).toThrow(DecodeError);
  });
});

describe('ProtoReader tags and skipping', () => {
  it('rejects field number 0 and invalid wire types', () => {
    expect(() => reader(0x00).tag()).toThrow(/field number 0/);
    expect(() => reader(0x0e).skip(0x0e)).toThrow(/invalid wire type 6/);
    expect(() => reader(0x0f).skip(0x0f)).toThrow(/invalid wire type 7/);
    expect(() => reader().skip(0x0c)).toThrow(/unexpected end-group/);
  });

  it('skips every wire type, including nested groups', () => {
    const group = new ProtoWriter()
      .tag(9, 3)
      .varintField(1, 5)
      .tag(10, 3)
      .bytesField(2, 'inner')
      .tag(10, 4)
      .fixed32Field(3, 7)
      .tag(9, 4)
      .finish();
    const w = new ProtoWriter()
      .varintField(100, -1n)
      .fixed64Field(101, 1n)
      .bytesField(102, 'skip me')
      .fixed32Field(103, 1)
      .raw(group)
      .varintField(1, 42);
    const r = new ProtoReader(w.finish());
    for (let i = 0; i < 5; i++) r.skip(r.tag());
    expect(r.tag()).toBe(0x08);
    expect(r.varint32()).toBe(42);
    expect(r.more()).toBe(false);
  });

  it('rejects mismatched, unterminated and too deeply nested groups', () => {
    const mismatched = new ProtoWriter().tag(1, 3).tag(2, 4).finish();
    expect(() => new ProtoReader(mismatched).skip(new ProtoReader(mismatched).tag())).toThrow(/mismatched end-group/);
    const unterminated = new ProtoReader(new ProtoWriter().tag(1, 3).varintField(2, 1).finish());
    expect(() => unterminated.skip(unterminated.tag())).toThrow(DecodeError);
    const deep = new ProtoWriter();
    for (let i = 0; i < 100_000; i++) deep.tag(1, 3);
    const r = new ProtoReader(deep.finish());
    expect(() => r.skip(r.tag())).toThrow(/groups nested deeper than 64/);
  });
});
