/**
 * Trace-level truth: a model call is counted once. A wrapper span and the provider call inside it
 * often report the same usage (Vercel `ai.generateText` around `ai.generateText.doGenerate`, an
 * OpenInference chain or agent around its LLM spans, a framework LLM span around the OpenAI
 * instrumentation's span). The rule, applied to every span that reports usage (tokens or a cost):
 *
 *   a span's usage counts unless (a) a span nested below it in the trace reports usage, or
 *   (b) a span above it already counts its usage.
 *
 * So within what has arrived, the innermost usage wins; across batches, whichever was counted first
 * stays counted (a parent exported before its children keeps its aggregate, the children then do not
 * count). Either way the totals equal the calls made. The decision is made once, in the ingest
 * transaction, and shipped with the event (`counts_usage`), so summaries and analytics agree.
 * Known limit: nesting is followed through the spans seen so far; a child whose parent link is still
 * missing (its intermediate span not yet arrived) cannot see a counted ancestor.
 */
import type { Knex } from 'knex';
import type { CanonicalEvent } from '../events/canonical-event.ts';

export const UsageState = { NONE: 0, NOT_COUNTED: 1, COUNTED: 2 } as const;

/** Nesting deeper than this is not followed (and parent cycles in hostile input end here). */
const MAX_DEPTH = 64;

export function reportsUsage(event: CanonicalEvent): boolean {
  return event.input_tokens > 0 || event.output_tokens > 0 || event.total_tokens > 0 || (event.cost_usd !== null && event.cost_usd > 0);
}

/**
 * Decides `counts_usage` for the batch's new events (already inserted in seen_spans with usage_state
 * NOT_COUNTED when they report usage) and records the counted ones as COUNTED.
 */
export async function decideCountedUsage(trx: Knex.Transaction, projectId: string, fresh: CanonicalEvent[]): Promise<void> {
  const candidates = fresh.filter((e) => reportsUsage(e) && e.counts_usage);
  if (candidates.length === 0) return;
  const { rows }: { rows: { trace_id: string; span_id: string }[] } = await trx.raw(
    `WITH RECURSIVE
     targets AS (SELECT * FROM unnest(?::text[], ?::text[]) AS t(trace_id, span_id)),
     down AS (
       SELECT t.trace_id, t.span_id AS target, c.span_id, 1 AS depth
       FROM targets t JOIN seen_spans c ON c.project_id = ? AND c.trace_id = t.trace_id AND c.parent_span_id = t.span_id
       UNION
       SELECT d.trace_id, d.target, c.span_id, d.depth + 1
       FROM down d JOIN seen_spans c ON c.project_id = ? AND c.trace_id = d.trace_id AND c.parent_span_id = d.span_id
       WHERE d.depth < ${MAX_DEPTH}
     ),
     up AS (
       SELECT t.trace_id, t.span_id AS target, s.parent_span_id AS span_id, 1 AS depth
       FROM targets t JOIN seen_spans s ON s.project_id = ? AND s.trace_id = t.trace_id AND s.span_id = t.span_id
       WHERE s.parent_span_id <> ''
       UNION
       SELECT u.trace_id, u.target, p.parent_span_id, u.depth + 1
       FROM up u JOIN seen_spans p ON p.project_id = ? AND p.trace_id = u.trace_id AND p.span_id = u.span_id
       WHERE p.parent_span_id <> '' AND u.depth < ${MAX_DEPTH}
     )
     SELECT d.trace_id, d.target AS span_id FROM down d
       JOIN seen_spans s ON s.project_id = ? AND s.trace_id = d.trace_id AND s.span_id = d.span_id
       WHERE s.usage_state <> ${UsageState.NONE}
     UNION
     SELECT u.trace_id, u.target FROM up u
       JOIN seen_spans s ON s.project_id = ? AND s.trace_id = u.trace_id AND s.span_id = u.span_id
       WHERE s.usage_state = ${UsageState.COUNTED}`,
    [candidates.map((e) => e.trace_id), candidates.map((e) => e.span_id), projectId, projectId, projectId, projectId, projectId, projectId],
  );
  const covered = new Set(rows.map((r) => `${r.trace_id}:${r.span_id}`));
  const counted: CanonicalEvent[] = [];
  for (const event of candidates) {
    if (covered.has(`${event.trace_id}:${event.span_id}`)) event.counts_usage = false;
    else counted.push(event);
  }
  if (counted.length === 0) return;
  // Two array parameters, not a composite IN list: thousands of (trace, span) pairs there crashed
  // PGlite 0.5 inside the transaction ("bad buffer ID: 0" on the next statement).
  await trx.raw(
    `UPDATE seen_spans s SET usage_state = ${UsageState.COUNTED}
     FROM unnest(?::text[], ?::text[]) AS c(trace_id, span_id)
     WHERE s.project_id = ? AND s.trace_id = c.trace_id AND s.span_id = c.span_id`,
    [counted.map((e) => e.trace_id), counted.map((e) => e.span_id), projectId],
  );
}
