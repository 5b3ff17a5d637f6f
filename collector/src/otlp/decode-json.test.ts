import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { decodeJsonTraces } from './decode-json.ts';
import { decodeProtobufTraces } from './decode-protobuf.ts';
import { DecodeError } from './span.ts';
import { ANY_VALUE_ATTRIBUTES, anyValueSpan, expectSdkSpansDecoded, sdkSpans } from './test-fixtures.ts';
import { expectValueSwapsDecodeOrDecodeError } from '../testing/json-value-swaps.ts';

const TRACE = '5B8EFFF798038103D269B633813FC60C';
const SPAN = 'EEE19B7EC3C1B174';

/** A one-span request around `span` (merged over valid defaults). */
const one = (span: Record<string, unknown>, scope: Record<string, unknown> = {}) =>
  JSON.stringify({
    resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope, spans: [{ traceId: TRACE, spanId: SPAN, startTimeUnixNano: '1000', ...span }] }] }],
  });

describe('decodeJsonTraces with real SDK output', () => {
  it('decodes JsonTraceSerializer output exactly (bytes or string)', () => {
    const recorded = sdkSpans();
    const bytes = JsonTraceSerializer.serializeRequest(recorded)!;
    expectSdkSpansDecoded(decodeJsonTraces(bytes), recorded);
    expectSdkSpansDecoded(decodeJsonTraces(Buffer.from(bytes).toString('utf8')), recorded);
  });

  it('decodes every AnyValue type the transformer can emit, identically to the protobuf decoder', () => {
    const span = anyValueSpan();
    const fromJson = decodeJsonTraces(JsonTraceSerializer.serializeRequest([span])!);
    expect(fromJson.spans[0].attributes).toEqual(ANY_VALUE_ATTRIBUTES);
    expect(fromJson.spans[0].attributes.bytes).toBeInstanceOf(Uint8Array);
    expect(fromJson).toEqual(decodeProtobufTraces(ProtobufTraceSerializer.serializeRequest([span])!));
  });

  it('matches the protobuf decoder on the SDK spans too', () => {
    const recorded = sdkSpans();
    expect(decodeJsonTraces(JsonTraceSerializer.serializeRequest(recorded)!)).toEqual(
      decodeProtobufTraces(ProtobufTraceSerializer.serializeRequest(recorded)!),
    );
  });
});

describe('decodeJsonTraces hostile input', () => {
  it('replacing any value with a value of another type only ever yields a result or DecodeError', () => {
    const valid = JSON.parse(Buffer.from(JsonTraceSerializer.serializeRequest([...sdkSpans(), anyValueSpan()])!).toString('utf8'));
    expectValueSwapsDecodeOrDecodeError(valid, decodeJsonTraces, { seed: 7, swaps: 3_000 });
  });
});

