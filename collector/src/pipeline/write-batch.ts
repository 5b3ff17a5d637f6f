/**
 * The write path's one transaction per request: forget spans already counted, fold the new ones into
 * trace summaries, recompute the touched sessions and conversations, count usage against the tenant's
 * monthly quota, and append the batch to the outbox. The client is acknowledged only after this commits.
 */
import type { Knex } from 'knex';
import type { CanonicalEvent } from '../events/canonical-event.ts';
import { countUsageWithinQuota } from '../limits/quota-counter.ts';
import { encodeOutboxPayload } from './outbox-payload.ts';
import { recomputeGroups } from './recompute-groups.ts';
import { COUNTED_FIELDS, traceDeltas, type TraceDelta } from './trace-delta.ts';
import { decideUsageStates, type SeenSpan } from './usage-nesting.ts';

export interface BatchScope {
  tenantId: string;
  projectId: string;
}

export interface WriteResult {
  /** Spans new to this project, now in summaries and the outbox. */
  written: number;
  /** Spans already seen (re-sent batches, retries): acknowledged, counted nowhere again. */
  duplicates: number;
  /** Outbox row holding the batch, null when nothing was new. */
  outboxId: number | null;
}

const SEEN_CHUNK = 5_000; // rows per INSERT: 5 parameters each stays under Postgres' 65535 limit
const SUMMARY_CHUNK = 1_000; // traces per upsert: ~31 parameters each stays under the same limit

/**
 * Records the batch's spans in seen_spans and returns those new to the project, their usage decided
 * (usage-nesting.ts). One read of the touched traces' spans serves both the duplicate check and the
 * nesting; the insert stays the authority on what is new (a concurrent writer may have won a span).
 */
async function keepUnseen(trx: Knex.Transaction, projectId: string, events: CanonicalEvent[]): Promise<CanonicalEvent[]> {
  const byKey = new Map<string, CanonicalEvent>();
  for (const e of events) byKey.set(`${e.trace_id}:${e.span_id}`, e); // a span repeated within the batch: keep one
  const traceIds = [...new Set(events.map((e) => e.trace_id))];
  const earlier: SeenSpan[] = await trx('seen_spans').where('project_id', projectId).whereRaw('trace_id = ANY(?)', [traceIds])
    .select('trace_id', 'span_id', 'parent_span_id', 'usage_state');
  for (const span of earlier) byKey.delete(`${span.trace_id}:${span.span_id}`);
  const candidates = [...byKey.values()];
  const states = decideUsageStates(candidates, earlier);
  const fresh: CanonicalEvent[] = [];
  for (let i = 0; i < candidates.length; i += SEEN_CHUNK) {
    const chunk = candidates.slice(i, i + SEEN_CHUNK);
    const inserted: { trace_id: string; span_id: string }[] = await trx('seen_spans')
      .insert(chunk.map((e, j) => ({ project_id: projectId, trace_id: e.trace_id, span_id: e.span_id, parent_span_id: e.parent_span_id, usage_state: states[i + j] })))
      .onConflict(['project_id', 'trace_id', 'span_id'])
      .ignore()
      .returning(['trace_id', 'span_id']);
    for (const row of inserted) fresh.push(byKey.get(`${row.trace_id}:${row.span_id}`)!);
  }
  return fresh;
}

/** Arrays are merged as sorted sets; the previews follow the rank/time rule of trace-delta.ts. */
function summaryMerge(db: Knex) {
  const add = (c: string) => db.raw(`trace_summaries.${c} + excluded.${c}`);
  const union = (c: string) => db.raw(`ARRAY(SELECT DISTINCT x COLLATE "C" FROM unnest(trace_summaries.${c} || excluded.${c}) AS u(x) ORDER BY 1)`);
  // The batch holding the root span decides the trace's ids; otherwise the first id seen stays.
  const rootOrFirst = (c: string) =>
    db.raw(`CASE WHEN excluded.root_span_id <> '' AND excluded.${c} IS NOT NULL THEN excluded.${c} ELSE COALESCE(trace_summaries.${c}, excluded.${c}) END`);
  const inputWins = `excluded.input_preview IS NOT NULL AND (trace_summaries.input_preview IS NULL
    OR excluded.input_preview_rank > trace_summaries.input_preview_rank
    OR (excluded.input_preview_rank = trace_summaries.input_preview_rank AND excluded.input_preview_at < trace_summaries.input_preview_at))`;
  const outputWins = `excluded.output_preview IS NOT NULL AND (trace_summaries.output_preview IS NULL
    OR excluded.output_preview_rank > trace_summaries.output_preview_rank
    OR (excluded.output_preview_rank = trace_summaries.output_preview_rank AND excluded.output_preview_at > trace_summaries.output_preview_at))`;
  const pick = (condition: string, c: string) => db.raw(`CASE WHEN ${condition} THEN excluded.${c} ELSE trace_summaries.${c} END`);
  // Until a root span arrives the earliest span names the trace; the root's name then wins for good.
  const rootWins = `excluded.root_span_id <> '' OR (trace_summaries.root_span_id = '' AND excluded.start_time < trace_summaries.start_time)`;
  return {
    name: pick(rootWins, 'name'),
    service_name: pick(rootWins, 'service_name'),
    environment: pick(rootWins, 'environment'),
    root_span_id: db.raw(`CASE WHEN excluded.root_span_id <> '' THEN excluded.root_span_id ELSE trace_summaries.root_span_id END`),
    start_time: db.raw('LEAST(trace_summaries.start_time, excluded.start_time)'),
    end_time: db.raw('GREATEST(trace_summaries.end_time, excluded.end_time)'),
    ...Object.fromEntries(COUNTED_FIELDS.map((c) => [c, add(c)])),
    session_id: rootOrFirst('session_id'),
    user_id: rootOrFirst('user_id'),
    conversation_id: rootOrFirst('conversation_id'),
    models: union('models'),
    unpriced_models: union('unpriced_models'),
    tags: union('tags'),
    input_preview: pick(inputWins, 'input_preview'),
    input_preview_rank: pick(inputWins, 'input_preview_rank'),
    input_preview_at: pick(inputWins, 'input_preview_at'),
    output_preview: pick(outputWins, 'output_preview'),
    output_preview_rank: pick(outputWins, 'output_preview_rank'),
    output_preview_at: pick(outputWins, 'output_preview_at'),
    updated_at: db.fn.now(),
  };
}

