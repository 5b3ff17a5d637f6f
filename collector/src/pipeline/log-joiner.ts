/**
 * Joins OTLP log records to their span, whichever arrived first. A round claims pending records
 * (span_log_records) whose span has been seen and whose batch has left the outbox, so the span is
 * readable in the analytics store; reads the span there; completes it with all its records
 * (complete-with-logs.ts); prices it again; and writes the new version back through the outbox, in
 * one transaction with the trace summary's change and the records marked joined. The events table
 * keeps the newest version of a span (ReplacingMergeTree on ingested_at), so readers see the
 * completed span once it is shipped. The summary's change is counted from the version read, so a span
 * is completed again only once its previous completed version has shipped, and rounds of several
 * processes on one span take turns on an advisory lock. A record whose span is seen but not readable
 * (deleted, its batch dead-lettered) backs off up to an hour; records whose span never comes wait
 * until the dedup window (or the retention) prunes them. Claims use FOR UPDATE SKIP LOCKED.
 *
 * Lifecycle: start() once; poke() after records are stored or batches are shipped; shutdown() stops the loop.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { PollLoop } from '../background/poll-loop.ts';
import type { CanonicalEvent, CanonicalSpanEvent } from '../events/canonical-event.ts';
import { WARNINGS_ATTRIBUTE } from '../otlp/validate-span.ts';
import type { AnalyticsStore } from '../stores/analytics/analytics-store.ts';
import type { ModelPriceOverrides } from '../stores/control/model-price-overrides.ts';
import type { ProjectRetention } from '../stores/control/project-retention.ts';
import { completeWithLogs } from './complete-with-logs.ts';
import { enrich, recordWarnings } from './enrich.ts';
import type { OutboxShipper } from './outbox-shipper.ts';
import { revisionDelta, type TraceDelta } from './trace-delta.ts';
import { appendToOutbox, foldIntoSummaries, type BatchScope } from './write-batch.ts';

/** Records claimed per round. */
const CLAIM = 500;
const MAX_BACKOFF_SECONDS = 3600;
/**
 * Log records kept on one span, the first received: a span is one analytics row, rewritten at each
 * join, and an app logging in a loop must not make it unbounded. GenAI message events are a handful per call.
 */
export const MAX_RECORDS_PER_SPAN = 1000;

interface Claimed {
  id: string;
  tenant_id: string;
  project_id: string;
  trace_id: string;
  /** The span the record joins: its own span id, or the trace's root for a record without one. */
  target_span_id: string;
}

/** One span to complete: its records claimed this round. */
interface SpanToJoin {
  scope: BatchScope;
  traceId: string;
  spanId: string;
  ids: string[];
}

export interface LogJoinerDeps {
  db: Knex;
  analytics: AnalyticsStore;
  shipper: OutboxShipper;
  priceOverrides: ModelPriceOverrides;
  retention: ProjectRetention;
  log: Logger;
}

export class LogJoiner {
  private readonly loop: PollLoop;

