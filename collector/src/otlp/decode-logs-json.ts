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
  decodeResource,
  decodeScope,
  enumValue,
  envelopeArray,
  envelopeObject,
  field,
  FieldError,
  hexId,
  parseJsonRequest,
  string,
  uint32,
  uint64,
  type Json,
} from './read-common-json.ts';
import type { SpanResource, SpanScope } from './span.ts';
import { rejectLogRecord, validateLogRecord } from './validate-log-record.ts';

/** SeverityNumber names by value, for senders that spell the enum out. */
const SEVERITY_NUMBER_NAMES = ['SEVERITY_NUMBER_UNSPECIFIED'].concat(
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].map((level) => [level, `${level}2`, `${level}3`, `${level}4`].map((n) => `SEVERITY_NUMBER_${n}`)),
);

export function decodeJsonLogs(body: string | Uint8Array): DecodedLogs {
  const root = parseJsonRequest(body, 'ExportLogsServiceRequest');
  const out: DecodedLogs = { records: [], rejected: [] };
  let index = 0; // record index across the whole request
  const resourceLogs = envelopeArray(field(root, 'resourceLogs', 'resource_logs'), 'resourceLogs');
  for (let i = 0; i < resourceLogs.length; i++) {
    const rlPath = `resourceLogs[${i}]`;
    const rl = envelopeObject(resourceLogs[i], rlPath);
    const resource = decodeResource(rl, rlPath);
    const scopeLogs = envelopeArray(field(rl, 'scopeLogs', 'scope_logs'), `${rlPath}.scopeLogs`);
    for (let j = 0; j < scopeLogs.length; j++) {
      const slPath = `${rlPath}.scopeLogs[${j}]`;
      const sl = envelopeObject(scopeLogs[j], slPath);
      const scope = decodeScope(sl, slPath);
      const logRecords = envelopeArray(field(sl, 'logRecords', 'log_records'), `${slPath}.logRecords`);
      for (let k = 0; k < logRecords.length; k++) {
        const raw = envelopeObject(logRecords[k], `${slPath}.logRecords[${k}]`);
        const recordIndex = index++;
        let problem: string | null;
        let record: DecodedLogRecord | undefined;
        try {
          record = decodeLogRecord(raw, resource, scope);
          problem = validateLogRecord(record);
        } catch (err) {
          if (!(err instanceof FieldError)) throw err;
          problem = err.message;
        }
        if (problem === null) out.records.push(record!);
        else out.rejected.push(rejectLogRecord(recordIndex, problem));
      }
    }
  }
  return out;
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
