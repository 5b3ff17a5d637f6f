/**
 * What the OTLP export request walks of both encodings (read-common-protobuf.ts, read-common-json.ts) share:
 * the per-item checks a signal (traces, logs) supplies, and the result, items kept and items refused.
 */
import type { RejectedSpan } from './span.ts';

/** How a signal checks and refuses one decoded item (span, log record). */
export interface ItemChecks<T> {
  /** Why the item is invalid, or null. */
  validate(item: T): string | null;
  /** The `rejected` entry for the item at `index` (counted across the whole request). */
  reject(index: number, problem: string): RejectedSpan;
}

/** The items of one export request that passed their checks, and the ones refused (by request-wide index). */
export interface ExportItems<T> {
  items: T[];
  rejected: RejectedSpan[];
}