  constructor(
    private readonly deps: LogJoinerDeps,
    pollMs: number,
  ) {
    this.loop = new PollLoop(() => this.joinOnce(), pollMs, (err) =>
      deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'joining log records to spans failed; will retry'));
  }

  start(): void {
    this.loop.start();
  }

  poke(): void {
    this.loop.poke();
  }

  async shutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One round; returns how many records were joined. */
  async joinOnce(): Promise<number> {
    const { db } = this.deps;
    return db.transaction(async (trx) => {
      const claimed = await claimReady(trx);
      if (claimed.length === 0) return 0;
      const completed = new Map<string, { scope: BatchScope; events: CanonicalEvent[]; spans: SpanToJoin[] }>();
      // One read per trace, however many of its spans have records this round.
      const traces = new Map<string, Promise<CanonicalEvent[]>>();
      const spansOfTrace = ({ scope, traceId }: SpanToJoin) => {
        const key = `${scope.projectId}:${traceId}`;
        let read = traces.get(key);
        if (!read) traces.set(key, (read = this.deps.analytics.query('trace_spans', { ...scope, traceId })));
        return read;
      };
      for (const span of spansOf(claimed)) {
        // Another round (this process or another) may have just written this span: its version must be read back first.
        if (!(await lockShippedSpan(trx, span))) continue;
        const event = await this.complete(trx, span, await spansOfTrace(span));
        if (!event) {
          await backOff(trx, span.ids);
          continue;
        }
        const entry = completed.get(span.scope.projectId) ?? { scope: span.scope, events: [], spans: [] };
        entry.events.push(event.after);
        entry.spans.push(span);
        completed.set(span.scope.projectId, entry);
        const delta = revisionDelta(event.before, event.after);
        await foldIntoSummaries(trx, span.scope.projectId, [delta]);
        await replaceOwnPreviews(trx, delta);
      }
      let joined = 0;
      for (const { scope, events, spans } of completed.values()) {
        const outboxId = await appendToOutbox(trx, scope, events);
        for (const span of spans) {
          await trx('span_log_records').whereRaw('id = ANY(?::bigint[])', [span.ids]).update({ merged_at: trx.fn.now(), joined_span_id: span.spanId, outbox_id: outboxId });
          joined += span.ids.length;
        }
      }
      if (completed.size > 0) this.deps.shipper.poke();
      return joined;
    });
  }

  /** The span (found in `spans`, its trace as stored) completed with all its records (also those joined before), or null when it is not readable. */
  private async complete(trx: Knex.Transaction, span: SpanToJoin, spans: CanonicalEvent[]): Promise<{ before: CanonicalEvent; after: CanonicalEvent } | null> {
    const { priceOverrides, retention } = this.deps;
    const before = spans.find((s) => s.span_id === span.spanId);
    if (!before) return null;
    const isRoot = before.parent_span_id === '';
    const rows: { event: CanonicalSpanEvent }[] = await trx('span_log_records')
      .where({ project_id: span.scope.projectId, trace_id: span.traceId })
      .where((q) => (isRoot ? q.where('span_id', span.spanId).orWhere('span_id', '') : q.where('span_id', span.spanId)))
      .orderBy('id')
      .limit(MAX_RECORDS_PER_SPAN + 1)
      .select('event');
    const records = rows.slice(0, MAX_RECORDS_PER_SPAN).map((r) => r.event); // jsonb: parsed by both drivers
    records.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    // Read in this transaction: it holds the control plane's one connection on PGlite.
    const overrides = await priceOverrides.forProject(span.scope.projectId, trx);
    const retentionDays = await retention.days(span.scope.projectId, trx);
    const completed = completeWithLogs(before, records);
    const capped = `more than ${MAX_RECORDS_PER_SPAN} log records for this span: only the first ${MAX_RECORDS_PER_SPAN} received are kept`;
    const noted = completed.attributes[WARNINGS_ATTRIBUTE];
    if (rows.length > MAX_RECORDS_PER_SPAN && !(Array.isArray(noted) && noted.includes(capped))) recordWarnings(completed, [capped]);
    const after = enrich(completed, span.scope, { priceOverrides: overrides, retentionDays }).event;
    return { before, after };
  }
}

/**
 * SQL: whether a version of the span (SQL expressions for its project, trace and span id) that an
 * earlier round completed is still in the outbox. The analytics store would answer the version before
 * it, and the summary's change would be counted from the wrong one.
 */
const joinedNotShipped = (project: string, trace: string, span: string) => `EXISTS (
  SELECT 1 FROM span_log_records j JOIN ingest_outbox jo ON jo.id = j.outbox_id
  WHERE j.project_id = ${project} AND j.trace_id = ${trace} AND j.joined_span_id = ${span})`;

/**
 * Takes the span's lock for this transaction, then checks that no version of it is waiting in the
 * outbox: two rounds (two processes) that claimed different records of one span do it one after the
 * other, and the second waits for the first's version to be shipped (false: its records stay pending).
 */
