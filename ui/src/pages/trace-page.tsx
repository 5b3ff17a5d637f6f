/**
 * Trace detail: `/projects/:projectId/traces/:traceId?span=<spanId>&tab=<tab>`. The selected span and
 * tab live in the URL, so a link reopens the same span.
 */
import { get, ApiError } from '../api/client.ts';
import type { TraceDetail } from '../api/types.ts';
import { ErrorState, Loading } from '../components/states.tsx';
import { TraceView } from '../components/trace/trace-view.tsx';
import { paths } from '../routes.ts';
import { useResource } from '../state/use-resource.ts';
import { useUrlQuery } from '../state/url-query.ts';

export function TracePage({ projectId, traceId }: { projectId: string; traceId: string }) {
  const { query, setQuery } = useUrlQuery();
  const { data, error, loading, reload } = useResource(
    (signal) => get<TraceDetail>(`/api/v1/traces/${encodeURIComponent(traceId)}`, undefined, signal),
    `${projectId}/${traceId}`,
  );

  if (error && (error instanceof ApiError ? error.status === 404 || error.status === 400 : false)) {
    return (
      <div class="state state-empty">
        <strong>Trace not found in this project</strong>
        <div class="state-detail">
          No trace <code>{traceId}</code> here. It may belong to another project, be past the retention period, or not have arrived yet.
        </div>
        <a href={paths.traces(projectId)}>← Back to traces</a>
      </div>
    );
  }
  if (error && !data) return <ErrorState error={error} retry={reload} />;
  if (!data || (loading && data.trace.trace_id !== traceId.toLowerCase())) return <Loading label="Loading trace…" />;

  return (
    <TraceView
      projectId={projectId}
      detail={data}
      selectedId={query.span}
      tab={query.tab}
      onSelect={(span) => setQuery({ span })}
      onTab={(tab) => setQuery({ tab: tab === 'chat' ? null : tab })}
      onReload={reload}
    />
  );
}
