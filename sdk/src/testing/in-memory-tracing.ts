/**
 * For tests: a provider with the Observa processor exporting into memory, registered globally with
 * an AsyncLocalStorage context manager so the helpers (observe, withSession, ...) use it.
 */
import { context, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ObservaSpanProcessor } from '../observa-span-processor.ts';
import type { ObservaSpanProcessorOptions } from '../types.ts';

export interface InMemoryTracing {
  tracer: Tracer;
  processor: ObservaSpanProcessor;
  /** Flushes and returns what the Observa processor exported. */
  exported(): Promise<ReadableSpan[]>;
  /** The exported span called `name` (throws when there is not exactly one). */
  exportedSpan(name: string): Promise<ReadableSpan>;
  close(): Promise<void>;
}

export function startInMemoryTracing(options: ObservaSpanProcessorOptions = {}, others: SpanProcessor[] = []): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  const processor = new ObservaSpanProcessor({ ...options, exporter });
  const provider = new BasicTracerProvider({ spanProcessors: [processor, ...others] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  const exported = async () => {
    await provider.forceFlush();
    return exporter.getFinishedSpans();
  };
  return {
    tracer: provider.getTracer('test'),
    processor,
    exported,
    async exportedSpan(name) {
      const matches = (await exported()).filter((span) => span.name === name);
      if (matches.length !== 1) throw new Error(`expected one exported span "${name}", found ${matches.length}`);
      return matches[0];
    },
    async close() {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
