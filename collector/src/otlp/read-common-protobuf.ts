/**
 * Readers for the OTLP protobuf messages every signal shares: the export request envelope, Resource,
 * InstrumentationScope, KeyValue and AnyValue (opentelemetry-proto v1.x common.proto / resource.proto). Used
 * by the trace and the log decoders. Each message reader is positioned at the length prefix of its message
 * and leaves the reader just past it.
 */
import { ProtoReader } from './protobuf-reader.ts';
import type { ExportItems, ItemChecks } from './read-common-export.ts';
import { DecodeError, MAX_ATTRIBUTE_DEPTH, setAttribute, type AttributeValue, type Attributes, type SpanResource, type SpanScope } from './span.ts';

// tag = field_number << 3 | wire_type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32)
export const F1_LEN = 0x0a;
export const F2_LEN = 0x12;
export const F3_LEN = 0x1a;

/** Unknown enum numbers (proto3 keeps them) become 0 so the mappers only ever see defined values. */
export function enumValue(v: number, max: number): number {
  return v <= max ? v : 0;
}

/** How one signal (traces, logs) reads, checks and refuses its items inside the shared envelope. */
export interface ProtobufSignal<T> extends ItemChecks<T> {
  /** Reads one item message; the reader is inside it (past its length prefix). */
  read(r: ProtoReader, resource: SpanResource, scope: SpanScope): T;
}

/**
 * Export*ServiceRequest{resource_X=1: ResourceX{resource=1, scope_X=2: ScopeX{scope=1, items=2,
 * schema_url=3}, schema_url=3}}, the same for every signal. Each item is validated and kept or rejected on
 * its own; wire-level damage throws DecodeError.
 */
export function readExportRequest<T>(bytes: Uint8Array, signal: ProtobufSignal<T>): ExportItems<T> {
  const r = new ProtoReader(bytes);
  const out: ExportItems<T> = { items: [], rejected: [] };
  const counter = { next: 0 }; // item index across the whole request
  while (r.more()) {
    const tag = r.tag();
    if (tag === F1_LEN) {
      const outer = r.enter();
      readResourceGroup(r, signal, out, counter);
      r.leave(outer);
    } else r.skip(tag);
  }
  return out;
}

/** ResourceX{resource=1, scope_X=2, schema_url=3}. The resource object is shared by its items. */
function readResourceGroup<T>(r: ProtoReader, signal: ProtobufSignal<T>, out: ExportItems<T>, counter: { next: number }): void {
  // Created up front and filled in place: `resource` may follow `scope_X` on the wire.
  const resource: SpanResource = { attributes: {}, schemaUrl: '' };
  while (r.more()) {
    const tag = r.tag();
    if (tag === F1_LEN) readResource(r, resource);
    else if (tag === F2_LEN) {
      const outer = r.enter();
      readScopeGroup(r, resource, signal, out, counter);
      r.leave(outer);
    } else if (tag === F3_LEN) resource.schemaUrl = r.string();
    else r.skip(tag);
  }
}

/** ScopeX{scope=1, items=2, schema_url=3}. The scope object is shared by its items. */
function readScopeGroup<T>(r: ProtoReader, resource: SpanResource, signal: ProtobufSignal<T>, out: ExportItems<T>, counter: { next: number }): void {
  const scope: SpanScope = { name: '', version: '', attributes: {}, schemaUrl: '' };
  while (r.more()) {
    const tag = r.tag();
    if (tag === F1_LEN) readScope(r, scope);
    else if (tag === F2_LEN) {
      const outer = r.enter();
      const item = signal.read(r, resource, scope);
      r.leave(outer);
      const index = counter.next++;
      const problem = signal.validate(item);
      if (problem === null) out.items.push(item);
      else out.rejected.push(signal.reject(index, problem));
    } else if (tag === F3_LEN) scope.schemaUrl = r.string();
    else r.skip(tag);
  }
}

/** Resource{attributes=1}, filled into `resource` in place (it is already shared by its records). */
function readResource(r: ProtoReader, resource: SpanResource): void {
  const outer = r.enter();
  while (r.more()) {
    const t = r.tag();
    if (t === F1_LEN) readKeyValue(r, resource.attributes, 0);
    else r.skip(t); // dropped_attributes_count=2, entity_refs
  }
  r.leave(outer);
}

/** InstrumentationScope{name=1, version=2, attributes=3}, filled into `scope` in place. */
function readScope(r: ProtoReader, scope: SpanScope): void {
  const outer = r.enter();
  while (r.more()) {
    const t = r.tag();
    if (t === F1_LEN) scope.name = r.string();
    else if (t === F2_LEN) scope.version = r.string();
    else if (t === F3_LEN) readKeyValue(r, scope.attributes!, 0);
    else r.skip(t);
  }
  r.leave(outer);
}

/** KeyValue{key=1, value=2} (the reader is positioned at its length prefix), stored into `target`. */
export function readKeyValue(r: ProtoReader, target: Attributes, depth: number): void {
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
export function readAnyValue(r: ProtoReader, depth: number): AttributeValue {
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
