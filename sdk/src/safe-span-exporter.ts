/**
 * Wraps any SpanExporter so that exporting can never hurt the app: a throwing exporter becomes a
 * failed result, a failed result counts its spans as dropped (reported once), and shutdown/forceFlush
 * always resolve.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { DropCounter } from './drop-counter.ts';

export class SafeSpanExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly drops: DropCounter,
    /** Where the spans go, for the drop warning. */
    private readonly target: string,
  ) {}

  /** Exports through the inner exporter; `done` is called exactly once, whatever the inner one does. */
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    let settled = false;
    const finish = (result: ExportResult) => {
      if (settled) return;
      settled = true;
      if (result.code !== ExportResultCode.SUCCESS) this.drops.add('export_failed', spans.length, `${this.target}: ${describe(result.error)}`);
      done(result);
    };
    try {
      this.inner.export(spans, finish);
    } catch (error) {
      finish({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  /** Shuts the inner exporter down; never rejects. */
  shutdown(): Promise<void> {
    return settle(() => this.inner.shutdown());
  }

  /** Flushes the inner exporter; never rejects. */
  forceFlush(): Promise<void> {
    return settle(() => this.inner.forceFlush?.());
  }
}

function describe(error: Error | undefined): string {
  if (!error) return 'export failed';
  const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
  return cause && !error.message.includes(cause) ? `${error.message} (${cause})` : error.message || error.name;
}

async function settle(action: () => Promise<void> | undefined): Promise<void> {
  try {
    await action();
  } catch {
    // Already counted or nothing to lose: shutting down must not throw into the app.
  }
}
