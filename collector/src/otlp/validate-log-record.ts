/**
 * Per-record checks shared by the protobuf and JSON log decoders. A record that fails them is refused on its
 * own (reported through partial_success) so that one bad record does not cost the whole batch.
 */
import type { DecodedLogRecord, RejectedLogRecord } from './log-record.ts';

const ALL_ZEROS = /^0*$/;
/** Where events sent before event_name (proto 1.5) put their name. */
const EVENT_NAME_ATTRIBUTE = 'event.name';

/**
 * Returns why the record is invalid (reason without the "log record N: " prefix), or null. Trace context is
 * optional on a log record, so an id is valid empty or at its full length; an all-zero id (what some SDKs
 * send for "no context") is cleared to ''. Also fills `eventName` from the `event.name` attribute when the
 * record has no event_name field.
 */
export function validateLogRecord(record: DecodedLogRecord): string | null {
  const traceId = record.traceId;
  if (traceId !== '') {
    if (traceId.length !== 32) return `trace_id must be 16 bytes or empty, got ${traceId.length / 2}`;
    if (ALL_ZEROS.test(traceId)) record.traceId = '';
  }
  const spanId = record.spanId;
  if (spanId !== '') {
    if (spanId.length !== 16) return `span_id must be 8 bytes or empty, got ${spanId.length / 2}`;
    if (ALL_ZEROS.test(spanId)) record.spanId = '';
  }
  if (record.eventName === '') {
    const name = record.attributes[EVENT_NAME_ATTRIBUTE];
    if (typeof name === 'string') record.eventName = name;
  }
  return null;
}

/** The `rejected` entry for record `index` (counted across the whole request), e.g. "log record 3: trace_id must be ...". */
export function rejectLogRecord(index: number, problem: string): RejectedLogRecord {
  return { index, reason: `log record ${index}: ${problem}` };
}
