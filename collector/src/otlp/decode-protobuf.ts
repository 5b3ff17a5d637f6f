/**
 * OTLP/protobuf ExportTraceServiceRequest -> internal span model, straight from the wire bytes.
 * Field numbers: opentelemetry-proto v1.x trace.proto / common.proto / resource.proto. Tags are matched as
 * whole varint values (field << 3 | wire type), so a known field sent with the wrong wire type is skipped
 * like an unknown field. Wire-level damage throws DecodeError; a readable but invalid span is rejected alone.
 */
import type { ProtoReader } from './protobuf-reader.ts';
import { enumValue, F1_LEN, F2_LEN, F3_LEN, readExportRequest, readKeyValue, type ProtobufSignal } from './read-common-protobuf.ts';
import type { DecodedSpan, DecodedTraces, SpanEvent, SpanLink, SpanResource, SpanScope } from './span.ts';
import { rejectSpan, validateSpan } from './validate-span.ts';

/** ExportTraceServiceRequest{resource_spans=1: ResourceSpans{resource=1, scope_spans=2: ScopeSpans{scope=1, spans=2}}}. */
const SPANS: ProtobufSignal<DecodedSpan> = { read: readSpan, validate: validateSpan, reject: rejectSpan };

export function decodeProtobufTraces(bytes: Uint8Array): DecodedTraces {
  const { items, rejected } = readExportRequest(bytes, SPANS);
  return { spans: items, rejected };
}

function readSpan(r: ProtoReader, resource: SpanResource, scope: SpanScope): DecodedSpan {
  // Every field initialised in one literal so all spans share one hidden class.
  const span: DecodedSpan = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    traceState: '',
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: {},
    events: [],
    links: [],
    status: { code: 0, message: '' },
    resource,
    scope,
    flags: 0,
  };
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case 0x0a: span.traceId = r.hex(); break; // 1 trace_id
      case 0x12: span.spanId = r.hex(); break; // 2 span_id
      case 0x1a: span.traceState = r.string(); break; // 3 trace_state
      case 0x22: span.parentSpanId = r.hex(); break; // 4 parent_span_id
      case 0x2a: span.name = r.string(); break; // 5 name
      case 0x30: span.kind = enumValue(r.varint32(), 5); break; // 6 kind
      case 0x39: span.startTimeUnixNano = r.fixed64(); break; // 7 start_time_unix_nano
      case 0x41: span.endTimeUnixNano = r.fixed64(); break; // 8 end_time_unix_nano
      case 0x4a: readKeyValue(r, span.attributes, 0); break; // 9 attributes
      case 0x5a: span.events.push(readEvent(r)); break; // 11 events
      case 0x6a: span.links.push(readLink(r)); break; // 13 links
      case 0x7a: readStatus(r, span.status); break; // 15 status
      case 0x85: span.flags = r.fixed32(); break; // 16 flags (tag 133 = 0x85 0x01 on the wire)
      default: r.skip(tag); // dropped_*_count and anything newer
    }
  }
  return span;
}

/** Span.Event{time_unix_nano=1 fixed64, name=2, attributes=3}. */
function readEvent(r: ProtoReader): SpanEvent {
  const event: SpanEvent = { timeUnixNano: 0n, name: '', attributes: {} };
  const outer = r.enter();
  while (r.more()) {
    const tag = r.tag();
    if (tag === 0x09) event.timeUnixNano = r.fixed64();
    else if (tag === F2_LEN) event.name = r.string();
    else if (tag === F3_LEN) readKeyValue(r, event.attributes, 0);
    else r.skip(tag);
  }
  r.leave(outer);
  return event;
}

/** Span.Link{trace_id=1, span_id=2, trace_state=3, attributes=4, flags=6 fixed32}. */
function readLink(r: ProtoReader): SpanLink {
  const link: SpanLink = { traceId: '', spanId: '', attributes: {}, traceState: '', flags: 0 };
  const outer = r.enter();
  while (r.more()) {
    const tag = r.tag();
    if (tag === F1_LEN) link.traceId = r.hex();
    else if (tag === F2_LEN) link.spanId = r.hex();
    else if (tag === F3_LEN) link.traceState = r.string();
    else if (tag === 0x22) readKeyValue(r, link.attributes, 0);
    else if (tag === 0x35) link.flags = r.fixed32();
    else r.skip(tag);
  }
  r.leave(outer);
  return link;
}

/** Status{message=2, code=3}. */
function readStatus(r: ProtoReader, status: { code: number; message: string }): void {
  const outer = r.enter();
  while (r.more()) {
    const tag = r.tag();
    if (tag === F2_LEN) status.message = r.string();
    else if (tag === 0x18) status.code = enumValue(r.varint32(), 2);
    else r.skip(tag);
  }
  r.leave(outer);
}
