import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { decodeProtobufLogs } from './decode-logs-protobuf.ts';
import { expectSdkLogsDecoded, handBuiltLogRecord, sdkLogRecords, SPAN_ID, TRACE_ID } from './decode-logs-test-fixtures.ts';
import type { DecodedLogs } from './log-record.ts';
import { ProtoWriter } from './protobuf-writer.ts';
import { seededRandom as prng } from '../testing/seeded-random.ts';
import { DecodeError } from './span.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

/** ExportLogsServiceRequest with one resource and one scope around the LogRecords written by `records`. */
function request(...records: ((w: ProtoWriter) => void)[]): Uint8Array {
  return new ProtoWriter()
    .messageField(1, (rl) => rl.messageField(2, (sl) => records.forEach((write) => sl.messageField(2, write))))
    .finish();
}

/** Decodes, and requires that any failure is a DecodeError (never a RangeError, TypeError, stack overflow...). */
function decodeOrDecodeError(bytes: Uint8Array): DecodedLogs | DecodeError {
  try {
    return decodeProtobufLogs(bytes);
  } catch (err) {
    if (!(err instanceof DecodeError)) throw new Error(`non-DecodeError for ${Buffer.from(bytes).toString('hex').slice(0, 200)}: ${err}`);
    return err;
  }
}

describe('decodeProtobufLogs with real SDK output', () => {
  it('decodes ProtobufLogsSerializer output exactly', () => {
    expectSdkLogsDecoded(decodeProtobufLogs(ProtobufLogsSerializer.serializeRequest(sdkLogRecords())!));
  });

  it('accepts a Buffer that is a view into a larger allocation', () => {
    const bytes = ProtobufLogsSerializer.serializeRequest(sdkLogRecords())!;
    const pooled = Buffer.alloc(bytes.length + 100, 0xff);
    pooled.set(bytes, 50);
    expectSdkLogsDecoded(decodeProtobufLogs(pooled.subarray(50, 50 + bytes.length)));
  });
});

describe('decodeProtobufLogs record validation', () => {
  it('rejects a record with a bad id alone, by its request-wide index; all-zero ids mean absent', () => {
    const bytes = ProtobufLogsSerializer.serializeRequest([
      handBuiltLogRecord('ok0', TRACE_ID, SPAN_ID),
      handBuiltLogRecord('short trace', '0102030405', SPAN_ID),
      handBuiltLogRecord('zeros', '0'.repeat(32), '0'.repeat(16)),
      handBuiltLogRecord('long span', TRACE_ID, SPAN_ID + '00', 'second-scope'),
      handBuiltLogRecord('ok4', TRACE_ID, SPAN_ID, 'second-scope'),
    ])!;
    const { records, rejected } = decodeProtobufLogs(bytes);
    expect(rejected).toEqual([
      { index: 1, reason: 'log record 1: trace_id must be 16 bytes or empty, got 5' },
      { index: 3, reason: 'log record 3: span_id must be 8 bytes or empty, got 9' },
    ]);
    expect(records.map((r) => r.body)).toEqual(['ok0', 'zeros', 'ok4']);
    expect(records[1]).toMatchObject({ traceId: '', spanId: '' });
    expect(records[2]).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID });
    expect(records[2].scope.name).toBe('second-scope');
  });

  it('keeps a record without trace context, and one with a trace id but no span id', () => {
    const { records, rejected } = decodeProtobufLogs(request((lr) => lr.bytesField(3, 'a'), (lr) => lr.bytesField(9, hex(TRACE_ID))));
    expect(rejected).toEqual([]);
    expect(records.map((r) => [r.traceId, r.spanId])).toEqual([['', ''], [TRACE_ID, '']]);
  });

  it('returns nothing for an empty request or empty groups', () => {
    expect(decodeProtobufLogs(new Uint8Array())).toEqual({ records: [], rejected: [] });
    expect(decodeProtobufLogs(new ProtoWriter().messageField(1, (rl) => rl.messageField(2, () => {})).finish())).toEqual({ records: [], rejected: [] });
  });
});

