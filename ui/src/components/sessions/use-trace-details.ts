/**
 * The details (spans and messages) of a session's traces, fetched in order a few at a time, and only
 * a little ahead of what the reader has scrolled to: a session of hundreds of turns does not load
 * hundreds of traces up front, and the turns before the one on screen are always read first.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../../api/client.ts';
import type { TraceDetail } from '../../api/types.ts';

export type DetailResult = { detail: TraceDetail } | { error: Error };

/** Turns loaded beyond the furthest one seen. */
const LOOKAHEAD = 6;

export interface TraceDetails {
  results: Record<string, DetailResult>;
  loaded: number;
  /** The turn at `index` is (nearly) on screen. */
  want: (index: number) => void;
  retry: (traceId: string) => void;
}

export function useTraceDetails(traceIds: string[], concurrency = 4): TraceDetails {
  const [results, setResults] = useState<Record<string, DetailResult>>({});
  const [demand, setDemand] = useState(LOOKAHEAD);
  // Requested ever (a result may not be committed yet) and how many are on the wire.
  const requested = useRef(new Set<string>());
  const running = useRef(0);
  const controller = useRef(new AbortController());
  const key = traceIds.join(',');

  useEffect(() => {
    controller.current = new AbortController();
    requested.current = new Set();
    running.current = 0;
    setResults({});
    setDemand(LOOKAHEAD);
    return () => controller.current.abort();
  }, [key]);

  useEffect(() => {
    const { signal } = controller.current;
    for (const traceId of traceIds.slice(0, demand)) {
      if (running.current >= concurrency) break;
      if (requested.current.has(traceId)) continue;
      requested.current.add(traceId);
      running.current++;
      get<TraceDetail>(`/api/v1/traces/${traceId}`, undefined, signal).then(
        (detail) => ({ detail }),
        (error: Error) => ({ error }),
      ).then((result) => {
        if (signal.aborted) return;
        running.current--;
        setResults((all) => ({ ...all, [traceId]: result }));
      });
    }
  }, [key, demand, results]);

  const want = useCallback((index: number) => setDemand((d) => Math.max(d, index + 1 + LOOKAHEAD)), []);
  const retry = useCallback((traceId: string) => {
    requested.current.delete(traceId);
    setResults(({ [traceId]: _, ...rest }) => rest);
  }, []);
  const loaded = traceIds.filter((id) => results[id]).length;
  return { results, loaded, want, retry };
}
