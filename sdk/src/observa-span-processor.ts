/**
 * ObservaSpanProcessor: the LLM-aware SpanProcessor, usable alone next to a user's own processors
 * (NodeSDK `spanProcessors`) or through init().
 *
 * Lifecycle: onStart stamps the active Observa scope (session, user, conversation, tags, metadata)
 * on the live span, where every processor sees it. onEnd never touches the shared span: it builds a
 * processed copy (normalised, redacted, truncated; see SpanTransform), passes it through the
 * `exportOnly` filter, and queues it in a bounded BatchSpanProcessor over the OTLP exporter. Nothing
 * here throws into the app; drops are counted and reported once. forceFlush and shutdown never
 * reject; shutdown is safe to call twice.
 */
import { TraceFlags, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { activeConnection, setActiveConnection, type Connection } from './active-sdk.ts';
import { resolveConfig, type ResolvedConfig } from './config.ts';
import { DropCounter } from './drop-counter.ts';
import { ExportQueue } from './export-queue.ts';
import { isLlmRelevant } from './llm-relevance.ts';
import { LlmSpanFilter } from './llm-span-filter.ts';
import { otlpExporter } from './observa-exporter.ts';
import { scopeAttributes, scopeOf } from './observa-context.ts';
import { SafeSpanExporter } from './safe-span-exporter.ts';
import { SpanTransform } from './span-transform.ts';
import type { DropCounts, ObservaSpanProcessorOptions } from './types.ts';

export class ObservaSpanProcessor implements SpanProcessor {
  readonly #drops = new DropCounter();
  readonly #disabled: boolean;
  readonly #transform: SpanTransform;
  readonly #filter: LlmSpanFilter | undefined;
  readonly #queue: ExportQueue;
  readonly #connection: Connection;
  #shutdown: Promise<void> | undefined;

  /** Resolves `options` over the OTEL_* / OBSERVA_* environment; throws ObservaConfigError on nonsense. */
  constructor(options: ObservaSpanProcessorOptions = {}) {
    const config: ResolvedConfig = resolveConfig(options);
    this.#disabled = config.disabled;
    this.#transform = new SpanTransform(config.processing, this.#drops);
    const { exportOnly, llmBuffer } = config.processing;
    this.#filter = exportOnly === 'llm' ? new LlmSpanFilter(llmBuffer, this.#drops) : undefined;
    const target = options.exporter ? (options.exporter.constructor?.name ?? 'exporter') : config.tracesUrl;
    const exporter = new SafeSpanExporter(options.exporter ?? otlpExporter(config), this.#drops, target);
    this.#queue = new ExportQueue(exporter, config.batch, this.#drops, config.timeoutMillis);
    this.#connection = { endpoint: config.endpoint, headers: config.headers, timeoutMillis: config.timeoutMillis, disabled: config.disabled };
    setActiveConnection(this.#connection);
  }

  /** Stamps the Observa scope of the parent context on the starting span (keys it already has win). */
  onStart(span: Span, parentContext: Context): void {
    if (this.#disabled) return;
    try {
      for (const [key, value] of Object.entries(scopeAttributes(scopeOf(parentContext)))) {
        if (span.attributes[key] === undefined) span.setAttribute(key, value!);
      }
    } catch {
      // Stamping is best effort; a span without its scope is better than a broken app.
    }
  }

  /** Processes the ended span and queues what should be exported. */
  onEnd(span: ReadableSpan): void {
    if (this.#disabled || this.#shutdown || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    try {
      const relevant = this.#filter ? isLlmRelevant(span.attributes) : true;
      const processed = this.#transform.apply(span);
      if (!processed) return;
      const ready = this.#filter ? this.#filter.accept(processed, relevant) : [processed];
      for (const item of ready) this.#queue.add(item);
    } catch {
      // A processing bug must cost a span, never the app.
    }
  }

  /** Exports everything queued. Never rejects. */
  forceFlush(): Promise<void> {
    return this.#queue.flush();
  }

  /** Flushes, then stops exporting. Never rejects; safe to call twice. */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      this.#filter?.clear();
      await this.#queue.shutdown();
      if (activeConnection() === this.#connection) setActiveConnection(undefined);
    })();
    return this.#shutdown;
  }

  /** Spans dropped so far, by reason. */
  droppedSpans(): DropCounts {
    return this.#drops.counts();
  }
}
