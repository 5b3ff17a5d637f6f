/**
 * The collector's one internal span model: what every wire format (OTLP protobuf, OTLP JSON,
 * later gRPC) decodes into, and what the mappers read. Ids are lowercase hex, times are
 * nanoseconds since the epoch as bigint, attribute values keep their OTLP type.
 */

/** An OTLP AnyValue. int64 values become `number` when safe, else `bigint` (see `AttributeInt`). */
export type AttributeValue =
  | string
  | boolean
  | number
  | AttributeInt
  | Uint8Array
  | AttributeValue[]
  | { [key: string]: AttributeValue }
  | null;

/** An int64 AnyValue outside Number.MAX_SAFE_INTEGER keeps its exact value as bigint. */
export type AttributeInt = bigint;

export type Attributes = Record<string, AttributeValue>;

export const SpanKind = { UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export interface SpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
  traceState?: string; // set by the OTLP decoders ('' when absent)
  flags?: number; // W3C trace flags in the low 8 bits (0 when absent)
}

/** Resource and instrumentation scope are shared by every span of a ResourceSpans/ScopeSpans group. */
export interface SpanResource {
  attributes: Attributes;
  schemaUrl?: string; // set by the OTLP decoders ('' when absent)
}

export interface SpanScope {
  name: string;
  version: string;
  attributes?: Attributes; // set by the OTLP decoders ({} when absent)
  schemaUrl?: string; // set by the OTLP decoders ('' when absent)
}

export interface DecodedSpan {
  traceId: string; // 32 lowercase hex chars
  spanId: string; // 16 lowercase hex chars
  parentSpanId: string; // '' for a root span
  traceState: string;
  name: string;
  kind: number; // SpanKind
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
  status: { code: number; message: string }; // StatusCode
  resource: SpanResource;
  scope: SpanScope;
  flags?: number; // W3C trace flags in the low 8 bits (0 when absent); set by the OTLP decoders
}

/** AnyValue nesting (arrays/kvlists) deeper than this is refused: hostile input must not overflow the stack. */
export const MAX_ATTRIBUTE_DEPTH = 64;

/**
 * Stores an attribute as an own, enumerable property. Plain assignment would treat the key
 * "__proto__" as a prototype change instead of data, so that one key goes through defineProperty.
 */
export function setAttribute(target: { [key: string]: AttributeValue }, key: string, value: AttributeValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** A span the decoder could read but must refuse (bad ids, ...): reported through partial_success. */
export interface RejectedSpan {
  index: number; // position of the span in the request, counting across all resource/scope groups
  reason: string;
}

export interface DecodedTraces {
  spans: DecodedSpan[];
  rejected: RejectedSpan[];
}

/** Thrown when a body cannot be decoded at all: the receiver answers 400 with a google.rpc.Status. */
export class DecodeError extends Error {
  override name = 'DecodeError';
}
