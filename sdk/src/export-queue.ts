/**
 * The bounded queue between processing and the exporter: a BatchSpanProcessor whose bound is made
 * visible. BatchSpanProcessor drops silently (a debug log) once `maxQueueSize` spans wait, so this
 * counts the waiting spans itself (a span leaves the queue when the batch processor hands it to the
 * exporter) and refuses the overflow as a counted `queue_full` drop. flush/shutdown never reject:
 * failed exports are already counted by the SafeSpanExporter underneath.
 */
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { BatchConfig } from './config.ts';
import type { DropCounter } from './drop-counter.ts';

export class ExportQueue {
  #waiting = 0;
  readonly #batch: BatchSpanProcessor;

  constructor(
    exporter: SpanExporter,
    private readonly limits: BatchConfig,
    private readonly drops: DropCounter,
    /** The exporter's own time budget; the batch processor waits a little longer before giving up. */
    exportTimeoutMillis: number,
  ) {
    const counting: SpanExporter = {
      export: (spans, done) => {
        this.#waiting = Math.max(0, this.#waiting - spans.length);
        exporter.export(spans, done);
      },
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    };
    this.#batch = new BatchSpanProcessor(counting, { ...limits, exportTimeoutMillis: exportTimeoutMillis + 1000 });
  }

  /**
   * Queues a finished span for export, or counts it as dropped when the queue is full. Sampled spans
   * only (the processor's onEnd checks): the batch processor ignores others, so they would never
   * leave the count.
   */
  add(span: ReadableSpan): void {
    if (this.#waiting >= this.limits.maxQueueSize) {
      this.drops.add('queue_full', 1, `${this.limits.maxQueueSize} spans were waiting for export`);
      return;
    }
    this.#waiting++;
    this.#batch.onEnd(span);
  }

  /** Exports everything queued. Never rejects. */
  async flush(): Promise<void> {
    await this.#batch.forceFlush().catch(() => {});
  }

  /** Flushes and shuts the exporter down. Never rejects; safe to call twice. */
  async shutdown(): Promise<void> {
    await this.#batch.shutdown().catch(() => {});
  }
}
