/**
 * Delivers outbox batches to the analytics store, at least once. A batch is claimed with a lease
 * (available_at moved into the future under FOR UPDATE SKIP LOCKED), so several collector processes
 * never ship the same row at the same time, and a process that dies mid-delivery only delays the
 * batch until its lease ends. The store's append is idempotent, so a re-delivery is harmless.
 *
 * Lifecycle: start() once; poke() after an ingest commit to ship without waiting for the next poll;
 * drain() ships until nothing is due; shutdown() stops the loop and is safe to call twice.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { PollLoop } from '../background/poll-loop.ts';
import { retryDelayMs, writeFailureOf } from '../background/retry-backoff.ts';
import type { AnalyticsStore } from '../stores/analytics/analytics-store.ts';
import { decodeOutboxPayload } from './outbox-payload.ts';

export interface ShipperOptions {
  batchSize: number;
  pollMs: number;
  leaseMs: number;
  maxBackoffMs: number;
}

interface OutboxRow {
  id: string | number;
  tenant_id: string;
  payload: Uint8Array;
  attempts: number;
}

function groupBy<T>(items: T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return [...groups.values()];
}

/** Adds to a tenant's delivery counters (quarantined rows, dead-lettered batches). */
async function bumpStats(
  trx: Knex.Transaction,
  tenantId: string,
  change: { quarantined_rows?: number; dead_lettered_batches?: number; last_quarantine_at?: unknown; last_dead_letter_reason?: string },
): Promise<void> {
  const row = { tenant_id: tenantId, quarantined_rows: 0, dead_lettered_batches: 0, ...change };
  await trx('analytics_delivery_stats')
    .insert(row)
    .onConflict('tenant_id')
    .merge({
      quarantined_rows: trx.raw('analytics_delivery_stats.quarantined_rows + excluded.quarantined_rows'),
      dead_lettered_batches: trx.raw('analytics_delivery_stats.dead_lettered_batches + excluded.dead_lettered_batches'),
      last_quarantine_at: trx.raw('COALESCE(excluded.last_quarantine_at, analytics_delivery_stats.last_quarantine_at)'),
      last_dead_letter_reason: trx.raw('COALESCE(excluded.last_dead_letter_reason, analytics_delivery_stats.last_dead_letter_reason)'),
      updated_at: trx.fn.now(),
    });
}

export interface OutboxBacklog {
  rows: number;
  events: number;
  /** Stored (gzipped) payload bytes. */
  bytes: number;
  oldestAgeSeconds: number;
}

export class OutboxShipper {
  private readonly loop: PollLoop;
  private delivered: () => void = () => {};

  constructor(
    private readonly db: Knex,
    private readonly store: AnalyticsStore,
    private readonly options: ShipperOptions,
    private readonly log: Logger,
  ) {
    this.loop = new PollLoop(() => this.shipOnce(), options.pollMs, (err) =>
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'outbox unreachable; shipping paused'));
  }

  start(): void {
    this.loop.start();
  }

  poke(): void {
    this.loop.poke();
  }

  /** Calls `listener` after each round that delivered batches (the log joiner waits for spans to be readable). */
  whenDelivered(listener: () => void): void {
    this.delivered = listener;
  }

  /**
   * Ships one claimed batch of outbox rows; returns how many rows were delivered. A failed append
   * is logged and rescheduled with backoff; a Postgres failure throws.
   */
  async shipOnce(): Promise<number> {
    const { rows }: { rows: OutboxRow[] } = await this.db.raw(
      `UPDATE ingest_outbox SET available_at = now() + make_interval(secs => ?), attempts = attempts + 1
       WHERE id IN (SELECT id FROM ingest_outbox WHERE available_at <= now() AND dead_lettered_at IS NULL
                    ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)
       RETURNING id, tenant_id, payload, attempts`,
      [this.options.leaseMs / 1000, this.options.batchSize],
    );
    if (rows.length === 0) return 0;
    // One append per tenant: each tenant may have its own store credentials, and quarantine is theirs.
    let delivered = 0;
    for (const group of groupBy(rows, (r) => r.tenant_id)) {
      const outcome = await this.deliver(group);
      if (outcome === 'delivered') delivered += group.length;
      // One refused batch must not hold back the others claimed with it: find it by sending one by one.
      // (After a retryable failure the store asked us to wait: sending more now would not help.)
      else if (outcome === 'refused' && group.length > 1) for (const row of group) if ((await this.deliver([row])) === 'delivered') delivered += 1;
    }
    if (delivered > 0) this.delivered();
    return delivered;
  }

  /**
   * Appends one tenant's rows and deletes them. A retryable failure reschedules them with backoff (at
   * least what the store asked for); a permanent one of a single row dead-letters it with the reason.
   */
  private async deliver(rows: OutboxRow[]): Promise<'delivered' | 'retrying' | 'refused'> {
    const ids = rows.map((r) => Number(r.id));
    const tenantId = rows[0].tenant_id;
    let report;
    try {
      report = await this.store.append((await Promise.all(rows.map((r) => decodeOutboxPayload(r.payload)))).flat());
    } catch (err) {
      const failure = writeFailureOf(err);
      const message = failure.message;
      if (!failure.retryable && rows.length === 1) {
        this.log.error({ outboxId: ids[0], tenantId, err: message }, 'analytics store refused a batch for good; dead-lettered');
        await this.db.transaction(async (trx) => {
          await trx('ingest_outbox').whereIn('id', ids).update({ dead_lettered_at: trx.fn.now(), last_error: message });
          await bumpStats(trx, tenantId, { dead_lettered_batches: 1, last_dead_letter_reason: message });
        });
        return 'refused';
      }
      const attempts = Math.max(...rows.map((r) => r.attempts));
      const delay = retryDelayMs(failure, attempts, this.options.maxBackoffMs);
      this.log.warn({ rows: ids.length, attempts, retryInMs: delay, err: message }, 'analytics append failed; will retry');
      await this.db('ingest_outbox').whereIn('id', ids).update({
        available_at: this.db.raw('now() + make_interval(secs => ?)', [delay / 1000]),
        last_error: message,
      });
      return failure.retryable ? 'retrying' : 'refused';
    }
    await this.db.transaction(async (trx) => {
      await trx('ingest_outbox').whereIn('id', ids).delete();
      const quarantined = report?.quarantinedRows ?? 0;
      if (quarantined > 0) await bumpStats(trx, tenantId, { quarantined_rows: quarantined, last_quarantine_at: trx.fn.now() });
    });
    return 'delivered';
  }

  /** Ships until no row is due (or `until`, epoch ms, has passed). Used by shutdown and by tests that read right after ingesting. */
  async drain(until = Infinity): Promise<void> {
    while (Date.now() < until && (await this.shipOnce()) > 0);
  }

  /** Rows not yet delivered (dead letters apart), and the oldest one's age: the backlog an operator watches. */
  /** What is waiting to ship (dead letters apart: they never will). octet_length reads the stored length, not the payload. */
  async backlog(): Promise<OutboxBacklog> {
    const row = await this.db('ingest_outbox')
      .whereNull('dead_lettered_at')
      .select(this.db.raw('count(*)::int AS rows, COALESCE(sum(event_count), 0)::int AS events, COALESCE(sum(octet_length(payload)), 0)::float8 AS bytes, COALESCE(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age'))
      .first();
    return { rows: Number(row.rows), events: Number(row.events), bytes: Number(row.bytes), oldestAgeSeconds: Number(row.age) };
  }

  async shutdown(): Promise<void> {
    await this.loop.stop();
  }
}
