/**
 * Validates native events against schemas/canonical-event.schema.json (ajv, JSON Schema 2020-12) and
 * completes them with the schema's defaults, so the native API and OTLP produce the same events.
 */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { TOKEN_FIELDS, emptyEvent, type CanonicalEvent } from '../events/canonical-event.ts';
import { durationMs, isoToNanos, nanosToIso } from '../events/time.ts';
import { timeProblem } from '../otlp/validate-span.ts';
import { MAX_COST_USD, MAX_TOKENS, recordWarnings } from '../pipeline/enrich.ts';

const schema = JSON.parse(readFileSync(new URL('../../../schemas/canonical-event.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020.default({ allErrors: false, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

/** A valid event, with what normalisation changed (NUL replaced, strings cut), or why it was refused. */
export type Validated = { event: CanonicalEvent; warnings: string[] } | { reason: string };

export function validateCanonicalEvent(input: unknown): Validated {
  if (!validate(input)) {
    const error = validate.errors?.[0];
    const where = error?.instancePath ? `${error.instancePath.slice(1).replaceAll('/', '.')} ` : '';
    const extra = error?.params && 'additionalProperty' in error.params ? ` "${error.params.additionalProperty}"` : '';
    return { reason: `${where}${error?.message ?? 'is not a canonical event'}${extra}` };
  }
  const event: CanonicalEvent = { ...emptyEvent(), ...(input as Partial<CanonicalEvent>) };
  const start = isoToNanos(event.start_time);
  const end = event.end_time ? isoToNanos(event.end_time) : start;
  if (start === null || end === null) return { reason: 'start_time and end_time must be RFC 3339 times' };
  const outOfWindow = timeProblem(start, end < start ? start : end);
  if (outOfWindow !== null) return { reason: outOfWindow };
  const outOfRange = numberProblem(event);
  if (outOfRange !== null) return { reason: outOfRange };
  // Times are stored in UTC with nine fraction digits whatever offset the client used.
  event.start_time = nanosToIso(start);
  const clamped = end < start ? [`end_time ${event.end_time} before start_time: set to the start`] : [];
  event.end_time = nanosToIso(end < start ? start : end);
  if (!('duration_ms' in (input as object))) event.duration_ms = durationMs(start, end);
  if (!('total_tokens' in (input as object))) event.total_tokens = event.input_tokens + event.output_tokens;
  if (event.usage_source === 'none' && event.total_tokens > 0) event.usage_source = 'reported';
  if (event.cost_source === 'none' && event.cost_usd !== null) event.cost_source = 'reported';
  recordWarnings(event, clamped);
  // The rest (NUL, long strings, deep nesting) is normalised once, for every event, by the pipeline (enrich.ts).
  return { event, warnings: clamped };
}

/** A client of this API sets numbers directly, so out-of-range ones are refused rather than altered. */
function numberProblem(event: CanonicalEvent): string | null {
  for (const field of TOKEN_FIELDS) {
    if (event[field] > MAX_TOKENS) return `${field} must be <= ${MAX_TOKENS}`;
  }
  if (event.cost_usd !== null && event.cost_usd > MAX_COST_USD) return `cost_usd must be <= ${MAX_COST_USD}`;
  return null;
}