describe('decodeJsonTraces hand-written requests', () => {
  it('accepts int64 as string or number, uppercase hex, integer enums', () => {
    const { spans, rejected } = decodeJsonTraces(
      one({
        parentSpanId: 'ABCDEF0123456789',
        kind: 3,
        startTimeUnixNano: '1700000000123456789',
        endTimeUnixNano: 1_700_000_001_000_000_000,
        status: { code: 2, message: 'bad' },
        attributes: [
          { key: 'str', value: { intValue: '9007199254740993' } },
          { key: 'num', value: { intValue: 42 } },
          { key: 'negStr', value: { intValue: '-9223372036854775808' } },
          { key: 'safeStr', value: { intValue: '-12' } },
          { key: 'nan', value: { doubleValue: 'NaN' } },
          { key: 'inf', value: { doubleValue: 'Infinity' } },
          { key: 'ninf', value: { doubleValue: '-Infinity' } },
          { key: 'dstr', value: { doubleValue: '1.5' } },
          { key: 'd', value: { doubleValue: 2 } },
          { key: 'b64', value: { bytesValue: 'AAH+/w==' } },
          { key: 'b64url', value: { bytesValue: 'AAH-_w' } },
          { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'x' }, {}, { arrayValue: {} }] } } },
          { key: 'kv', value: { kvlistValue: { values: [{ key: 'inner', value: { boolValue: false } }] } } },
          { key: 'none' },
        ],
      }),
    );
    expect(rejected).toEqual([]);
    expect(spans[0]).toMatchObject({
      traceId: TRACE.toLowerCase(),
      spanId: SPAN.toLowerCase(),
      parentSpanId: 'abcdef0123456789',
      kind: 3,
      startTimeUnixNano: 1_700_000_000_123_456_789n,
      endTimeUnixNano: 1_700_000_001_000_000_000n,
      status: { code: 2, message: 'bad' },
    });
    expect(spans[0].attributes).toEqual({
      str: 9007199254740993n,
      num: 42,
      negStr: -(2n ** 63n),
      safeStr: -12,
      nan: NaN,
      inf: Infinity,
      ninf: -Infinity,
      dstr: 1.5,
      d: 2,
      b64: Uint8Array.from([0, 1, 254, 255]),
      b64url: Uint8Array.from([0, 1, 254, 255]),
      arr: ['x', null, []],
      kv: { inner: false },
      none: null,
    });
  });

  it('accepts snake_case field names everywhere', () => {
    const body = JSON.stringify({
      resource_spans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { string_value: 'svc' } }] },
          schema_url: 'https://r',
          scope_spans: [
            {
              scope: { name: 'lib' },
              schema_url: 'https://s',
              spans: [
                {
                  trace_id: TRACE,
                  span_id: SPAN,
                  parent_span_id: '',
                  trace_state: 'k=v',
                  name: 'snake',
                  start_time_unix_nano: '10',
                  end_time_unix_nano: '20',
                  attributes: [
                    { key: 'i', value: { int_value: '7' } },
                    { key: 'a', value: { array_value: { values: [{ bool_value: true }, { double_value: 0.5 }] } } },
                    { key: 'k', value: { kvlist_value: { values: [{ key: 'b', value: { bytes_value: 'AQ==' } }] } } },
                  ],
                  events: [{ time_unix_nano: '15', name: 'e' }],
                  links: [{ trace_id: TRACE, span_id: SPAN, trace_state: 'x=y' }],
                  dropped_attributes_count: 3,
                },
              ],
            },
          ],
        },
      ],
    });
    const [span] = decodeJsonTraces(body).spans;
    expect(span).toMatchObject({ name: 'snake', traceState: 'k=v', startTimeUnixNano: 10n, endTimeUnixNano: 20n });
    expect(span.attributes).toEqual({ i: 7, a: [true, 0.5], k: { b: Uint8Array.from([1]) } });
    expect(span.events).toEqual([{ timeUnixNano: 15n, name: 'e', attributes: {} }]);
    expect(span.links).toEqual([{ traceId: TRACE.toLowerCase(), spanId: SPAN.toLowerCase(), attributes: {}, traceState: 'x=y', flags: 0 }]);
    expect(span.resource).toEqual({ attributes: { 'service.name': 'svc' }, schemaUrl: 'https://r' });
    expect(span.scope).toEqual({ name: 'lib', version: '', attributes: {}, schemaUrl: 'https://s' });
  });

  it('ignores unknown fields and tolerates enum names and null fields', () => {
    const { spans } = decodeJsonTraces(
      one({ kind: 'SPAN_KIND_CONSUMER', status: { code: 'STATUS_CODE_OK' }, whatever: { deep: [1] }, events: null, attributes: [{ key: 'x', value: { stringValue: 'y', extra: 1 } }] }),
    );
    expect(spans[0]).toMatchObject({ kind: 5, status: { code: 1, message: '' }, events: [], attributes: { x: 'y' } });
  });

  it('rejects bad spans with request-wide indices, keeps the rest', () => {
    const span = (extra: Record<string, unknown>) => ({ traceId: TRACE, spanId: SPAN, startTimeUnixNano: '1000', name: 'ok', ...extra });
    const body = JSON.stringify({
      resourceSpans: [
        { scopeSpans: [{ spans: [span({}), span({ traceId: '0102030405' })] }, { spans: [span({ traceId: 'zz'.repeat(16) })] }] },
        {
          scopeSpans: [
            {
              spans: [
                span({ startTimeUnixNano: undefined }),
                span({ name: 'clamped', endTimeUnixNano: '999' }),
                span({ spanId: '0000000000000000' }),
                span({ attributes: [{ key: 'n', value: { intValue: 'twelve' } }] }),
                span({ kind: 'server' }),
                span({ startTimeUnixNano: '-5' }),
                span({ parentSpanId: 'abc' }),
                span({ attributes: [{ key: 'n', value: { intValue: '9223372036854775808' } }] }),
                span({ name: 7 }),
              ],
            },
          ],
        },
      ],
    });
    const { spans, rejected } = decodeJsonTraces(body);
    expect(rejected).toEqual([
      { index: 1, reason: 'span 1: trace_id must be 16 bytes, got 5' },
      { index: 2, reason: `span 2: trace_id must be a hex string, got "${'z'.repeat(32)}"` },
      { index: 3, reason: 'span 3: start_time_unix_nano must be set' },
      { index: 5, reason: 'span 5: span_id must not be all zeros' },
      { index: 6, reason: 'span 6: attributes[0].value.intValue must be a 64-bit integer, got "twelve"' },
      { index: 7, reason: 'span 7: kind must be an integer enum value, got "server"' },
      { index: 8, reason: 'span 8: start_time_unix_nano must be an unsigned 64-bit integer, got "-5"' },
      { index: 9, reason: 'span 9: parent_span_id must be a hex string, got "abc"' },
      { index: 10, reason: 'span 10: attributes[0].value.intValue must be a 64-bit integer, got "9223372036854775808"' },
      { index: 11, reason: 'span 11: name must be a string, got 7' },
    ]);
    expect(spans.map((s) => s.name)).toEqual(['ok', 'clamped']);
    expect(spans[1].endTimeUnixNano).toBe(1000n);
  });

  it('returns nothing for empty requests', () => {
    expect(decodeJsonTraces('{}')).toEqual({ spans: [], rejected: [] });
    expect(decodeJsonTraces('{"resourceSpans":[]}')).toEqual({ spans: [], rejected: [] });
    expect(decodeJsonTraces('{"resourceSpans":[{"scopeSpans":[{}]}]}')).toEqual({ spans: [], rejected: [] });
  });

  it('throws DecodeError for non-JSON and wrong structure', () => {
    const cases: [string | Uint8Array, RegExp][] = [
      ['', /not valid JSON/],
      ['{"resourceSpans": [', /not valid JSON/],
      [Uint8Array.from([0x0a, 0x00, 0xff]), /not valid JSON/],
      ['[]', /must be a JSON object/],
      ['null', /must be a JSON object/],
      ['"x"', /must be a JSON object/],
      ['{"resourceSpans": {}}', /resourceSpans must be an array/],
      ['{"resourceSpans": [1]}', /resourceSpans\[0\] must be an object/],
      ['{"resourceSpans": [{"scopeSpans": "x"}]}', /resourceSpans\[0\].scopeSpans must be an array/],
      ['{"resourceSpans": [{"scopeSpans": [{"spans": [[]]}]}]}', /resourceSpans\[0\].scopeSpans\[0\].spans\[0\] must be an object/],
      ['{"resourceSpans": [{"resource": {"attributes": [{"key": "a", "value": {"intValue": "x"}}]}}]}', /resourceSpans\[0\].resource: attributes\[0\].value.intValue must be a 64-bit integer/],
      ['{"resourceSpans": [{"scopeSpans": [{"scope": {"name": 5}}]}]}', /resourceSpans\[0\].scopeSpans\[0\].scope: name must be a string/],
    ];
    for (const [body, message] of cases) expect(() => decodeJsonTraces(body), String(body)).toThrow(message);
    for (const [body] of cases) expect(() => decodeJsonTraces(body)).toThrow(DecodeError);
  });

  it('refuses AnyValue arrays nested 100k deep with DecodeError (no stack overflow)', () => {
    const depth = 100_000;
    const value = '{"arrayValue":{"values":['.repeat(depth) + '{}' + ']}}'.repeat(depth);
    const body = one({}).replace('"startTimeUnixNano":"1000"', `"startTimeUnixNano":"1000","attributes":[{"key":"deep","value":${value}}]`);
    expect(() => decodeJsonTraces(body)).toThrow(DecodeError);
    expect(() => decodeJsonTraces(body)).toThrow(/nested deeper than 64/);
  });

  it('keeps "__proto__" attribute keys as data', () => {
    const { spans } = decodeJsonTraces(one({ attributes: [{ key: '__proto__', value: { kvlistValue: { values: [{ key: 'polluted', value: { boolValue: true } }] } } }] }));
    expect(Object.getPrototypeOf(spans[0].attributes)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(spans[0].attributes, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