interface TraceGroups {
  session_id: string | null;
  conversation_id: string | null;
}

/** Folds the deltas into trace_summaries; returns each touched trace's groups after the merge. */
async function upsertSummaries(trx: Knex.Transaction, deltas: TraceDelta[]): Promise<TraceGroups[]> {
  const groups: TraceGroups[] = [];
  for (let i = 0; i < deltas.length; i += SUMMARY_CHUNK) {
    const chunk = deltas.slice(i, i + SUMMARY_CHUNK);
    groups.push(...(await trx('trace_summaries').insert(chunk).onConflict(['project_id', 'trace_id']).merge(summaryMerge(trx)).returning(['session_id', 'conversation_id'])));
  }
  return groups;
}

/**
 * The groups the batch may take traces out of. A stored trace changes its session or conversation
 * only when the batch brings its root span with an id (summaryMerge's rootOrFirst), so only those
 * traces are read, and none when the batch has no such root.
 */
async function groupsTracesMayLeave(trx: Knex.Transaction, projectId: string, deltas: TraceDelta[]): Promise<TraceGroups[]> {
  const regrouped = deltas.filter((d) => d.root_span_id !== '' && (d.session_id !== null || d.conversation_id !== null)).map((d) => d.trace_id);
  if (regrouped.length === 0) return [];
  // One array parameter rather than an IN list of thousands of values.
  return trx('trace_summaries').where('project_id', projectId).whereRaw('trace_id = ANY(?)', [regrouped]).select('session_id', 'conversation_id');
}

/**
 * Writes one request's events. Throws QuotaExceeded (429), with nothing stored, when the new events
 * take the tenant past its monthly event quota; `now` picks the month they count in.
 */
export async function writeBatch(db: Knex, scope: BatchScope, events: CanonicalEvent[], bodyBytes: number, now = new Date()): Promise<WriteResult> {
  if (events.length === 0) return { written: 0, duplicates: 0, outboxId: null };
  return db.transaction(async (trx) => {
    const fresh = await keepUnseen(trx, scope.projectId, events);
    if (fresh.length === 0) return { written: 0, duplicates: events.length, outboxId: null };
    await foldIntoSummaries(trx, scope.projectId, traceDeltas(fresh));
    // Last before the outbox: the usage row's lock, which serialises a tenant's writers, is held briefly.
    await countUsageWithinQuota(trx, scope.tenantId, { events: fresh.length, bytes: bodyBytes }, now);
    return { written: fresh.length, duplicates: events.length - fresh.length, outboxId: await appendToOutbox(trx, scope, fresh) };
  });
}

/** Folds trace deltas into trace_summaries and recomputes the sessions and conversations they touch. */
export async function foldIntoSummaries(trx: Knex.Transaction, projectId: string, deltas: TraceDelta[]): Promise<void> {
  // Groups of the touched traces before and after the upsert: a trace may gain or change its session.
  const before = await groupsTracesMayLeave(trx, projectId, deltas);
  const touched = [...before, ...(await upsertSummaries(trx, deltas))];
  await recomputeGroups(trx, 'sessions', projectId, touched.map((t) => t.session_id));
  await recomputeGroups(trx, 'conversations', projectId, touched.map((t) => t.conversation_id));
}

/** Adds `events` to the outbox as one row (the shipper delivers it to the analytics store); returns the row's id. */
export async function appendToOutbox(trx: Knex.Transaction, scope: BatchScope, events: CanonicalEvent[]): Promise<number> {
  const [outbox] = await trx('ingest_outbox')
    .insert({ tenant_id: scope.tenantId, project_id: scope.projectId, event_count: events.length, payload: await encodeOutboxPayload(events) })
    .returning('id');
  return Number(outbox.id ?? outbox);
}
