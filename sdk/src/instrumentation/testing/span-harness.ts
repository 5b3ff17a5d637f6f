/** Test helpers: an in-memory tracer provider and readers for what the wrappers recorded. */
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

export interface SpanHarness {
  readonly provider: BasicTracerProvider;
  /** Finished spans, oldest first. */
  spans(): ReadableSpan[];
  /** Waits until `count` spans have finished (some end a few microtasks after the app's await resumes). */
  waitForSpans(count: number): Promise<ReadableSpan[]>;
  reset(): void;
}

export function spanHarness(): SpanHarness {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const spans = () => exporter.getFinishedSpans();
  return {
    provider,
    spans,
    async waitForSpans(count) {
      for (let i = 0; i < 200 && spans().length < count; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      return spans();
    },
    reset: () => exporter.reset(),
  };
}

/** A JSON attribute, parsed. */
export function jsonAttribute(span: ReadableSpan, key: string): unknown {
  const value = span.attributes[key];
  if (typeof value !== 'string') throw new Error(`attribute ${key} is ${JSON.stringify(value)}, not JSON text`);
  return JSON.parse(value) as unknown;
}

export function durationSeconds(span: ReadableSpan): number {
  return span.duration[0] + span.duration[1] / 1e9;
}

/** Reads a whole async iterable, e.g. a provider stream. */
export async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}
