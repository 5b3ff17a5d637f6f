/**
 * Encodes an OTLP/JSON ExportTraceServiceRequest object as protobuf (opentelemetry-proto field numbers),
 * so the fuzzer can mutate the protobuf form of the recorded JSON fixtures. Lenient on purpose: fields it
 * does not know are skipped, values of the wrong type are written as they come when the wire allows it.
 */
import { ProtoWriter } from '../otlp/protobuf-writer.ts';

type Json = Record<string, any>;

const list = (value: unknown): Json[] => (Array.isArray(value) ? value : []);

const bytesOf = (hex: unknown) => Buffer.from(typeof hex === 'string' ? hex : '', 'hex');
/** A JSON integer (string or number) as int64 bits; anything unparsable becomes 0. */
function int64(value: unknown): bigint {
  try {
    return BigInt.asIntN(64, BigInt(String(value ?? 0)));
  } catch {
    return 0n;
  }
}
const uint64 = (value: unknown) => BigInt.asUintN(64, int64(value));

export function anyValue(w: ProtoWriter, value: Json): void {
  if (value === null || typeof value !== 'object') return;
  if ('stringValue' in value) w.bytesField(1, String(value.stringValue));
  else if ('boolValue' in value) w.varintField(2, Boolean(value.boolValue));
  else if ('intValue' in value) w.varintField(3, int64(value.intValue));
  else if ('doubleValue' in value) w.doubleField(4, Number(value.doubleValue));
  else if ('arrayValue' in value) w.messageField(5, (a) => list(value.arrayValue?.values).forEach((v: Json) => a.messageField(1, (x) => anyValue(x, v))));
  else if ('kvlistValue' in value) w.messageField(6, (l) => keyValues(l, 1, value.kvlistValue?.values));
  else if ('bytesValue' in value) w.bytesField(7, Buffer.from(String(value.bytesValue), 'base64'));
}

export function keyValues(w: ProtoWriter, field: number, values: unknown): void {
  for (const kv of list(values)) {
    w.messageField(field, (k) => {
      k.bytesField(1, String(kv?.key ?? ''));
      if (kv?.value) k.messageField(2, (v) => anyValue(v, kv.value));
    });
  }
}

function span(w: ProtoWriter, s: Json): void {
  if (s === null || typeof s !== 'object') return;
  w.bytesField(1, bytesOf(s.traceId)).bytesField(2, bytesOf(s.spanId));
  if (s.traceState) w.bytesField(3, String(s.traceState));
  if (s.parentSpanId) w.bytesField(4, bytesOf(s.parentSpanId));
  w.bytesField(5, String(s.name ?? '')).varintField(6, Number(s.kind) | 0);
  w.fixed64Field(7, uint64(s.startTimeUnixNano)).fixed64Field(8, uint64(s.endTimeUnixNano));
  keyValues(w, 9, s.attributes);
  for (const e of list(s.events)) w.messageField(11, (x) => (x.fixed64Field(1, uint64(e?.timeUnixNano)), x.bytesField(2, String(e?.name ?? '')), keyValues(x, 3, e?.attributes)));
  for (const l of list(s.links)) w.messageField(13, (x) => (x.bytesField(1, bytesOf(l?.traceId)), x.bytesField(2, bytesOf(l?.spanId)), keyValues(x, 4, l?.attributes)));
  if (s.status && typeof s.status === 'object') w.messageField(15, (x) => (x.bytesField(2, String(s.status.message ?? '')), x.varintField(3, Number(s.status.code) | 0)));
}

export function encodeTraceRequest(request: Json): Uint8Array {
  const w = new ProtoWriter();
  for (const rs of list(request.resourceSpans)) {
    w.messageField(1, (r) => {
      r.messageField(1, (res) => keyValues(res, 1, rs?.resource?.attributes));
      for (const ss of list(rs?.scopeSpans)) {
        r.messageField(2, (sc) => {
          sc.messageField(1, (scope) => scope.bytesField(1, String(ss?.scope?.name ?? '')).bytesField(2, String(ss?.scope?.version ?? '')));
          for (const s of list(ss?.spans)) sc.messageField(2, (x) => span(x, s));
        });
      }
    });
  }
  return w.finish();
}
