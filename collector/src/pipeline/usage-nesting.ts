/**
 * Trace-level truth: a model call is counted once. A wrapper span and the provider call inside it
 * often report the same usage (Vercel `ai.generateText` around `ai.generateText.doGenerate`, an
 * OpenInference chain or agent around its LLM spans, a framework LLM span around the OpenAI
 * instrumentation's span). The rule, applied to every span that reports usage (tokens or a cost):
 *
 *   a span's usage counts unless (a) a span nested below it in the trace reports usage, or
 *   (b) a span above it already counts its usage.
 *
 * So within what has arrived, the innermost usage wins; across batches, whichever was counted first
 * stays counted (a parent exported before its children keeps its aggregate, the children then do not
 * count). Either way the totals equal the calls made. The decision is made once, in the ingest
 * transaction, and shipped with the event (`counts_usage`), so summaries and analytics agree.
 * Known limit: nesting is followed through the spans seen so far; a child whose parent link is still
 * missing (its intermediate span not yet arrived) cannot see a counted ancestor.
 */
import type { CanonicalEvent } from '../events/canonical-event.ts';

export const UsageState = { NONE: 0, NOT_COUNTED: 1, COUNTED: 2 } as const;
export type UsageStateValue = (typeof UsageState)[keyof typeof UsageState];

/** Nesting deeper than this is not followed (and parent cycles in hostile input end here). */
const MAX_DEPTH = 64;

/** A span of a trace as seen_spans records it. */
export interface SeenSpan {
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  usage_state: number;
}

export function reportsUsage(event: CanonicalEvent): boolean {
  return event.input_tokens > 0 || event.output_tokens > 0 || event.total_tokens > 0 || (event.cost_usd !== null && event.cost_usd > 0);
}

/** One trace's spans, earlier and new, linked both ways. */
class TraceTree {
  private readonly state = new Map<string, number>();
  private readonly parentOf = new Map<string, string>();
  private readonly childrenOf = new Map<string, string[]>();

  add(spanId: string, parentId: string, state: number): void {
    this.state.set(spanId, state);
    this.parentOf.set(spanId, parentId);
    if (!parentId) return;
    const siblings = this.childrenOf.get(parentId);
    if (siblings) siblings.push(spanId);
    else this.childrenOf.set(parentId, [spanId]);
  }

  /** (a) a span nested below reports usage, or (b) a span above already counts it. */
  covered(spanId: string): boolean {
    return this.usageBelow(spanId) || this.countedAbove(spanId);
  }

  private usageBelow(spanId: string): boolean {
    let level = this.childrenOf.get(spanId) ?? [];
    for (let depth = 0; depth < MAX_DEPTH && level.length > 0; depth++) {
      if (level.some((child) => this.state.get(child) !== UsageState.NONE)) return true;
      level = level.flatMap((child) => this.childrenOf.get(child) ?? []);
    }
    return false;
  }

  private countedAbove(spanId: string): boolean {
    let parent = this.parentOf.get(spanId);
    for (let depth = 0; depth < MAX_DEPTH && parent; depth++) {
      if (this.state.get(parent) === UsageState.COUNTED) return true;
      parent = this.parentOf.get(parent);
    }
    return false;
  }
}

/**
 * The usage state each new event is recorded with, deciding `counts_usage` on the way (set false when
 * covered). `earlier`: the spans of the same traces already in seen_spans. Decided in memory from one
 * read, rather than by a recursive query per batch (which was the write path's most expensive statement).
 * The new spans take part as they would once recorded: NOT_COUNTED when they report usage.
 */
export function decideUsageStates(events: CanonicalEvent[], earlier: SeenSpan[]): UsageStateValue[] {
  const recorded = events.map((e): UsageStateValue => (reportsUsage(e) ? UsageState.NOT_COUNTED : UsageState.NONE));
  const deciding = (i: number) => recorded[i] !== UsageState.NONE && events[i].counts_usage;
  // No span that reports usage and may count it (a batch of plain HTTP or DB spans): no trees to build.
  if (!events.some((_, i) => deciding(i))) return recorded;
  const trees = new Map<string, TraceTree>();
  const treeOf = (traceId: string) => trees.get(traceId) ?? trees.set(traceId, new TraceTree()).get(traceId)!;
  for (const span of earlier) treeOf(span.trace_id).add(span.span_id, span.parent_span_id, span.usage_state);
  events.forEach((e, i) => treeOf(e.trace_id).add(e.span_id, e.parent_span_id, recorded[i]));
  return events.map((e, i) => {
    if (!deciding(i)) return recorded[i];
    if (treeOf(e.trace_id).covered(e.span_id)) {
      e.counts_usage = false;
      return UsageState.NOT_COUNTED;
    }
    return UsageState.COUNTED;
  });
}
