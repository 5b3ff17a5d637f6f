import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { decodeJsonLogs } from './decode-logs-json.ts';
import { decodeProtobufLogs } from './decode-logs-protobuf.ts';
import { expectSdkLogsDecoded, handBuiltLogRecord, sdkLogRecords, SPAN_ID, TRACE_ID } from './decode-logs-test-fixtures.ts';
import { DecodeError } from './span.ts';
import { expectValueSwapsDecodeOrDecodeError } from '../testing/json-value-swaps.ts';

/** A one-record request around `record`, under a resource and scope. */
const one = (record: Record<string, unknown>) =>
  JSON.stringify({ resourceLogs: [{ resource: { attributes: [] }, scopeLogs: [{ scope: { name: 'lib' }, logRecords: [record] }] }] });

describe('decodeJsonLogs with real SDK output', () => {
  it('decodes JsonLogsSerializer output exactly (bytes or string)', () => {
    const bytes = JsonLogsSerializer.serializeRequest(sdkLogRecords())!;
    expectSdkLogsDecoded(decodeJsonLogs(bytes));
    expectSdkLogsDecoded(decodeJsonLogs(Buffer.from(bytes).toString('utf8')));
  });

  it('matches the protobuf decoder on the same records', () => {
    const recorded = sdkLogRecords();
    expect(decodeJsonLogs(JsonLogsSerializer.serializeRequest(recorded)!)).toEqual(decodeProtobufLogs(ProtobufLogsSerializer.serializeRequest(recorded)!));
  });

  it('accepts trace and span ids in upper-case hex', () => {
    const text = Buffer.from(JsonLogsSerializer.serializeRequest(sdkLogRecords())!).toString('utf8');
    const upper = text.replace(/"(traceId|spanId)":"([0-9a-f]+)"/g, (_, key: string, id: string) => `"${key}":"${id.toUpperCase()}"`);
    expect(upper).toContain(`"traceId":"${TRACE_ID.toUpperCase()}"`);
    expectSdkLogsDecoded(decodeJsonLogs(upper));
  });
});

describe('decodeJsonLogs record validation', () => {
  it('rejects a record with a bad id alone, by its request-wide index; all-zero ids mean absent', () => {
    const bytes = JsonLogsSerializer.serializeRequest([
      handBuiltLogRecord('ok0', TRACE_ID, SPAN_ID),
      handBuiltLogRecord('short trace', '0102030405', SPAN_ID),
      handBuiltLogRecord('zeros', '0'.repeat(32), '0'.repeat(16)),
      handBuiltLogRecord('not hex', TRACE_ID, 'zz'.repeat(8), 'second-scope'),
      handBuiltLogRecord('odd hex', TRACE_ID, SPAN_ID + 'a', 'second-scope'),
      handBuiltLogRecord('ok5', TRACE_ID, SPAN_ID, 'second-scope'),
    ])!;
    const { records, rejected } = decodeJsonLogs(bytes);
    expect(rejected).toEqual([
      { index: 1, reason: 'log record 1: trace_id must be 16 bytes or empty, got 5' },
      { index: 3, reason: `log record 3: span_id must be a hex string, got "${'zz'.repeat(8)}"` },
      { index: 4, reason: `log record 4: span_id must be a hex string, got "${SPAN_ID}a"` },
    ]);
    expect(records.map((r) => r.body)).toEqual(['ok0', 'zeros', 'ok5']);
    expect(records[1]).toMatchObject({ traceId: '', spanId: '' });
    expect(records[2]).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID });
  });

  it('rejects a record with a bad value alone and keeps its neighbours', () => {
    const request = JSON.stringify({
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { body: { stringValue: 'kept' } },
                { body: { intValue: 'twelve' } },
                { timeUnixNano: -1 },
                { severityNumber: 'LOUD' },
                { body: { stringValue: 'also kept' } },
              ],
            },
          ],
        },
      ],
    });
    const { records, rejected } = decodeJsonLogs(request);
    expect(rejected).toEqual([
      { index: 1, reason: 'log record 1: body.intValue must be a 64-bit integer, got "twelve"' },
      { index: 2, reason: 'log record 2: time_unix_nano must be an unsigned 64-bit integer, got -1' },
      { index: 3, reason: 'log record 3: severity_number must be an integer enum value, got "LOUD"' },
    ]);
    expect(records.map((r) => r.body)).toEqual(['kept', 'also kept']);
  });
});

