/**
 * AnalyticsStore in memory, for tests of the components around the store (the outbox shipper). Same
 * storage semantics as the SQL backends (the core conformance suite checks both): one row per
 * (tenant, project, trace, span), the latest append winning; times read back as RFC 3339 UTC with
 * nine fraction digits; deletes take the same selectors. It answers only trace_spans and span_count: the dashboard queries are SQL
 * pipes, and a JS twin of each would be a second implementation checked only against itself.
 */
import type { AnalyticsQueries, AnalyticsStore, AppendReport, DeleteReport, DeleteSelector, QueryName, Scope } from './analytics-store.ts';
import type { CanonicalEvent } from '../../events/canonical-event.ts';
import { eventMatcher } from './delete-selector.ts';
import { isoToNanos, nanosToIso } from '../../events/time.ts';

type MemoryQuery = 'trace_spans' | 'span_count';
type Answer<N extends QueryName> = (events: CanonicalEvent[], params: AnalyticsQueries[N]['params']) => AnalyticsQueries[N]['row'][];

const inScope = (e: CanonicalEvent, s: Scope) => e.tenant_id === s.tenantId && e.project_id === s.projectId;

const ANSWERS: { [N in MemoryQuery]: Answer<N> } = {
  trace_spans: (events, p) =>
    events
      .filter((e) => inScope(e, p) && e.trace_id === p.traceId)
      .sort((a, b) => compare(a.start_time, b.start_time) || compare(b.end_time, a.end_time) || compare(a.span_id, b.span_id))
      .map((e) => structuredClone(e)),
  span_count: (events, p) => [{ spans: events.filter((e) => inScope(e, p)).length }],
};

export class InMemoryAnalyticsStore implements AnalyticsStore {
  readonly backend = 'memory';
  private readonly rows = new Map<string, CanonicalEvent>();

  async start(): Promise<void> {}

  async append(events: CanonicalEvent[]): Promise<void | AppendReport> {
    // Normalise the whole batch first, so a bad time rejects it untouched, as an insert would.
    const normalised = events.map(normalise);
    for (const e of normalised) this.rows.set(JSON.stringify([e.tenant_id, e.project_id, e.trace_id, e.span_id]), e);
  }

  async query<N extends QueryName>(name: N, params: AnalyticsQueries[N]['params']): Promise<AnalyticsQueries[N]['row'][]> {
    if (!(name in ANSWERS)) throw new Error(`the in-memory analytics store does not answer ${name}; dashboard queries run on chDB`);
    const answer = ANSWERS[name as MemoryQuery] as unknown as Answer<N>;
    return answer([...this.rows.values()], params);
  }

  async delete(selector: DeleteSelector): Promise<DeleteReport> {
    const selected = eventMatcher(selector);
    let deletedRows = 0;
    for (const [key, event] of this.rows) {
      if (!selected(event)) continue;
      this.rows.delete(key);
      deletedRows += 1;
    }
    return { deletedRows };
  }

  async shutdown(): Promise<void> {}
}

/** A stored copy, times spelled as ClickHouse's DateTime64(9, 'UTC') reads them back. */
function normalise(event: CanonicalEvent): CanonicalEvent {
  return { ...structuredClone(event), start_time: utcNanos(event.start_time), end_time: utcNanos(event.end_time) };
}

function utcNanos(iso: string): string {
  const nanos = isoToNanos(iso);
  if (nanos === null) throw new TypeError(`not an RFC 3339 time: ${JSON.stringify(iso)}`);
  return nanosToIso(nanos);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
