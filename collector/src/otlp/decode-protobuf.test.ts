import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { decodeProtobufTraces } from './decode-protobuf.ts';
import { ProtoWriter } from './protobuf-writer.ts';
import { seededRandom as prng } from '../testing/seeded-random.ts';
import { DecodeError, type DecodedTraces } from './span.ts';
import { ANY_VALUE_ATTRIBUTES, anyValueSpan, expectSdkSpansDecoded, sdkSpans } from './test-fixtures.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';

/** Appends one unknown field of every wire type (varint, fixed64, bytes, group, fixed32). */
function junk(w: ProtoWriter): void {
  w.varintField(900, -5n).fixed64Field(901, 7n).bytesField(902, 'unknown');
  w.tag(903, 3).varintField(1, 1).bytesField(2, 'in group').tag(903, 4);
  w.fixed32Field(904, 9);
}

interface SpanSpec {
  traceId?: string;
  spanId?: string;
  parent?: string;
  name?: string;
  start?: bigint;
  end?: bigint;
  linkTraceId?: string;
  attrs?: (kv: ProtoWriter) => void; // writes Span.attributes fields (9)
}

function writeSpan(w: ProtoWriter, s: SpanSpec, withJunk = false): void {
  w.bytesField(1, hex(s.traceId ?? TRACE)).bytesField(2, hex(s.spanId ?? SPAN));
  if (s.parent !== undefined) w.bytesField(4, hex(s.parent));
  w.bytesField(5, s.name ?? 'span');
  if (s.start !== 0n) w.fixed64Field(7, s.start ?? 1_000n);
  w.fixed64Field(8, s.end ?? 2_000n);
  s.attrs?.(w);
  if (s.linkTraceId !== undefined) w.messageField(13, (l) => l.bytesField(1, hex(s.linkTraceId!)).bytesField(2, hex(SPAN)));
  if (withJunk) junk(w);
}

/** ExportTraceServiceRequest with resourceSpans -> scopeSpans -> spans as nested arrays. */
function request(groups: SpanSpec[][][]): Uint8Array {
  const w = new ProtoWriter();
  for (const scopes of groups) {
    w.messageField(1, (rs) => {
      for (const spans of scopes) rs.messageField(2, (ss) => spans.forEach((s) => ss.messageField(2, (sp) => writeSpan(sp, s))));
    });
  }
  return w.finish();
}

/** One attribute `key` whose AnyValue body is written by `value`. */
const attr = (key: string, value: (v: ProtoWriter) => void) => (w: ProtoWriter) =>
  w.messageField(9, (kv) => kv.bytesField(1, key).messageField(2, value));

/** Decodes, and requires that any failure is a DecodeError (never a RangeError, TypeError, stack overflow...). */
function decodeOrDecodeError(bytes: Uint8Array): DecodedTraces | DecodeError {
  try {
    return decodeProtobufTraces(bytes);
  } catch (err) {
    if (!(err instanceof DecodeError)) throw new Error(`non-DecodeError for ${Buffer.from(bytes).toString('hex').slice(0, 200)}: ${err}`);
    return err;
  }
}

describe('decodeProtobufTraces with real SDK output', () => {
  it('decodes ProtobufTraceSerializer output exactly', () => {
    const recorded = sdkSpans();
    const bytes = ProtobufTraceSerializer.serializeRequest(recorded)!;
    expectSdkSpansDecoded(decodeProtobufTraces(bytes), recorded);
  });

  it('decodes every AnyValue type the transformer can emit', () => {
    const bytes = ProtobufTraceSerializer.serializeRequest([anyValueSpan()])!;
    const { spans, rejected } = decodeProtobufTraces(bytes);
    expect(rejected).toEqual([]);
    const [span] = spans;
    expect(span.attributes).toEqual(ANY_VALUE_ATTRIBUTES);
    expect(span.attributes.big).toBe(2n ** 60n);
    expect(span.attributes.bytes).toBeInstanceOf(Uint8Array);
    expect(Object.getPrototypeOf(span.attributes)).toBe(Object.prototype);
    expect(Object.keys(span.attributes)).toContain('__proto__');
    expect(span).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      parentSpanId: '00f067aa0ba902b7',
      kind: 4, // PRODUCER
      startTimeUnixNano: 1_712_345_678_987_654_321n,
      endTimeUnixNano: 1_712_345_679_000_000_001n,
      flags: 0x301, // sampled | HAS_IS_REMOTE | IS_REMOTE
    });
    expect(span.scope).toEqual({ name: 'scoped', version: '0.1.0', attributes: { 'scope.attr': 'x' }, schemaUrl: '' });
    expect(span.resource.attributes['service.name']).toBe('hand-built');
  });

  it('accepts a Buffer that is a view into a larger allocation', () => {
    const recorded = sdkSpans();
    const bytes = ProtobufTraceSerializer.serializeRequest(recorded)!;
    const pooled = Buffer.alloc(bytes.length + 100, 0xff);
    pooled.set(bytes, 50);
    expectSdkSpansDecoded(decodeProtobufTraces(pooled.subarray(50, 50 + bytes.length)), recorded);
  });
});