describe('decodeJsonLogs hand-written requests', () => {
  it('accepts int64 as string or number, snake_case keys, severity names, and maps unknown severities to 0', () => {
    const { records, rejected } = decodeJsonLogs(
      JSON.stringify({
        resource_logs: [
          {
            scope_logs: [
              {
                log_records: [
                  {
                    time_unix_nano: '1700000000123456789',
                    observed_time_unix_nano: 1_700_000_001_000_000_000,
                    severity_number: 'SEVERITY_NUMBER_WARN',
                    severity_text: 'WARNING',
                    event_name: 'snake.event',
                    trace_id: TRACE_ID,
                    span_id: SPAN_ID,
                    body: { int_value: '9223372036854775807' },
                    flags: 1,
                  },
                  { severityNumber: 24, body: { intValue: -5 } },
                  { severityNumber: 25 },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(rejected).toEqual([]);
    expect(records[0]).toMatchObject({
      timeUnixNano: 1_700_000_000_123_456_789n,
      observedTimeUnixNano: 1_700_000_001_000_000_000n,
      severityNumber: 13,
      severityText: 'WARNING',
      eventName: 'snake.event',
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      body: 2n ** 63n - 1n,
      flags: 1,
    });
    expect(records[1]).toMatchObject({ severityNumber: 24, body: -5 });
    expect(records[2].severityNumber).toBe(0);
  });

  it('takes event.name from the attributes only when eventName is empty, and only a string', () => {
    const attrs = (value: Record<string, unknown>) => [{ key: 'event.name', value }];
    const names = [
      { attributes: attrs({ stringValue: 'from.attribute' }) },
      { eventName: '', attributes: attrs({ stringValue: 'from.attribute' }) },
      { eventName: 'from.field', attributes: attrs({ stringValue: 'from.attribute' }) },
      { attributes: attrs({ intValue: 3 }) },
      {},
    ].map((record) => decodeJsonLogs(one(record)).records[0].eventName);
    expect(names).toEqual(['from.attribute', 'from.attribute', 'from.field', '', '']);
  });

  it('decodes a missing body as null and an empty AnyValue as null', () => {
    expect(decodeJsonLogs(one({})).records[0].body).toBeNull();
    expect(decodeJsonLogs(one({ body: {} })).records[0].body).toBeNull();
  });
});

describe('decodeJsonLogs malformed requests', () => {
  it('throws DecodeError on truncated JSON and on a malformed envelope', () => {
    const bytes = JsonLogsSerializer.serializeRequest(sdkLogRecords())!;
    expect(() => decodeJsonLogs(bytes.subarray(0, bytes.length - 1))).toThrow(/request body is not valid JSON/);
    expect(() => decodeJsonLogs('[]')).toThrow(/must be a JSON object \(ExportLogsServiceRequest\)/);
    expect(() => decodeJsonLogs('{"resourceLogs":{}}')).toThrow(/resourceLogs must be an array/);
    expect(() => decodeJsonLogs('{"resourceLogs":[{"scopeLogs":[{"logRecords":[1]}]}]}')).toThrow(/resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\] must be an object/);
    expect(() => decodeJsonLogs('{"resourceLogs":[{"resource":{"attributes":7}}]}')).toThrow(/resourceLogs\[0\]\.resource: attributes must be an array/);
    expect(() => decodeJsonLogs('{"resourceLogs":[{"scopeLogs":[{"scope":{"name":5}}]}]}')).toThrow(DecodeError);
  });

  it('replacing any value with a value of another type only ever yields a result or DecodeError', () => {
    const valid = JSON.parse(Buffer.from(JsonLogsSerializer.serializeRequest(sdkLogRecords())!).toString('utf8'));
    expectValueSwapsDecodeOrDecodeError(valid, decodeJsonLogs, { seed: 11, swaps: 2_000 });
  });
});
