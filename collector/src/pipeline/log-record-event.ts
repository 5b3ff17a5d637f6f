/**
 * An OTLP log record as a span event of its span: how Observa keeps logs (as events of their trace).
 * GenAI events (semconv 1.28-1.36 message events, `gen_ai.choice`, 1.37+ operation details) carry
 * their content in the body; the body's fields become the event's attributes, the shape the mapping
 * already reads from span events of the same names (mapping/dialects/legacy-message-events.ts).
 * Other records keep their body and severity under `log.*` attributes.
 */
import { createHash } from 'node:crypto';
import type { CanonicalSpanEvent } from '../events/canonical-event.ts';
import { nanosToIso } from '../events/time.ts';
import { toJsonObject, toJsonValue } from '../mapping/json-value.ts';
import type { DecodedLogRecord } from '../otlp/log-record.ts';
import { WARNINGS_ATTRIBUTE } from '../otlp/validate-span.ts';
import { cleanStrings } from './enrich.ts';
import { OPERATION_DETAILS_EVENT } from './complete-with-logs.ts';
import { EVALUATION_EVENT } from './evaluation-score.ts';

export const GENAI_LOG_EVENTS: ReadonlySet<string> = new Set([
  'gen_ai.system.message', 'gen_ai.user.message', 'gen_ai.assistant.message', 'gen_ai.tool.message', 'gen_ai.choice', OPERATION_DETAILS_EVENT, EVALUATION_EVENT,
]);

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The record as a span event, its strings made storable (NUL, lone surrogates, size; changes listed in observa.warnings). */
export function logRecordEvent(record: DecodedLogRecord): CanonicalSpanEvent {
  const time = record.timeUnixNano || record.observedTimeUnixNano || BigInt(Date.now()) * 1_000_000n;
  const attributes = toJsonObject(record.attributes);
  const body = toJsonValue(record.body);
  const name = record.eventName || 'log';
  if (GENAI_LOG_EVENTS.has(name)) {
    if (isPlainObject(body)) Object.assign(attributes, body);
    else if (body !== null && body !== undefined) attributes.content = body;
  } else {
    if (body !== null && body !== undefined) attributes['log.body'] = body;
    if (record.severityText) attributes['log.severity_text'] = record.severityText;
    if (record.severityNumber) attributes['log.severity_number'] = record.severityNumber;
  }
  const event: CanonicalSpanEvent = { time: nanosToIso(time), name, attributes };
  const warnings: string[] = [];
  cleanStrings(event, warnings);
  if (warnings.length > 0) event.attributes[WARNINGS_ATTRIBUTE] = warnings;
  return event;
}

/** Identifies a record across re-deliveries (an exporter retrying the same batch): the same record joins its span once. */
export function recordHash(event: CanonicalSpanEvent): string {
  return createHash('sha256').update(JSON.stringify(event)).digest('hex').slice(0, 32);
}