describe('decodeProtobufLogs field handling', () => {
  it('reads every LogRecord field by its number, skipping the retired name=4 and unknown fields', () => {
    const [record] = decodeProtobufLogs(
      request((lr) =>
        lr
          .fixed64Field(1, 1_700_000_000_000_000_001n)
          .varintField(2, 17)
          .bytesField(3, 'ERROR')
          .bytesField(4, 'retired name field')
          .messageField(5, (v) => v.bytesField(1, 'body'))
          .messageField(6, (kv) => kv.bytesField(1, 'k').messageField(2, (v) => v.varintField(3, -3)))
          .varintField(7, 2)
          .fixed32Field(8, 0x101)
          .bytesField(9, hex(TRACE_ID))
          .bytesField(10, hex(SPAN_ID))
          .fixed64Field(11, 1_700_000_000_000_000_002n)
          .bytesField(12, 'my.event')
          .varintField(900, 5)
          .bytesField(901, 'unknown'),
      ),
    ).records;
    expect(record).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      timeUnixNano: 1_700_000_000_000_000_001n,
      observedTimeUnixNano: 1_700_000_000_000_000_002n,
      severityNumber: 17,
      severityText: 'ERROR',
      eventName: 'my.event',
      body: 'body',
      attributes: { k: -3 },
      flags: 0x101,
      resource: { attributes: {}, schemaUrl: '' },
      scope: { name: '', version: '', attributes: {}, schemaUrl: '' },
    });
  });

  it('maps an unknown severity number to 0, skips a known field with the wrong wire type, ignores a non-string event.name', () => {
    const [record] = decodeProtobufLogs(
      request((lr) =>
        lr
          .varintField(2, 99)
          .varintField(12, 1) // event_name as a varint: skipped
          .messageField(6, (kv) => kv.bytesField(1, 'event.name').messageField(2, (v) => v.varintField(3, 7))),
      ),
    ).records;
    expect(record).toMatchObject({ severityNumber: 0, eventName: '', attributes: { 'event.name': 7 } });
  });

  it('fills resource and scope that arrive after their records, still shared', () => {
    const w = new ProtoWriter().messageField(1, (rl) => {
      rl.messageField(2, (sl) => {
        sl.messageField(2, (lr) => lr.bytesField(3, 'a'));
        sl.messageField(2, (lr) => lr.bytesField(3, 'b'));
        sl.messageField(1, (sc) => sc.bytesField(1, 'late-scope').bytesField(2, '9.9'));
        sl.bytesField(3, 'https://scope-schema');
      });
      rl.messageField(1, (res) => res.messageField(1, (kv) => kv.bytesField(1, 'late').messageField(2, (v) => v.varintField(2, true))));
      rl.bytesField(3, 'https://resource-schema');
    });
    const { records } = decodeProtobufLogs(w.finish());
    expect(records[0].resource).toBe(records[1].resource);
    expect(records[0].scope).toBe(records[1].scope);
    expect(records[0].resource).toEqual({ attributes: { late: true }, schemaUrl: 'https://resource-schema' });
    expect(records[1].scope).toEqual({ name: 'late-scope', version: '9.9', attributes: {}, schemaUrl: 'https://scope-schema' });
  });
});

describe('decodeProtobufLogs wire robustness', () => {
  it('throws DecodeError on truncated bytes; every prefix decodes or throws DecodeError', () => {
    const bytes = ProtobufLogsSerializer.serializeRequest(sdkLogRecords())!;
    expect(() => decodeProtobufLogs(bytes.subarray(0, bytes.length - 1))).toThrow(DecodeError);
    expect(() => decodeProtobufLogs(bytes.subarray(0, bytes.length - 1))).toThrow(/invalid protobuf: .* at byte \d+/);
    let errors = 0;
    for (let n = 0; n < bytes.length; n++) if (decodeOrDecodeError(bytes.subarray(0, n)) instanceof DecodeError) errors++;
    expect(errors).toBeGreaterThan(bytes.length / 2); // most cuts land inside a length-delimited field
  });

  it('random mutations of a valid request only ever throw DecodeError', () => {
    const rand = prng(0x10c5);
    const valid = ProtobufLogsSerializer.serializeRequest(sdkLogRecords())!;
    for (let i = 0; i < 3_000; i++) {
      const bytes = valid.slice();
      for (let k = 1 + Math.floor(rand() * 4); k > 0; k--) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      decodeOrDecodeError(bytes);
    }
  });

  it('refuses a body nested deeper than the attribute limit with DecodeError', () => {
    let nested = (v: ProtoWriter) => v.bytesField(1, 'leaf');
    for (let i = 0; i < 100; i++) {
      const inner = nested;
      nested = (v: ProtoWriter) => v.messageField(5, (arr) => arr.messageField(1, inner));
    }
    expect(() => decodeProtobufLogs(request((lr) => lr.messageField(5, nested)))).toThrow(/nested deeper than 64/);
  });

  it('throws DecodeError on a JSON body sent as protobuf', () => {
    expect(() => decodeProtobufLogs(Buffer.from('{"resourceLogs":[]}'))).toThrow(DecodeError);
  });
});