describe('decodeProtobufTraces value handling', () => {
  it('keeps int64 exact: number when safe, bigint beyond, both signs', () => {
    const ints = { safe: 2n ** 53n - 1n, over: 2n ** 53n + 1n, max: 2n ** 63n - 1n, min: -(2n ** 63n), neg: -7n, zero: 0n };
    const attrs = (w: ProtoWriter) => Object.entries(ints).forEach(([k, v]) => attr(k, (a) => a.varintField(3, v))(w));
    const [span] = decodeProtobufTraces(request([[[{ attrs }]]])).spans;
    expect(span.attributes).toEqual({
      safe: Number.MAX_SAFE_INTEGER,
      over: 2n ** 53n + 1n,
      max: 2n ** 63n - 1n,
      min: -(2n ** 63n),
      neg: -7,
      zero: 0,
    });
  });

  it('handles doubles, bools, bytes, empty values, strindex and oneof last-wins', () => {
    const attrs = (w: ProtoWriter) => {
      attr('nan', (a) => a.doubleField(4, NaN))(w);
      attr('negZero', (a) => a.doubleField(4, -0))(w);
      attr('inf', (a) => a.doubleField(4, Infinity))(w);
      attr('t', (a) => a.varintField(2, true))(w);
      attr('emptyBytes', (a) => a.bytesField(7, new Uint8Array()))(w);
      attr('empty', () => {})(w);
      attr('strindex', (a) => a.varintField(8, 3))(w);
      attr('lastWins', (a) => a.bytesField(1, 'first').varintField(3, 5))(w);
      w.messageField(9, (kv) => kv.bytesField(1, 'noValue'));
    };
    const [span] = decodeProtobufTraces(request([[[{ attrs }]]])).spans;
    expect(span.attributes).toEqual({
      nan: NaN,
      negZero: -0,
      inf: Infinity,
      t: true,
      emptyBytes: new Uint8Array(),
      empty: null,
      strindex: null,
      lastWins: 5,
      noValue: null,
    });
    expect(Object.is(span.attributes.negZero, -0)).toBe(true);
  });

  it('maps unknown enum numbers to 0 and keeps status message', () => {
    const w = new ProtoWriter().messageField(1, (rs) =>
      rs.messageField(2, (ss) =>
        ss.messageField(2, (s) => {
          writeSpan(s, {});
          s.varintField(6, 9).messageField(15, (st) => st.bytesField(2, 'odd').varintField(3, 7));
        }),
      ),
    );
    const [span] = decodeProtobufTraces(w.finish()).spans;
    expect(span.kind).toBe(0);
    expect(span.status).toEqual({ code: 0, message: 'odd' });
  });
});

