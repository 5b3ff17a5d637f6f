/**
 * A finished span with processed attributes, events and status, as a new ReadableSpan. The SDK's
 * span object is shared by every processor on the provider (a user's own exporter next to Observa's),
 * so Observa never writes into it after start: it hands its export queue this copy instead. Everything
 * else (ids, times, resource, links) is read from the original, which is immutable once ended.
 */
import type { Attributes, SpanStatus } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';

export interface SpanChanges {
  attributes: Attributes;
  events: TimedEvent[];
  status: SpanStatus;
}

/** `span` as exported by Observa: the original with `changes` applied. */
export function processedSpan(span: ReadableSpan, changes: SpanChanges): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    duration: span.duration,
    ended: span.ended,
    status: changes.status,
    attributes: changes.attributes,
    events: changes.events,
    links: span.links,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}
