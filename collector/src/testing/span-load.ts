/**
 * Load for fault tests: concurrent senders post OTLP/JSON batches (one new trace of unique spans per
 * batch) and record what each request was answered, so a test can check afterwards that every
 * acknowledged span is stored exactly once, whatever it broke meanwhile.
 *
 *   const load = startSpanLoad({ targets: [collector.url], apiKey, senders: 4 });
 *   ... break something ...
 *   await load.stop();
 *   const t = tally(load.batches, await chdbSpanCopies(path.join(dataDir, 'chdb'))); // after the collector stopped
 *   console.log(formatTally('sigkill', t)); // sigkill: sent=… acknowledged=… stored=… duplicated=0 lost=0
 */
import type { Knex } from 'knex';
import { Session, drainPending } from 'chdb';
import { jsonSpan, otlpJson, randomTraceId } from './otlp-json.ts';

/** 'acknowledged': 200. 'refused': any other status (the collector answered, nothing acknowledged). 'failed': no answer. */
export type BatchOutcome = 'acknowledged' | 'refused' | 'failed';

export interface SentBatch {
  traceId: string;
  spanIds: string[];
  target: string;
  outcome: BatchOutcome;
  /** The answer's status (0 when there was none) and, for a refusal, when to retry. */
  status: number;
  retryAfter: string | null;
  /** The network error when there was no answer. */
  error?: string;
}

export interface SpanLoadOptions {
  /** Collector base URLs; sender i posts to targets[i % targets.length]. */
  targets: string[];
  apiKey: string;
  senders: number;
  spansPerBatch?: number;
}

export interface SpanLoad {
  readonly batches: SentBatch[];
  /** Resolves once at least `n` batches have been acknowledged. */
  acknowledgedAtLeast(n: number): Promise<void>;
  /** Stops the senders and waits for their last requests to be answered (or to fail). */
  stop(): Promise<void>;
}

export function startSpanLoad(options: SpanLoadOptions): SpanLoad {
  const spansPerBatch = options.spansPerBatch ?? 10;
  const batches: SentBatch[] = [];
  let running = true;
  const waiters: { n: number; resolve: () => void }[] = [];
  const acknowledged = () => batches.filter((b) => b.outcome === 'acknowledged').length;

  async function sendOne(target: string): Promise<void> {
    const traceId = randomTraceId();
    const spans = Array.from({ length: spansPerBatch }, (_, i) => jsonSpan({ traceId, name: `load ${i}`, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 1 } }));
    const batch = { traceId, spanIds: spans.map((s) => s.spanId), target, retryAfter: null };
    try {
      const response = await fetch(`${target}/v1/traces`, {
        method: 'POST', headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(otlpJson(spans)),
      });
      await response.arrayBuffer();
      batches.push({
        ...batch, outcome: response.status === 200 ? 'acknowledged' : 'refused', status: response.status,
        retryAfter: response.headers.get('retry-after'),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      batches.push({ ...batch, outcome: 'failed', status: 0, error: cause?.code ?? cause?.message ?? String(err) });
    }
    for (const w of waiters.filter((w) => acknowledged() >= w.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  }

  const senders = Array.from({ length: options.senders }, async (_, i) => {
    const target = options.targets[i % options.targets.length];
    while (running) {
      await sendOne(target);
      // As fast as the collector answers; but a collector that is down answers instantly: do not spin.
      if (batches[batches.length - 1].outcome !== 'acknowledged') await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  return {
    batches,
    acknowledgedAtLeast: (n) => (acknowledged() >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    async stop() {
      running = false;
      await Promise.all(senders);
    },
  };
}

/** Refusals a client could not retry: any status but 429/503 with Retry-After (backpressure, a draining collector). */
export const unretryableRefusals = (batches: SentBatch[]) =>
  batches.filter((b) => b.outcome === 'refused' && !((b.status === 429 || b.status === 503) && b.retryAfter));

export interface Tally {
  /** Spans in every batch sent, answered or not. */
  sent: number;
  /** Spans of batches answered 200. */
  acknowledged: number;
  /** Spans of the load found in the store (unacknowledged ones may be there: committed, then the answer was lost). */
  stored: number;
  /** Spans found more than once. */
  duplicated: number;
  /** Acknowledged spans not found. */
  lost: number;
}

/** Compares what the load sent and was acknowledged with how many copies of each span id the store holds. */
export function tally(batches: SentBatch[], copies: Map<string, number>): Tally {
  const spans = batches.flatMap((b) => b.spanIds.map((id) => ({ id, acknowledged: b.outcome === 'acknowledged' })));
  const count = (keep: (s: { id: string; acknowledged: boolean }) => boolean) => spans.filter(keep).length;
  return {
    sent: spans.length,
    acknowledged: count((s) => s.acknowledged),
    stored: count((s) => (copies.get(s.id) ?? 0) > 0),
    duplicated: count((s) => (copies.get(s.id) ?? 0) > 1),
    lost: count((s) => s.acknowledged && !copies.get(s.id)),
  };
}

export const formatTally = (label: string, t: Tally) =>
  `${label}: sent=${t.sent} acknowledged=${t.acknowledged} stored=${t.stored} duplicated=${t.duplicated} lost=${t.lost}`;

/**
 * Batches whose trace summary is wrong: an acknowledged batch must count all its spans, an
 * unacknowledged one all or none (the write transaction is atomic). Summaries from trace_summaries.
 */
export async function wrongTraceSummaries(db: Knex, batches: SentBatch[]): Promise<{ traceId: string; outcome: BatchOutcome; spans: number }[]> {
  const counted = new Map<string, number>();
  const traceIds = batches.map((b) => b.traceId);
  for (let i = 0; i < traceIds.length; i += 1000) {
    const rows = await db('trace_summaries').whereIn('trace_id', traceIds.slice(i, i + 1000)).select('trace_id', 'span_count');
    for (const row of rows) counted.set(row.trace_id, (counted.get(row.trace_id) ?? 0) + Number(row.span_count));
  }
  return batches
    .map((b) => ({ traceId: b.traceId, outcome: b.outcome, spans: counted.get(b.traceId) ?? 0, expected: b.spanIds.length }))
    .filter((b) => (b.outcome === 'acknowledged' ? b.spans !== b.expected : b.spans !== 0 && b.spans !== b.expected))
    .map(({ traceId, outcome, spans }) => ({ traceId, outcome, spans }));
}

/**
 * Copies of each span id in a chDB analytics store's data directory, read as the API reads (FINAL:
 * a re-delivered span collapses on its key). The collector using that directory must have stopped.
 * chDB binds one directory per process at a time, so this opens and releases it.
 */
export async function chdbSpanCopies(chdbPath: string): Promise<Map<string, number>> {
  await drainPending();
  const session = new Session(chdbPath);
  try {
    const result = await session.queryAsync('SELECT span_id, count() AS n FROM events FINAL GROUP BY span_id', { format: 'JSONEachRow' });
    return spanCopies(result.text().split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line)));
  } finally {
    session.close();
    await drainPending();
  }
}

/** A map from `SELECT span_id, count() AS n … GROUP BY span_id` rows (chDB here, or the Tinybird double's `sql`). */
export function spanCopies(rows: { span_id?: unknown; n?: unknown }[]): Map<string, number> {
  return new Map(rows.map((row) => [String(row.span_id), Number(row.n)]));
}