describe('decodeProtobufTraces span validation', () => {
  it('rejects invalid spans with their request-wide index and keeps the others', () => {
    const bytes = request([
      [
        [{ name: 'ok0' }, { traceId: '0102030405' }],
        [{ name: 'ok2' }, { traceId: '0'.repeat(32) }],
      ],
      [
        [
          { spanId: '' },
          { parent: 'abcdef' },
          { start: 0n },
          { name: 'clamped', start: 5_000n, end: 4_000n },
          { spanId: '0'.repeat(16) },
          { linkTraceId: 'ff' },
          { name: 'zeroParent', parent: '0'.repeat(16) },
          { traceId: TRACE + '00' },
        ],
      ],
    ]);
    const { spans, rejected } = decodeProtobufTraces(bytes);
    expect(rejected).toEqual([
      { index: 1, reason: 'span 1: trace_id must be 16 bytes, got 5' },
      { index: 3, reason: 'span 3: trace_id must not be all zeros' },
      { index: 4, reason: 'span 4: span_id must be 8 bytes, got 0' },
      { index: 5, reason: 'span 5: parent_span_id must be 8 bytes or empty, got 3' },
      { index: 6, reason: 'span 6: start_time_unix_nano must be set' },
      { index: 8, reason: 'span 8: span_id must not be all zeros' },
      { index: 9, reason: 'span 9: links[0].trace_id must be 16 bytes, got 1' },
      { index: 11, reason: 'span 11: trace_id must be 16 bytes, got 17' },
    ]);
    expect(spans.map((s) => s.name)).toEqual(['ok0', 'ok2', 'clamped', 'zeroParent']);
    expect(spans[2].endTimeUnixNano).toBe(5_000n); // end < start: kept, end clamped to start
    expect(spans[3].parentSpanId).toBe(''); // all-zero parent = root
  });

  it('returns nothing for an empty request or empty groups', () => {
    expect(decodeProtobufTraces(new Uint8Array())).toEqual({ spans: [], rejected: [] });
    expect(decodeProtobufTraces(request([[], [[]]]))).toEqual({ spans: [], rejected: [] });
  });
});