async function lockShippedSpan(trx: Knex.Transaction, span: SpanToJoin): Promise<boolean> {
  await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`observa.log-join:${span.scope.projectId}:${span.traceId}:${span.spanId}`]);
  const { rows } = await trx.raw(`SELECT ${joinedNotShipped('?::uuid', '?', '?')} AS waiting`, [span.scope.projectId, span.traceId, span.spanId]);
  return !rows[0].waiting;
}

/**
 * Pending records whose span is seen and shipped: no outbox row of the project that is older than the
 * span's first sighting is left (seen_spans and the outbox row are written in one transaction, so they
 * share now()), nor a version of the span an earlier round completed. Dead-lettered rows are not waited
 * for: their span is not readable and the record backs off.
 */
async function claimReady(trx: Knex.Transaction): Promise<Claimed[]> {
  const { rows } = await trx.raw(
    `SELECT l.id, l.tenant_id, l.project_id, l.trace_id, s.span_id AS target_span_id
     FROM span_log_records l
     LEFT JOIN trace_summaries t ON l.span_id = '' AND t.project_id = l.project_id AND t.trace_id = l.trace_id
     JOIN seen_spans s ON s.project_id = l.project_id AND s.trace_id = l.trace_id
       AND s.span_id = CASE WHEN l.span_id = '' THEN t.root_span_id ELSE l.span_id END
     WHERE l.merged_at IS NULL AND l.available_at <= now()
       AND NOT EXISTS (SELECT 1 FROM ingest_outbox o
                       WHERE o.project_id = l.project_id AND o.created_at <= s.seen_at AND o.dead_lettered_at IS NULL)
       AND NOT ${joinedNotShipped('l.project_id', 'l.trace_id', 's.span_id')}
     ORDER BY l.id LIMIT ? FOR UPDATE OF l SKIP LOCKED`,
    [CLAIM],
  );
  return (rows as Claimed[]).map((r) => ({ ...r, id: String(r.id) }));
}

function spansOf(claimed: Claimed[]): SpanToJoin[] {
  const spans = new Map<string, SpanToJoin>();
  for (const row of claimed) {
    const key = `${row.project_id}:${row.trace_id}:${row.target_span_id}`;
    let span = spans.get(key);
    if (!span) spans.set(key, (span = { scope: { tenantId: row.tenant_id, projectId: row.project_id }, traceId: row.trace_id, spanId: row.target_span_id, ids: [] }));
    span.ids.push(row.id);
  }
  return [...spans.values()];
}

/**
 * The summary keeps a preview against later ones of the same rank and time, so a preview this span
 * gave before (from part of its records) would stay: it is replaced by the completed span's. Rank and
 * time name the span that gave a preview (root or not, its start or end).
 */
async function replaceOwnPreviews(trx: Knex.Transaction, delta: TraceDelta): Promise<void> {
  for (const side of ['input', 'output'] as const) {
    const preview = delta[`${side}_preview`];
    if (preview === null) continue;
    await trx('trace_summaries')
      .where({ project_id: delta.project_id, trace_id: delta.trace_id, [`${side}_preview_rank`]: delta[`${side}_preview_rank`], [`${side}_preview_at`]: delta[`${side}_preview_at`] })
      .update({ [`${side}_preview`]: preview });
  }
}

/** What /healthz shows: log records waiting for their span (all projects), and the oldest one's age. */
export async function waitingLogRecords(db: Knex): Promise<{ records: number; oldest_age_seconds: number }> {
  const { rows } = await db.raw(
    `SELECT count(*)::int AS records, COALESCE(extract(epoch FROM now() - min(received_at)), 0)::float AS age
     FROM span_log_records WHERE merged_at IS NULL`,
  );
  return { records: Number(rows[0].records), oldest_age_seconds: Math.round(Number(rows[0].age)) };
}

/** Seen but not readable yet (or ever): try again after 2^attempts seconds, at most an hour. */
async function backOff(trx: Knex.Transaction, ids: string[]): Promise<void> {
  await trx('span_log_records').whereRaw('id = ANY(?::bigint[])', [ids]).update({
    attempts: trx.raw('attempts + 1'),
    available_at: trx.raw(`now() + make_interval(secs => LEAST(power(2, attempts), ${MAX_BACKOFF_SECONDS}))`),
  });
}
