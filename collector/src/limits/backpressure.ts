/**
 * Ingestion admission against two bounds of the whole collector: the outbox backlog (rows and bytes
 * not yet shipped, because the analytics store is behind or down) and this process's memory. Over
 * either, ingestion answers 503 + Retry-After before any body byte is read (OTLP exporters retry
 * 503), so what is acknowledged never outgrows what the outbox and the heap can hold. A bound clears
 * only under 90% of itself (HysteresisBound), so admission does not flap at the edge.
 *
 * Readings are cheap and lazy: the backlog (one Postgres query) at most once a second, refreshed in
 * the background while requests use the previous reading; memory at most every 250 ms. An idle
 * collector takes no readings, and there is no timer to stop. Between readings each request this
 * process admits counts as one more row (at most one outbox row each), so a burst cannot overshoot
 * the row bound by a second's worth of requests; the next reading corrects the estimate.
 */
import type { Next } from 'koa';
import type { AdmissionContext } from '../app/admission-context.ts';
import { HttpError } from '../http-error.ts';
import { HysteresisBound } from './hysteresis-bound.ts';
import type { OutboxBacklog } from '../pipeline/outbox-shipper.ts';

/** The part of the outbox backlog the bounds weigh. */
export type BacklogReading = Pick<OutboxBacklog, 'rows' | 'bytes'>;

export interface BackpressureLimits {
  maxOutboxRows: number;
  maxOutboxBytes: number;
  maxMemoryBytes: number;
}

const BACKLOG_EVERY_MS = 1000;
const MEMORY_EVERY_MS = 250;
/** An OTel exporter retries only when Retry-After fits in its export timeout (10 s by default). */
const RETRY_AFTER_SECONDS = '5';

/** The memory a flood of ingestion grows: V8 heap objects and Buffers (bodies). RSS would also count chDB's own caches. */
export function jsMemoryBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

export class Backpressure {
  private readonly outboxRows: HysteresisBound;
  private readonly outboxBytes: HysteresisBound;
  private readonly memory: HysteresisBound;
  private backlog: BacklogReading | null = null;
  private backlogReadAt = -Infinity;
  private backlogRead: Promise<void> | null = null;
  /** Requests admitted since the last backlog reading started: rows it may not show yet. */
  private admittedSinceReading = 0;
  private memoryBytes = 0;
  private memoryReadAt = -Infinity;
  /** Requests refused since start, by bound (for /healthz). */
  readonly refused = { outbox: 0, memory: 0 };

  constructor(
    limits: BackpressureLimits,
    private readonly readBacklog: () => Promise<BacklogReading>,
    private readonly readMemory: () => number = jsMemoryBytes,
    private readonly now: () => number = Date.now,
  ) {
    this.outboxRows = new HysteresisBound(limits.maxOutboxRows);
    this.outboxBytes = new HysteresisBound(limits.maxOutboxBytes);
    this.memory = new HysteresisBound(limits.maxMemoryBytes);
  }

  /** Admission step for the ingestion routes (HTTP and gRPC), before the body is read. */
  middleware() {
    return async (ctx: AdmissionContext, next: Next) => {
      await this.refresh();
      const refusal = this.refusal();
      if (refusal) throw refusal;
      this.admittedSinceReading += 1;
      this.outboxRows.update(this.estimatedRows());
      await next();
    };
  }

  /** Takes the readings that are due. Only the very first backlog reading is waited for. */
  async refresh(): Promise<void> {
    const now = this.now();
    if (now - this.memoryReadAt >= MEMORY_EVERY_MS) {
      this.memoryReadAt = now;
      this.memoryBytes = this.readMemory();
      this.memory.update(this.memoryBytes);
    }
    if (!this.backlogRead && now - this.backlogReadAt >= BACKLOG_EVERY_MS) {
      this.backlogReadAt = now;
      const admittedBefore = this.admittedSinceReading;
      this.backlogRead = this.readBacklog()
        .then((backlog) => {
          this.backlog = backlog;
          this.admittedSinceReading -= admittedBefore;
          this.outboxRows.update(this.estimatedRows());
          this.outboxBytes.update(backlog.bytes);
        })
        .finally(() => (this.backlogRead = null));
      // A failed refresh keeps the last reading: the request meets the database itself.
      this.backlogRead.catch(() => {});
    }
    if (this.backlog === null && this.backlogRead) await this.backlogRead;
  }

  private estimatedRows(): number {
    return (this.backlog?.rows ?? 0) + this.admittedSinceReading;
  }

  /** The 503 for a request arriving now, or null to admit it. */
  private refusal(): HttpError | null {
    const backlog = this.backlog ?? { rows: 0, bytes: 0 };
    const over = this.outboxRows.over
      ? `${this.estimatedRows()} rows, at or over OBSERVA_MAX_OUTBOX_ROWS=${this.outboxRows.limit}`
      : this.outboxBytes.over ? `${mib(backlog.bytes)}, at or over OBSERVA_MAX_OUTBOX_BYTES=${mib(this.outboxBytes.limit)}` : null;
    if (over) {
      this.refused.outbox += 1;
      return new HttpError(503, `ingestion paused: the outbox of batches not yet in the analytics store holds ${over}; it resumes below 90% of the bound; retry later`, { 'retry-after': RETRY_AFTER_SECONDS });
    }
    if (this.memory.over) {
      this.refused.memory += 1;
      return new HttpError(503, `ingestion paused: the collector uses ${mib(this.memoryBytes)} of memory, at or over OBSERVA_MAX_MEMORY_MB=${mib(this.memory.limit)}; it resumes below 90% of the bound; retry later`, { 'retry-after': RETRY_AFTER_SECONDS });
    }
    return null;
  }

  /** What /healthz shows: each bound against its reading, and the refusals so far. */
  state() {
    const backlog = this.backlog ?? { rows: 0, bytes: 0 };
    return {
      accepting: !(this.outboxRows.over || this.outboxBytes.over || this.memory.over),
      outbox: { rows: this.estimatedRows(), max_rows: this.outboxRows.limit, bytes: backlog.bytes, max_bytes: this.outboxBytes.limit, over: this.outboxRows.over || this.outboxBytes.over },
      memory: { bytes: this.memoryBytes, max_bytes: this.memory.limit, over: this.memory.over },
      refused: { ...this.refused },
    };
  }
}
