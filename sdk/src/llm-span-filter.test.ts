import { afterEach, describe, expect, it, vi } from 'vitest';
import { context, trace, TraceFlags, type SpanContext } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { withTags } from './context-scopes.ts';
import { DropCounter } from './drop-counter.ts';
import { LlmSpanFilter } from './llm-span-filter.ts';
import { startInMemoryTracing, type InMemoryTracing } from './testing/in-memory-tracing.ts';

const LLM = { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' };

let tracing: InMemoryTracing;
afterEach(async () => {
  await tracing?.close();
});

const names = (spans: ReadableSpan[]) => spans.map((span) => span.name).sort();

describe("exportOnly: 'llm' through the processor", () => {
  it('exports LLM spans and their ancestors, and drops unrelated spans', async () => {
    tracing = startInMemoryTracing({ exportOnly: 'llm' });
    const { tracer } = tracing;
    tracer.startActiveSpan('GET /chat', (root) => {
      tracer.startActiveSpan('handler', (handler) => {
        tracer.startSpan('db query').end();
        tracer.startActiveSpan('chat gpt-4o', { attributes: LLM }, (llm) => {
          tracer.startSpan('POST api.openai.com').end(); // a child of the LLM span, not an ancestor
          llm.end();
        });
        handler.end();
      });
      root.end();
    });
    tracer.startActiveSpan('GET /health', (other) => {
      withTags(['internal'], () => tracer.startSpan('plain span in a tag scope').end());
      other.end();
    });

    expect(names(await tracing.exported())).toEqual(['GET /chat', 'chat gpt-4o', 'handler']);
  });

  it('releases an ancestor that ended before its LLM descendant', async () => {
    tracing = startInMemoryTracing({ exportOnly: 'llm' });
    const { tracer } = tracing;
    const root = tracer.startSpan('root');
    const rootContext = trace.setSpan(context.active(), root);
    const job = tracer.startSpan('fire-and-forget job', {}, rootContext);
    const llm = tracer.startSpan('late llm call', { attributes: { 'observa.span.type': 'llm' } }, trace.setSpan(rootContext, job));
    job.end(); // returns before the call it started
    llm.end();
    root.end();

    expect(names(await tracing.exported())).toEqual(['fire-and-forget job', 'late llm call', 'root']);
  });

  it('treats a span with a remote parent as the local root', async () => {
    tracing = startInMemoryTracing({ exportOnly: 'llm' });
    const remote: SpanContext = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED, isRemote: true };
    const server = tracing.tracer.startSpan('server', {}, trace.setSpanContext(context.active(), remote));
    server.end();
    expect(await tracing.exported()).toEqual([]);
  });
});

/** A finished span as the filter sees it. */
function span(name: string, spanId: string, parentId?: string, traceId = 't'.repeat(32)): ReadableSpan {
  const parentSpanContext = parentId ? { traceId, spanId: parentId, traceFlags: TraceFlags.SAMPLED } : undefined;
  return { name, spanContext: () => ({ traceId, spanId, traceFlags: TraceFlags.SAMPLED }), parentSpanContext } as ReadableSpan;
}

describe('LlmSpanFilter bounds', () => {
  it('holds at most maxSpans ended spans and counts the overflow', () => {
    const warn = vi.fn();
    const drops = new DropCounter(warn);
    const filter = new LlmSpanFilter({ maxSpans: 2, timeoutMillis: 60_000 }, drops);
    expect(filter.accept(span('a', 'a1', 'root'), false)).toEqual([]);
    expect(filter.accept(span('b', 'b1', 'root'), false)).toEqual([]);
    expect(filter.accept(span('c', 'c1', 'root'), false)).toEqual([]);
    expect(filter.buffered).toBe(2);
    expect(drops.counts().buffer_full).toBe(1);
    expect(warn).toHaveBeenCalledOnce();
    filter.accept(span('root', 'root'), false); // the local root ends: the trace is over
    expect(filter.buffered).toBe(0);
  });

  it('forgets a trace whose spans stopped ending for timeoutMillis', () => {
    let now = 0;
    const filter = new LlmSpanFilter({ maxSpans: 10, timeoutMillis: 1000 }, new DropCounter(vi.fn()), () => now);
    filter.accept(span('early parent', 'p1', 'root'), false);
    now = 1500;
    expect(names(filter.accept(span('llm', 'l1', 'p1'), true))).toEqual(['llm']);
    expect(filter.buffered).toBe(0);
  });

  it('marks open ancestors so they are exported when they end, all the way up', () => {
    const filter = new LlmSpanFilter({ maxSpans: 10, timeoutMillis: 60_000 }, new DropCounter(vi.fn()));
    expect(names(filter.accept(span('llm', 'l1', 'p1'), true))).toEqual(['llm']);
    expect(names(filter.accept(span('sibling', 's1', 'p1'), false))).toEqual([]);
    expect(names(filter.accept(span('parent', 'p1', 'root'), false))).toEqual(['parent']);
    expect(names(filter.accept(span('root', 'root'), false))).toEqual(['root']);
    expect(filter.buffered).toBe(0);
  });
});
