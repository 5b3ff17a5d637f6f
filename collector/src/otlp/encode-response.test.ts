import { JsonLogsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { encodeRpcStatusJson, encodeRpcStatusProtobuf, encodeExportResponseJson, encodeExportResponseProtobuf } from './encode-response.ts';
import { ProtoReader } from './protobuf-reader.ts';

/** Reads a flat message into {field: values[]} with the wire-appropriate reader for each field. */
function fields(bytes: Uint8Array): Record<number, (number | bigint | Uint8Array)[]> {
  const r = new ProtoReader(bytes);
  const out: Record<number, (number | bigint | Uint8Array)[]> = {};
  while (r.more()) {
    const tag = r.tag();
    const value = (tag & 7) === 0 ? r.int64() : (tag & 7) === 2 ? r.bytes() : (r.skip(tag), -1);
    (out[tag >>> 3] ??= []).push(value);
  }
  return out;
}
const text = (b: unknown) => Buffer.from(b as Uint8Array).toString('utf8');

describe('Export{Trace,Logs}ServiceResponse', () => {
  it('full success: empty protobuf body and {} JSON', () => {
    expect(encodeExportResponseProtobuf()).toEqual(new Uint8Array());
    expect(encodeExportResponseJson('traces')).toBe('{}');
  });

  it('partial success round-trips through the protobuf reader', () => {
    const bytes = encodeExportResponseProtobuf({ rejected: 3, errorMessage: 'span 1: trace_id must be 16 bytes, got 5' });
    const top = fields(bytes);
    expect(Object.keys(top)).toEqual(['1']);
    const partial = fields(top[1][0] as Uint8Array);
    expect(partial[1]).toEqual([3]);
    expect(text(partial[2][0])).toBe('span 1: trace_id must be 16 bytes, got 5');
  });

  it('encodes large int64 counts and JSON int64 as a string', () => {
    const bytes = encodeExportResponseProtobuf({ rejected: 2n ** 40n, errorMessage: '' });
    expect(fields(fields(bytes)[1][0] as Uint8Array)).toEqual({ 1: [2 ** 40] });
    expect(JSON.parse(encodeExportResponseJson('traces', { rejected: 3, errorMessage: 'bad ids' }))).toEqual({
      partialSuccess: { rejectedSpans: '3', errorMessage: 'bad ids' },
    });
    expect(JSON.parse(encodeExportResponseJson('logs', { rejected: 3, errorMessage: 'bad ids' }))).toEqual({
      partialSuccess: { rejectedLogRecords: '3', errorMessage: 'bad ids' },
    });
  });

  it('is readable by the OpenTelemetry exporter response parsers', () => {
    const partial = { rejected: 2, errorMessage: 'two bad' };
    const fromProto = ProtobufTraceSerializer.deserializeResponse(encodeExportResponseProtobuf(partial));
    expect(Number(fromProto.partialSuccess?.rejectedSpans)).toBe(2);
    expect(fromProto.partialSuccess?.errorMessage).toBe('two bad');
    const fromJson = JsonTraceSerializer.deserializeResponse(Buffer.from(encodeExportResponseJson('traces', partial)));
    expect(fromJson.partialSuccess?.errorMessage).toBe('two bad');
    const logsFromProto = ProtobufLogsSerializer.deserializeResponse(encodeExportResponseProtobuf(partial));
    expect(Number(logsFromProto.partialSuccess?.rejectedLogRecords)).toBe(2);
    const logsFromJson = JsonLogsSerializer.deserializeResponse(Buffer.from(encodeExportResponseJson('logs', partial)));
    expect(Number(logsFromJson.partialSuccess?.rejectedLogRecords)).toBe(2);
  });
});

describe('google.rpc.Status', () => {
  it('round-trips code, message and details through the protobuf reader', () => {
    const bytes = encodeRpcStatusProtobuf({
      code: 3,
      message: 'request body is not valid JSON',
      details: [{ typeUrl: 'type.googleapis.com/google.rpc.BadRequest', value: Uint8Array.from([1, 2]) }],
    });
    const status = fields(bytes);
    expect(status[1]).toEqual([3]);
    expect(text(status[2][0])).toBe('request body is not valid JSON');
    const any = fields(status[3][0] as Uint8Array);
    expect(text(any[1][0])).toBe('type.googleapis.com/google.rpc.BadRequest');
    expect(any[2][0]).toEqual(Uint8Array.from([1, 2]));
  });

  it('has the proto3 JSON shape', () => {
    expect(JSON.parse(encodeRpcStatusJson({ code: 3, message: 'bad' }))).toEqual({ code: 3, message: 'bad' });
    expect(JSON.parse(encodeRpcStatusJson({ code: 8, message: 'slow down', details: [{ typeUrl: 't/x', value: Uint8Array.from([255]) }] }))).toEqual({
      code: 8,
      message: 'slow down',
      details: [{ '@type': 't/x', value: '/w==' }],
    });
  });
});
