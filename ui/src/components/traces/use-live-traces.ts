/**
 * Live mode: every few seconds, ask for traces that started at or after the newest one shown (same
 * filters) and put the new ones on top. Rows already shown are updated in place (a trace grows as its
 * spans arrive). Paused while the tab is hidden; starts over when the list's key changes.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { get, type Query } from '../../api/client.ts';
import type { Page, TraceSummary } from '../../api/types.ts';
import { LIVE_CAP } from './trace-query.ts';

export const LIVE_INTERVAL_MS = 3000;

interface Live {
  rows: TraceSummary[];
  /** Ids that arrived with the last poll, for a brief highlight. */
  fresh: Set<string>;
}

export function useLiveTraces(base: TraceSummary[], key: string, enabled: boolean, filters: Query): Live {
  const [arrived, setArrived] = useState<{ key: string; rows: TraceSummary[]; fresh: Set<string> }>({ key, rows: [], fresh: new Set() });
  const current = arrived.key === key ? arrived : { key, rows: [], fresh: new Set<string>() };

  const rows = useMemo(() => merge(current.rows, base), [current.rows, base]);
  const latest = useRef({ rows, filters, key });
  latest.current = { rows, filters, key };

  useEffect(() => {
    if (!enabled) return;
    let controller: AbortController | null = null;
    const poll = async () => {
      if (document.visibilityState !== 'visible' || controller) return;
      const { rows: shown, filters: params, key: pollKey } = latest.current;
      controller = new AbortController();
      try {
        // `from` is inclusive: the newest row comes back too and is recognised by id.
        const from = shown[0]?.start_time ?? params.from;
        const page = await get<Page<TraceSummary>>('/api/v1/traces', { ...params, from, to: undefined, limit: 100 }, controller.signal);
        setArrived((prev) => {
          const before = prev.key === pollKey ? prev : { key: pollKey, rows: [], fresh: new Set<string>() };
          const known = new Set(latest.current.rows.map((r) => r.trace_id));
          const fresh = new Set(page.data.filter((t) => !known.has(t.trace_id)).map((t) => t.trace_id));
          return { key: pollKey, rows: merge(page.data, before.rows).slice(0, LIVE_CAP), fresh };
        });
      } catch {
        // A failed poll is retried on the next tick; the list stays as it is.
      } finally {
        controller = null;
      }
    };
    const timer = setInterval(poll, LIVE_INTERVAL_MS);
    const onVisible = () => void poll();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      controller?.abort();
    };
  }, [enabled, key]);

  return { rows, fresh: current.fresh };
}

/** Newer rows first, one row per trace (the newer copy wins), newest start first, at most LIVE_CAP. */
function merge(newer: TraceSummary[], older: TraceSummary[]): TraceSummary[] {
  if (newer.length === 0) return older;
  const ids = new Set(newer.map((t) => t.trace_id));
  const all = [...newer, ...older.filter((t) => !ids.has(t.trace_id))];
  all.sort((a, b) => (a.start_time < b.start_time ? 1 : a.start_time > b.start_time ? -1 : a.trace_id < b.trace_id ? 1 : -1));
  return all.slice(0, LIVE_CAP);
}
