/**
 * OTLP/protobuf ExportLogsServiceRequest -> internal log record model, straight from the wire bytes.
 * Field numbers: opentelemetry-proto v1.x logs.proto (event_name=12 since v1.5). Same techniques as the trace
 * decoder (decode-protobuf.ts): tags matched as whole varint values, so a known field sent with the wrong wire
 * type is skipped like an unknown one; wire-level damage throws DecodeError; a readable but invalid record is
 * rejected alone.
 */
import type { DecodedLogRecord, DecodedLogs } from './log-record.ts';
import type { ProtoReader } from './protobuf-reader.ts';
import { enumValue, readAnyValue, readExportRequest, readKeyValue, type ProtobufSignal } from './read-common-protobuf.ts';
import type { SpanResource, SpanScope } from './span.ts';
import { rejectLogRecord, validateLogRecord } from './validate-log-record.ts';

/** SeverityNumber runs 0 (unspecified) to 24 (FATAL4). */
const MAX_SEVERITY_NUMBER = 24;

/** ExportLogsServiceRequest{resource_logs=1: ResourceLogs{resource=1, scope_logs=2: ScopeLogs{scope=1, log_records=2}}}. */
const LOG_RECORDS: ProtobufSignal<DecodedLogRecord> = { read: readLogRecord, validate: validateLogRecord, reject: rejectLogRecord };

export function decodeProtobufLogs(bytes: Uint8Array): DecodedLogs {
  const { items, rejected } = readExportRequest(bytes, LOG_RECORDS);
  return { records: items, rejected };
}

function readLogRecord(r: ProtoReader, resource: SpanResource, scope: SpanScope): DecodedLogRecord {
  // Every field initialised in one literal so all records share one hidden class.
  const record: DecodedLogRecord = {
    traceId: '',
    spanId: '',
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    eventName: '',
    body: null,
    attributes: {},
    flags: 0,
    resource,
    scope,
  };
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case 0x09: record.timeUnixNano = r.fixed64(); break; // 1 time_unix_nano
      case 0x10: record.severityNumber = enumValue(r.varint32(), MAX_SEVERITY_NUMBER); break; // 2 severity_number
      case 0x1a: record.severityText = r.string(); break; // 3 severity_text
      case 0x2a: record.body = readAnyValue(r, 1); break; // 5 body (nested like an attribute value)
      case 0x32: readKeyValue(r, record.attributes, 0); break; // 6 attributes
      case 0x45: record.flags = r.fixed32(); break; // 8 flags
      case 0x4a: record.traceId = r.hex(); break; // 9 trace_id
      case 0x52: record.spanId = r.hex(); break; // 10 span_id
      case 0x59: record.observedTimeUnixNano = r.fixed64(); break; // 11 observed_time_unix_nano
      case 0x62: record.eventName = r.string(); break; // 12 event_name
      default: r.skip(tag); // dropped_attributes_count=7, the retired name=4, anything newer
    }
  }
  return record;
}
