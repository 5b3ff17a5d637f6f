/**
 * Per-span checks shared by the protobuf and JSON decoders. A span that fails them is refused on its
 * own (reported through partial_success) so that one bad span does not cost the whole batch.
 */
import { setAttribute, type DecodedSpan, type RejectedSpan } from './span.ts';

const ALL_ZEROS = /^0*$/;
/** The span attribute listing what was normalised (the mapper keeps it; enrich.ts appends to it). */
export const WARNINGS_ATTRIBUTE = 'observa.warnings';

/**
 * Oldest accepted start: 2000-01-01T00:00:00Z. No LLM span is older; what is older is a unit mistake
 * (milliseconds or seconds sent as nanoseconds land in January 1970) and is refused with that hint.
 */
export const EARLIEST_TIME_NANOS = 946_684_800_000_000_000n;
/**
 * How far ahead of the collector's clock a time may be: a day tolerates skewed clocks and time-zone
 * bugs; later would put the span on top of every "recent" list and out of reach of retention.
 */
export const MAX_FUTURE_NANOS = 86_400_000_000_000n;

/** Why a span's times are outside [2000-01-01, now + 1 day], or null. `end` is compared after end >= start. */
export function timeProblem(startNanos: bigint, endNanos: bigint, nowNanos = BigInt(Date.now()) * 1_000_000n): string | null {
  if (startNanos < EARLIEST_TIME_NANOS) {
    return `start time ${startNanos} ns is before 2000-01-01 (nanoseconds since the epoch expected; milliseconds or seconds?)`;
  }
  const latest = nowNanos + MAX_FUTURE_NANOS;
  if (startNanos > latest) return `start time ${startNanos} ns is more than 1 day in the future`;
  if (endNanos > latest) return `end time ${endNanos} ns is more than 1 day in the future`;
  return null;
}

/** Why the hex id is unusable (wrong byte length or all zeros), or null. */
function idProblem(field: string, hex: string, bytes: number): string | null {
  if (hex.length !== bytes * 2) return `${field} must be ${bytes} bytes, got ${hex.length / 2}`;
  if (ALL_ZEROS.test(hex)) return `${field} must not be all zeros`;
  return null;
}

/**
 * Returns why OTLP says the span is invalid (reason without the "span N: " prefix), or null.
 * Also normalises in place what can be kept: end < start becomes end = start (a clock glitch should not
 * lose the span; noted under observa.warnings), and an all-zero parent id means "no parent" (some SDKs send it for root spans).
 * The time window (`timeProblem`) is ingestion policy, checked by the pipeline after decoding; strings
 * (NUL, length) and numbers (tokens, cost) are normalised on the mapped event (enrich.ts).
 */
export function validateSpan(span: DecodedSpan): string | null {
  const problem =
    idProblem('trace_id', span.traceId, 16) ??
    idProblem('span_id', span.spanId, 8) ??
    parentProblem(span) ??
    (span.startTimeUnixNano === 0n ? 'start_time_unix_nano must be set' : null) ??
    linkProblem(span);
  if (problem !== null) return problem;
  if (span.endTimeUnixNano < span.startTimeUnixNano) {
    setAttribute(span.attributes, WARNINGS_ATTRIBUTE, [`end time ${span.endTimeUnixNano} ns before start time ${span.startTimeUnixNano} ns: set to the start`]);
    span.endTimeUnixNano = span.startTimeUnixNano;
  }
  return null;
}

/** The `rejected` entry for span `index` (counted across the whole request), e.g. "span 3: trace_id must be ...". */
export function rejectSpan(index: number, problem: string): RejectedSpan {
  return { index, reason: `span ${index}: ${problem}` };
}

function parentProblem(span: DecodedSpan): string | null {
  const parent = span.parentSpanId;
  if (parent === '') return null;
  if (parent.length !== 16) return `parent_span_id must be 8 bytes or empty, got ${parent.length / 2}`;
  if (ALL_ZEROS.test(parent)) span.parentSpanId = '';
  return null;
}

/** Link ids must have the right length too (the mappers store them); zeros are tolerated. */
function linkProblem(span: DecodedSpan): string | null {
  for (let i = 0; i < span.links.length; i++) {
    const { traceId, spanId } = span.links[i];
    if (traceId.length !== 32) return `links[${i}].trace_id must be 16 bytes, got ${traceId.length / 2}`;
    if (spanId.length !== 16) return `links[${i}].span_id must be 8 bytes, got ${spanId.length / 2}`;
  }
  return null;
}
