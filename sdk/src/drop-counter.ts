/**
 * Counts spans the SDK had to drop and says so once per reason: telemetry trouble must be visible
 * without flooding the app's logs (a collector that is down fails every export). Once per reason,
 * not once overall: with the collector down the queue often fills before the first export has
 * failed, and a lone "queue full" line would hide the real cause.
 */
import type { DropCounts } from './types.ts';

export type DropReason = keyof DropCounts;

const EXPLANATIONS: Record<DropReason, string> = {
  export_failed: 'the collector refused them or could not be reached',
  queue_full: 'the export queue was full',
  buffer_full: "the exportOnly: 'llm' buffer was full",
  redact_failed: 'the redact hook threw',
};

export type Warn = (message: string) => void;

const consoleWarn: Warn = (message) => console.warn(`[observa] ${message}`);

export class DropCounter {
  readonly #counts: DropCounts = { export_failed: 0, queue_full: 0, buffer_full: 0, redact_failed: 0 };

  constructor(private readonly warn: Warn = consoleWarn) {}

  /** Counts `count` dropped spans; the first drop for a reason is reported with `detail`. */
  add(reason: DropReason, count: number, detail?: string): void {
    if (count <= 0) return;
    const first = this.#counts[reason] === 0;
    this.#counts[reason] += count;
    if (!first) return;
    const because = detail ? `${EXPLANATIONS[reason]}: ${detail}` : EXPLANATIONS[reason];
    this.warn(`dropped ${count} span(s) because ${because}. The app is unaffected; further drops for this reason are only counted (droppedSpans()).`);
  }

  /** A snapshot of the counts. */
  counts(): DropCounts {
    return { ...this.#counts };
  }
}
