/**
 * `exportOnly: 'llm'`: passes LLM-relevant spans and their ancestors, drops the rest. Ancestors end
 * after their children, so an ended plain span waits in a per-trace buffer until a descendant turns
 * out to be LLM-relevant (it is released then), or its local root ends (the trace is over locally: the
 * rest is dropped). An LLM span whose ancestor is still open marks it `keep`, so that ancestor is
 * exported the moment it ends, and marks its parent in turn.
 *
 * Memory bound: at most `maxSpans` ended spans wait across all traces (each already cut to
 * `maxAttributeLength` per string attribute), plus at most MAX_TRACES per-trace records holding span
 * ids. A trace with no span ending for `timeoutMillis` is forgotten. A full buffer drops the newcomer
 * and counts it (`buffer_full`).
 */
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { DropCounter } from './drop-counter.ts';

const MAX_TRACES = 10_000;

interface TraceState {
  /** Ended plain spans that may still turn out to be ancestors, by span id. */
  readonly pending: Map<string, ReadableSpan>;
  /** Open spans known to be ancestors of an LLM span. */
  readonly keep: Set<string>;
  touched: number;
}

export interface LlmBufferBounds {
  maxSpans: number;
  timeoutMillis: number;
}

export class LlmSpanFilter {
  /** Insertion order is last-touched order, so expired traces are at the front. */
  readonly #traces = new Map<string, TraceState>();
  #buffered = 0;

  constructor(
    private readonly bounds: LlmBufferBounds,
    private readonly drops: DropCounter,
    private readonly now: () => number = Date.now,
  ) {}

  /** Decides on one ended span; returns what to export now: the span and/or ancestors it releases. */
  accept(span: ReadableSpan, relevant: boolean): ReadableSpan[] {
    this.#sweep();
    const { traceId, spanId } = span.spanContext();
    const parent = localParentId(span);
    const kept = this.#traces.get(traceId)?.keep.delete(spanId) ?? false;
    let exported: ReadableSpan[] = [];
    if (relevant || kept) {
      exported = [span, ...this.#releaseAncestors(traceId, parent)];
    } else if (parent !== undefined) {
      this.#buffer(traceId, span);
    }
    if (parent === undefined) this.#forget(traceId);
    return exported;
  }

  /** Number of ended spans waiting. */
  get buffered(): number {
    return this.#buffered;
  }

  /** Forgets everything (shutdown). */
  clear(): void {
    this.#traces.clear();
    this.#buffered = 0;
  }

  #releaseAncestors(traceId: string, parentId: string | undefined): ReadableSpan[] {
    const released: ReadableSpan[] = [];
    if (parentId === undefined) return released;
    const state = this.#touch(traceId);
    for (let id: string | undefined = parentId; id !== undefined; ) {
      const ancestor = state.pending.get(id);
      if (!ancestor) {
        state.keep.add(id); // still open: exported when it ends
        break;
      }
      state.pending.delete(id);
      this.#buffered--;
      released.push(ancestor);
      id = localParentId(ancestor);
    }
    return released;
  }

  #buffer(traceId: string, span: ReadableSpan): void {
    if (this.#buffered >= this.bounds.maxSpans) {
      this.drops.add('buffer_full', 1, `${this.bounds.maxSpans} spans were waiting for an LLM descendant`);
      return;
    }
    this.#touch(traceId).pending.set(span.spanContext().spanId, span);
    this.#buffered++;
  }

  /** The trace's state, created if needed and moved to the back of the expiry order. */
  #touch(traceId: string): TraceState {
    const state = this.#traces.get(traceId) ?? { pending: new Map(), keep: new Set(), touched: 0 };
    state.touched = this.now();
    this.#traces.delete(traceId);
    this.#traces.set(traceId, state);
    if (this.#traces.size > MAX_TRACES) {
      const [oldest] = this.#traces.keys();
      const evicted = this.#forget(oldest);
      this.drops.add('buffer_full', evicted, `more than ${MAX_TRACES} traces were open`);
    }
    return state;
  }

  #sweep(): void {
    const expired = this.now() - this.bounds.timeoutMillis;
    for (const [traceId, state] of this.#traces) {
      if (state.touched > expired) break;
      this.#forget(traceId);
    }
  }

  /** Drops a trace's state; returns how many buffered spans went with it. */
  #forget(traceId: string): number {
    const state = this.#traces.get(traceId);
    if (!state) return 0;
    this.#traces.delete(traceId);
    this.#buffered -= state.pending.size;
    return state.pending.size;
  }
}

/** The parent's span id when the parent is in this process; undefined for a (local) root. */
function localParentId(span: ReadableSpan): string | undefined {
  const parent = span.parentSpanContext;
  return parent && !parent.isRemote ? parent.spanId : undefined;
}
