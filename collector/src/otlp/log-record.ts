/**
 * The collector's internal log record model: what OTLP logs (protobuf and JSON) decode into. It
 * mirrors span.ts: ids are lowercase hex ('' when absent), times are nanoseconds as bigint, values
 * keep their OTLP type. Field numbers: opentelemetry-proto v1.x logs.proto.
 */
import type { AttributeValue, Attributes, RejectedSpan, SpanResource, SpanScope } from './span.ts';

export interface DecodedLogRecord {
  /** 32 lowercase hex chars, or '' when the record carries no trace context. */
  traceId: string;
  /** 16 lowercase hex chars, or ''. */
  spanId: string;
  /** time_unix_nano, 0n when unset. */
  timeUnixNano: bigint;
  /** observed_time_unix_nano, 0n when unset. */
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  /** event_name (field 12, proto >= 1.5), else the `event.name` attribute, else ''. */
  eventName: string;
  /** The body AnyValue; null when absent. */
  body: AttributeValue;
  attributes: Attributes;
  flags: number;
  resource: SpanResource;
  scope: SpanScope;
}

/** A log record the decoder could read but must refuse (bad ids, ...), by its position in the request. */
export type RejectedLogRecord = RejectedSpan;

export interface DecodedLogs {
  records: DecodedLogRecord[];
  rejected: RejectedLogRecord[];
}
