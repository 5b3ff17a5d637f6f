/**
 * OTLP/JSON ExportTraceServiceRequest -> internal span model. OTLP/JSON is proto3 JSON with hex ids:
 * lowerCamelCase keys (snake_case field names accepted too), int64 as string or number, enums as integers
 * (enum names tolerated), bytes as base64, unknown keys ignored.
 *
 * Rule for errors: the envelope (root object, resourceSpans/scopeSpans/spans arrays and their objects,
 * resource and scope) must be well-formed, else DecodeError; a bad value inside one span rejects that span.
 */
import {
  attributes,
  decodeExportRequest,
  enumValue,
  field,
  FieldError,
  hexId,
  isObject,
  list,
  string,
  uint32,
  uint64,
  type Json,
  type JsonSignal,
} from './read-common-json.ts';
import type { DecodedSpan, DecodedTraces, SpanEvent, SpanLink, SpanResource, SpanScope } from './span.ts';
import { rejectSpan, validateSpan } from './validate-span.ts';

const SPAN_KIND_NAMES = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_CODE_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

const SPANS: JsonSignal<DecodedSpan> = {
  message: 'ExportTraceServiceRequest',
  resourceGroups: ['resourceSpans', 'resource_spans'],
  scopeGroups: ['scopeSpans', 'scope_spans'],
  items: ['spans', 'spans'],
  decode: decodeSpan,
  validate: validateSpan,
  reject: rejectSpan,
};

export function decodeJsonTraces(body: string | Uint8Array): DecodedTraces {
  const { items, rejected } = decodeExportRequest(body, SPANS);
  return { spans: items, rejected };
}

function decodeSpan(o: Json, resource: SpanResource, scope: SpanScope): DecodedSpan {
  const status = o.status ?? {};
  if (!isObject(status)) throw new FieldError('status must be an object');
  return {
    traceId: hexId(field(o, 'traceId', 'trace_id'), 'trace_id'),
    spanId: hexId(field(o, 'spanId', 'span_id'), 'span_id'),
    parentSpanId: hexId(field(o, 'parentSpanId', 'parent_span_id'), 'parent_span_id'),
    traceState: string(field(o, 'traceState', 'trace_state'), 'trace_state'),
    name: string(o.name, 'name'),
    kind: enumValue(o.kind, SPAN_KIND_NAMES, 'kind'),
    startTimeUnixNano: uint64(field(o, 'startTimeUnixNano', 'start_time_unix_nano'), 'start_time_unix_nano'),
    endTimeUnixNano: uint64(field(o, 'endTimeUnixNano', 'end_time_unix_nano'), 'end_time_unix_nano'),
    attributes: attributes(o.attributes, 'attributes'),
    events: list(o.events, 'events', decodeEvent),
    links: list(o.links, 'links', decodeLink),
    status: { code: enumValue(status.code, STATUS_CODE_NAMES, 'status.code'), message: string(status.message, 'status.message') },
    resource,
    scope,
    flags: uint32(o.flags, 'flags'),
  };
}

function decodeEvent(o: Json, path: string): SpanEvent {
  return {
    timeUnixNano: uint64(field(o, 'timeUnixNano', 'time_unix_nano'), `${path}.time_unix_nano`),
    name: string(o.name, `${path}.name`),
    attributes: attributes(o.attributes, `${path}.attributes`),
  };
}

function decodeLink(o: Json, path: string): SpanLink {
  return {
    traceId: hexId(field(o, 'traceId', 'trace_id'), `${path}.trace_id`),
    spanId: hexId(field(o, 'spanId', 'span_id'), `${path}.span_id`),
    attributes: attributes(o.attributes, `${path}.attributes`),
    traceState: string(field(o, 'traceState', 'trace_state'), `${path}.trace_state`),
    flags: uint32(o.flags, `${path}.flags`),
  };
}
