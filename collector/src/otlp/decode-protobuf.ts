/**
 * OTLP/protobuf ExportTraceServiceRequest -> internal span model, straight from the wire bytes.
 * Field numbers: opentelemetry-proto v1.x trace.proto / common.proto / resource.proto. Tags are matched as
 * whole varint values (field << 3 | wire type), so a known field sent with the wrong wire type is skipped
 * like an unknown field. Wire-level damage throws DecodeError; a readable but invalid span is rejected alone.
 */
import { ProtoReader } from './protobuf-reader.ts';
import {
  DecodeError,
  MAX_ATTRIBUTE_DEPTH,
  setAttribute,
  type AttributeValue,
  type Attributes,
  type DecodedSpan,
  type DecodedTraces,
  type SpanEvent,
  type SpanLink,
  type SpanResource,
  type SpanScope,
} from './span.ts';
import { rejectSpan, validateSpan } from './validate-span.ts';

// tag = field_number << 3 | wire_type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32)
const F1_LEN = 0x0a;
const F2_LEN = 0x12;
const F3_LEN = 0x1a;

export function decodeProtobufTraces(bytes: Uint8Array): DecodedTraces {
  const r = new ProtoReader(bytes);
  const out: DecodedTraces = { spans: [], rejected: [] };
  const counter = { next: 0 }; // span index across the whole request
  while (r.more()) {
    const tag = r.tag();
    if (tag === F1_LEN) {
      const outer = r.enter();
      readResourceSpans(r, out, counter);
      r.leave(outer);
    } else r.skip(tag);
  }
  return out;
}

/** ResourceSpans{resource=1, scope_spans=2, schema_url=3}. The resource object is shared by its spans. */
function readResourceSpans(r: ProtoReader, out: DecodedTraces, counter: { next: number }): void {
  // Created up front and filled in place: `resource` may follow `scope_spans` on the wire.
  const resource: SpanResource = { attributes: {}, schemaUrl: '' };
  while (r.more()) {
    const tag = r.tag();
    if (tag === F1_LEN) {
      const outer = r.enter();
      while (r.more()) {
        const t = r.tag();
        if (t === F1_LEN) readKeyValue(r, resource.attributes, 0);
        else r.skip(t); // dropped_attributes_count=2, entity_refs
      }
      r.leave(outer);
    } else if (tag === F2_LEN) {
      const outer = r.enter();
      readScopeSpans(r, resource, out, counter);
      r.leave(outer);
    } else if (tag === F3_LEN) resource.schemaUrl = r.string();
    else r.skip(tag);
  }
}

/** ScopeSpans{scope=1, spans=2, schema_url=3}; InstrumentationScope{name=1, version=2, attributes=3}. */
function readScopeSpans(r: ProtoReader, resource: SpanResource, out: DecodedTraces, counter: { next: number }): void {
  const scope: SpanScope = { name: '', version: '', attributes: {}, schemaUrl: '' };
  while (r.more()) {
    const tag = r.tag();
    if (tag === F1_LEN) {
      const outer = r.enter();
      while (r.more()) {
        const t = r.tag();
        if (t === F1_LEN) scope.name = r.string();
        else if (t === F2_LEN) scope.version = r.string();
        else if (t === F3_LEN) readKeyValue(r, scope.attributes!, 0);
        else r.skip(t);
      }
      r.leave(outer);
    } else if (tag === F2_LEN) {
      const outer = r.enter();
      const span = readSpan(r, resource, scope);
      r.leave(outer);
      const index = counter.next++;
      const problem = validateSpan(span);
      if (problem === null) out.spans.push(span);
      else out.rejected.push(rejectSpan(index, problem));
    } else if (tag === F3_LEN) scope.schemaUrl = r.string();
    else r.skip(tag);
  }
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

/** Unknown enum numbers (proto3 keeps them) become 0 so the mappers only ever see defined values. */
function enumValue(v: number, max: number): number {
  return v <= max ? v : 0;
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

/** KeyValue{key=1, value=2} (the reader is positioned at its length prefix), stored into `target`. */
function readKeyValue(r: ProtoReader, target: Attributes, depth: number): void {
  let key = '';
  let value: AttributeValue = null;
  const outer = r.enter();
  while (r.more()) {
    const tag = r.tag();
    if (tag === F1_LEN) key = r.string();
    else if (tag === F2_LEN) value = readAnyValue(r, depth + 1);
    else r.skip(tag);
  }
  r.leave(outer);
  setAttribute(target, key, value);
}

/** AnyValue oneof; the last member on the wire wins, none set -> null. string_value_strindex=8 is skipped. */
function readAnyValue(r: ProtoReader, depth: number): AttributeValue {
  if (depth > MAX_ATTRIBUTE_DEPTH) throw new DecodeError(`attribute values nested deeper than ${MAX_ATTRIBUTE_DEPTH}`);
  let value: AttributeValue = null;
  const outer = r.enter();
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case 0x0a: value = r.string(); break; // 1 string_value
      case 0x10: value = r.varint32() !== 0; break; // 2 bool_value
      case 0x18: value = r.int64(); break; // 3 int_value
      case 0x21: value = r.double(); break; // 4 double_value
      case 0x2a: value = readArray(r, depth); break; // 5 array_value
      case 0x32: value = readKvList(r, depth); break; // 6 kvlist_value
      case 0x3a: value = r.bytes(); break; // 7 bytes_value
      default: r.skip(tag);
    }
  }
  r.leave(outer);
  return value;
}

/** ArrayValue{values=1}. */
function readArray(r: ProtoReader, depth: number): AttributeValue[] {
  const values: AttributeValue[] = [];
  const outer = r.enter();
  while (r.more()) {
    const tag = r.tag();
    if (tag === F1_LEN) values.push(readAnyValue(r, depth + 1));
    else r.skip(tag);
  }
  r.leave(outer);
  return values;
}

/** KeyValueList{values=1} -> plain object. */
function readKvList(r: ProtoReader, depth: number): { [key: string]: AttributeValue } {
  const object: { [key: string]: AttributeValue } = {};
  const outer = r.enter();
  while (r.more()) {
    const tag = r.tag();
    if (tag === F1_LEN) readKeyValue(r, object, depth);
    else r.skip(tag);
  }
  r.leave(outer);
  return object;
}