describe('decodeProtobufTraces wire robustness', () => {
  it('skips unknown fields of every wire type at every message level', () => {
    const build = (withJunk: boolean) => {
      const j = (w: ProtoWriter) => withJunk && junk(w);
      const anyWith = (write: (v: ProtoWriter) => void) => (v: ProtoWriter) => (write(v), j(v));
      const w = new ProtoWriter();
      j(w);
      w.messageField(1, (rs) => {
        j(rs);
        rs.messageField(1, (res) => (j(res), res.messageField(1, (kv) => (kv.bytesField(1, 'service.name'), j(kv), kv.messageField(2, anyWith((v) => v.bytesField(1, 'svc')))))));
        rs.messageField(2, (ss) => {
          ss.messageField(1, (sc) => (sc.bytesField(1, 'lib'), j(sc), sc.bytesField(2, '1.0')));
          j(ss);
          ss.messageField(2, (s) => {
            writeSpan(s, {}, withJunk);
            s.messageField(9, (kv) =>
              kv.bytesField(1, 'nested').messageField(
                2,
                anyWith((v) =>
                  v.messageField(5, (arr) => {
                    j(arr);
                    arr.messageField(1, anyWith((x) => x.varintField(3, 1)));
                    arr.messageField(1, anyWith((x) => x.messageField(6, (kvl) => (j(kvl), kvl.messageField(1, (e) => e.bytesField(1, 'k').messageField(2, anyWith((y) => y.varintField(2, true))))))));
                  }),
                ),
              ),
            );
            s.messageField(11, (e) => (e.fixed64Field(1, 1_500n), j(e), e.bytesField(2, 'evt')));
            s.messageField(13, (l) => (l.bytesField(1, hex(TRACE)), j(l), l.bytesField(2, hex(SPAN)), l.fixed32Field(6, 1)));
            s.messageField(15, (st) => (j(st), st.varintField(3, 2)));
          });
        });
        rs.bytesField(3, 'https://schema');
      });
      return w.finish();
    };
    const plain = decodeProtobufTraces(build(false));
    const withJunk = decodeProtobufTraces(build(true));
    expect(withJunk).toEqual(plain);
    const [span] = withJunk.spans;
    expect(span.attributes).toEqual({ nested: [1, { k: true }] });
    expect(span.events).toEqual([{ timeUnixNano: 1_500n, name: 'evt', attributes: {} }]);
    expect(span.links).toEqual([{ traceId: TRACE, spanId: SPAN, attributes: {}, traceState: '', flags: 1 }]);
    expect(span.status.code).toBe(2);
    expect(span.resource).toEqual({ attributes: { 'service.name': 'svc' }, schemaUrl: 'https://schema' });
    expect(span.scope).toEqual({ name: 'lib', version: '1.0', attributes: {}, schemaUrl: '' });
  });

  it('skips a known field sent with the wrong wire type', () => {
    const w = new ProtoWriter().messageField(1, (rs) => rs.messageField(2, (ss) => ss.messageField(2, (s) => writeSpan(s.varintField(5, 1), {}))));
    expect(decodeProtobufTraces(w.finish()).spans[0].name).toBe('span'); // the varint "name" was ignored
  });

  it('fills resource and scope that arrive after their spans, still shared', () => {
    const w = new ProtoWriter().messageField(1, (rs) => {
      rs.messageField(2, (ss) => {
        ss.messageField(2, (s) => writeSpan(s, { name: 'a' }));
        ss.messageField(2, (s) => writeSpan(s, { name: 'b' }));
        ss.messageField(1, (sc) => sc.bytesField(1, 'late-scope'));
      });
      rs.messageField(1, (res) => res.messageField(1, (kv) => kv.bytesField(1, 'late').messageField(2, (v) => v.varintField(2, true))));
    });
    const { spans } = decodeProtobufTraces(w.finish());
    expect(spans[0].resource).toBe(spans[1].resource);
    expect(spans[0].scope).toBe(spans[1].scope);
    expect(spans[0].resource.attributes).toEqual({ late: true });
    expect(spans[1].scope.name).toBe('late-scope');
  });

  it('every truncated prefix of a valid request decodes or throws DecodeError', () => {
    for (const bytes of [ProtobufTraceSerializer.serializeRequest(sdkSpans())!, ProtobufTraceSerializer.serializeRequest([anyValueSpan()])!]) {
      let errors = 0;
      for (let n = 0; n < bytes.length; n++) if (decodeOrDecodeError(bytes.subarray(0, n)) instanceof DecodeError) errors++;
      expect(errors).toBeGreaterThan(bytes.length / 2); // most cuts land inside a length-delimited field
      expect(decodeOrDecodeError(bytes)).not.toBeInstanceOf(DecodeError);
    }
  });

  it('random bytes and random mutations only ever throw DecodeError', () => {
    const rand = prng(0xc0ffee);
    for (let i = 0; i < 5_000; i++) {
      const bytes = new Uint8Array(Math.floor(rand() * 256));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rand() * 256);
      decodeOrDecodeError(bytes);
    }
    const valid = ProtobufTraceSerializer.serializeRequest([...sdkSpans(), anyValueSpan()])!;
    for (let i = 0; i < 5_000; i++) {
      const bytes = valid.slice();
      for (let k = 1 + Math.floor(rand() * 4); k > 0; k--) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      decodeOrDecodeError(bytes);
    }
  });

  it('refuses AnyValue arrays nested 100k deep with DecodeError (no stack overflow), accepts 60', () => {
    const nested = (depth: number): Uint8Array => {
      // Built inside-out: AnyValue{array_value=5: ArrayValue{values=1: <inner AnyValue>}}.
      let inner: Uint8Array = new Uint8Array();
      const chunks: Uint8Array[] = [];
      let size = 0;
      for (let i = 0; i < depth; i++) {
        const arrayValue = new ProtoWriter().tag(1, 2).varint(size).finish();
        const anyValue = new ProtoWriter().tag(5, 2).varint(size + arrayValue.length).finish();
        chunks.push(arrayValue, anyValue);
        size += arrayValue.length + anyValue.length;
      }
      inner = new Uint8Array(size);
      let pos = 0;
      for (let i = chunks.length - 1; i >= 0; i--) inner.set(chunks[i], (pos += chunks[i].length) - chunks[i].length);
      return request([[[{ attrs: (w) => w.messageField(9, (kv) => kv.bytesField(1, 'deep').bytesField(2, inner)) }]]]);
    };
    expect(() => decodeProtobufTraces(nested(100_000))).toThrow(/nested deeper than 64/);
    let value = decodeProtobufTraces(nested(60)).spans[0].attributes.deep;
    for (let i = 0; i < 59; i++) value = (value as unknown[])[0] as typeof value;
    expect(value).toEqual([null]);
  });

  it('throws DecodeError on a JSON body sent as protobuf', () => {
    expect(() => decodeProtobufTraces(Buffer.from('{"resourceSpans":[]}'))).toThrow(DecodeError);
  });
});
