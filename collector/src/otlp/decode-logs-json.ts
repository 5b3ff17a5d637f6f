/**
 * OTLP/JSON ExportLogsServiceRequest -> internal log record model. Same dialect and error rule as the trace
 * decoder (decode-json.ts): lowerCamelCase keys (snake_case accepted), hex ids, int64 as string or number,
 * enums as integers (names tolerated). A malformed envelope (root, resourceLogs/scopeLogs/logRecords arrays
 * and their objects, resource, scope) throws DecodeError; a bad value inside one record rejects that record.
 */
import type { DecodedLogRecord, DecodedLogs } from './log-record.ts';
import {
  anyValue,
  attributes,
  decodeExportRequest,
  enumValue,
  field,
  hexId,
  string,
  uint32,
  uint64,
  type Json,
  type JsonSignal,
} from './read-common-json.ts';
import type { SpanResource, SpanScope } from './span.ts';
import { rejectLogRecord, validateLogRecord } from './validate-log-record.ts';

/** SeverityNumber names by value, for senders that spell the enum out. */
const SEVERITY_NUMBER_NAMES = ['SEVERITY_NUMBER_UNSPECIFIED'].concat(
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].map((level) => [level, `${level}2`, `${level}3`, `${level}4`].map((n) => `SEVERITY_NUMBER_${n}`)),
);

const LOG_RECORDS: JsonSignal<DecodedLogRecord> = {
  message: 'ExportLogsServiceRequest',
  resourceGroups: ['resourceLogs', 'resource_logs'],
  scopeGroups: ['scopeLogs', 'scope_logs'],
  items: ['logRecords', 'log_records'],
  decode: decodeLogRecord,
  validate: validateLogRecord,
  reject: rejectLogRecord,
};

export function decodeJsonLogs(body: string | Uint8Array): DecodedLogs {
  const { items, rejected } = decodeExportRequest(body, LOG_RECORDS);
  return { records: items, rejected };
}

function decodeLogRecord(o: Json, resource: SpanResource, scope: SpanScope): DecodedLogRecord {
  return {
    traceId: hexId(field(o, 'traceId', 'trace_id'), 'trace_id'),
    spanId: hexId(field(o, 'spanId', 'span_id'), 'span_id'),
    timeUnixNano: uint64(field(o, 'timeUnixNano', 'time_unix_nano'), 'time_unix_nano'),
    observedTimeUnixNano: uint64(field(o, 'observedTimeUnixNano', 'observed_time_unix_nano'), 'observed_time_unix_nano'),
    severityNumber: enumValue(field(o, 'severityNumber', 'severity_number'), SEVERITY_NUMBER_NAMES, 'severity_number'),
    severityText: string(field(o, 'severityText', 'severity_text'), 'severity_text'),
    eventName: string(field(o, 'eventName', 'event_name'), 'event_name'),
    body: anyValue(o.body, 'body', 1), // nested like an attribute value
    attributes: attributes(o.attributes, 'attributes'),
    flags: uint32(o.flags, 'flags'),
    resource,
    scope,
  };
}
