/**
 * DecodedSpan -> CanonicalEvent. The span's own fields (ids, times, status, resource) are read
 * here; convention-specific fields come from the dialects (dialects/index.ts), merged by
 * precedence; every attribute no winning dialect consumed is kept in `attributes`.
 * Pure: tenant_id / project_id stay '' until enrichment stamps them from the API key.
 */
import { emptyEvent, TOKEN_FIELDS, type CanonicalEvent, type EventStatus, type SpanKindName } from '../events/canonical-event.ts';
import { durationMs, nanosToIso } from '../events/time.ts';
import { StatusCode, type Attributes, type DecodedSpan } from '../otlp/span.ts';
import { firstOf, readString } from './attribute-readers.ts';
import type { Dialect, DialectFields } from './dialect.ts';
import { DIALECTS } from './dialects/index.ts';
import { toJsonObject, toJsonValue } from './json-value.ts';
import { mergeDialects } from './merge-dialects.ts';

/** Indexed by OTLP SpanKind. */
const SPAN_KINDS: readonly SpanKindName[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

export function mapSpan(span: DecodedSpan, dialects: readonly Dialect[] = DIALECTS): CanonicalEvent {
  const { fields, consumed } = mergeDialects(span, dialects);
  const event: CanonicalEvent = Object.assign(spanFields(span), fields);
  event.attributes = keptAttributes(span.attributes, consumed);
  deriveUsage(event, fields);
  return event;
}

function spanFields(span: DecodedSpan): CanonicalEvent {
  const resource = span.resource.attributes;
  return {
    ...emptyEvent(),
    trace_id: span.traceId,
    span_id: span.spanId,
    parent_span_id: span.parentSpanId,
    name: span.name,
    span_kind: SPAN_KINDS[span.kind] ?? 'unspecified',
    service_name: readString(resource['service.name']) ?? '',
    scope_name: span.scope.name,
    // deployment.environment was renamed deployment.environment.name in semconv 1.27.
    environment: firstOf(resource, ['deployment.environment.name', 'deployment.environment'], readString)?.value ?? '',
    start_time: nanosToIso(span.startTimeUnixNano),
    end_time: nanosToIso(span.endTimeUnixNano),
    duration_ms: durationMs(span.startTimeUnixNano, span.endTimeUnixNano),
    status: statusOf(span.status.code),
    status_message: span.status.message,
    resource_attributes: toJsonObject(resource),
    events: span.events.map((e) => ({ time: nanosToIso(e.timeUnixNano), name: e.name, attributes: toJsonObject(e.attributes) })),
  };
}

function statusOf(code: number): EventStatus {
  if (code === StatusCode.ERROR) return 'error';
  return code === StatusCode.OK ? 'ok' : 'unset';
}

/** Built with Object.fromEntries so a `__proto__` key stays an own property instead of vanishing. */
function keptAttributes(attributes: Attributes, consumed: ReadonlySet<string>): Record<string, unknown> {
  const kept = Object.entries(attributes).filter(([key]) => !consumed.has(key));
  return Object.fromEntries(kept.map(([key, value]) => [key, toJsonValue(value)]));
}

/**
 * Totals and provenance are derived once, after the merge, so they agree with whichever dialect
 * won each count. input_tokens already includes cached tokens and output_tokens reasoning tokens:
 * adding those again would double count.
 */
function deriveUsage(event: CanonicalEvent, fields: DialectFields): void {
  const reported = TOKEN_FIELDS.some((field) => fields[field] !== undefined);
  if (fields.total_tokens === undefined && (fields.input_tokens !== undefined || fields.output_tokens !== undefined)) {
    event.total_tokens = event.input_tokens + event.output_tokens;
  }
  if (reported && fields.usage_source === undefined) event.usage_source = 'reported';
}
