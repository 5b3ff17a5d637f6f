/**
 * A `gen_ai.evaluation.result` event (OTel GenAI semantic conventions: an evaluator's verdict on the
 * GenAI operation whose span it is emitted in) as a score of that span, source 'otel': the name from
 * `gen_ai.evaluation.name`; the value from `gen_ai.evaluation.score.value` (numeric), else
 * `gen_ai.evaluation.score.label` (categorical); the comment from `gen_ai.evaluation.explanation`
 * (with the label, when a numeric value has one too). The id is derived from the record, so a re-sent
 * record updates nothing and the same evaluation is one score. Same bounds as POST /api/v1/scores.
 */
import { createHash } from 'node:crypto';
import type { ApiKeyPrincipal } from '../auth/principal.ts';
import { SCORE_LIMITS } from '../api/scores-routes.ts';
import type { DecodedLogRecord } from '../otlp/log-record.ts';
import { cleanText } from './enrich.ts';

export const EVALUATION_EVENT = 'gen_ai.evaluation.result';

export interface ScoreRow {
  id: string;
  tenant_id: string;
  project_id: string;
  trace_id: string;
  span_id: string | null;
  name: string;
  data_type: 'numeric' | 'categorical';
  value_number: number | null;
  value_string: string | null;
  comment: string | null;
  source: 'otel';
  created_by_key: string;
}

/** A UUID (version 8: custom) from the record's identity: the same evaluation, sent twice, is one score. */
function scoreId(parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A non-blank string, made storable: Postgres text holds no NUL, and a lone surrogate is no text (as for events). */
const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? cleanText(value.trim()) : null);

/** The score, or why the record cannot be one (reported through partial success). */
export function evaluationScore(record: DecodedLogRecord, index: number, principal: ApiKeyPrincipal): ScoreRow | { reason: string } {
  const a = record.attributes;
  const refuse = (why: string) => ({ reason: `log record ${index} (${EVALUATION_EVENT}) ${why}` });
  const name = text(a['gen_ai.evaluation.name']);
  if (name === null || name.length > SCORE_LIMITS.name) return refuse(`needs gen_ai.evaluation.name, a string of 1 to ${SCORE_LIMITS.name} characters`);
  const raw = a['gen_ai.evaluation.score.value'];
  const value = typeof raw === 'number' || typeof raw === 'bigint' ? Number(raw) : null;
  const label = text(a['gen_ai.evaluation.score.label']);
  if (value !== null && !Number.isFinite(value)) return refuse('has a gen_ai.evaluation.score.value that is not a finite number');
  if (value === null && label === null) return refuse('has neither gen_ai.evaluation.score.value nor gen_ai.evaluation.score.label');
  if (label !== null && label.length > SCORE_LIMITS.value) return refuse(`has a gen_ai.evaluation.score.label over ${SCORE_LIMITS.value} characters`);
  const explanation = text(a['gen_ai.evaluation.explanation']);
  const comment = [value !== null ? label : null, explanation].filter((part) => part !== null).join(': ').slice(0, SCORE_LIMITS.comment) || null;
  return {
    id: scoreId([principal.projectId, record.traceId, record.spanId, name, String(record.timeUnixNano || record.observedTimeUnixNano)]),
    tenant_id: principal.tenantId, project_id: principal.projectId, trace_id: record.traceId, span_id: record.spanId || null, name,
    data_type: value !== null ? 'numeric' : 'categorical', value_number: value, value_string: value !== null ? null : label,
    comment, source: 'otel', created_by_key: principal.keyId,
  };
}
