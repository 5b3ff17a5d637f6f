/**
 * One session replayed: its totals, then the conversation turn by turn across its traces, oldest
 * first, each turn showing only what it added (see components/sessions/replay-turns.ts).
 */
import { get, withQuery } from '../api/client.ts';
import type { SessionDetail, TraceDetail } from '../api/types.ts';
import { ErrorState, Loading } from '../components/states.tsx';
import { SessionTurn } from '../components/sessions/session-turn.tsx';
import { replayTurns } from '../components/sessions/replay-turns.ts';
import { useTraceDetails } from '../components/sessions/use-trace-details.ts';
import { ModelBadges } from '../components/sessions/model-badges.tsx';
import { StatCard } from '../components/metrics/stat-card.tsx';
import { formatCost, formatCount, formatDuration, formatTime } from '../format.ts';
import { paths } from '../routes.ts';
import { useResource } from '../state/use-resource.ts';
import '../components/sessions/sessions.css';

/** The API returns at most this many traces of a session; the traces list pages further. */
const TRACE_CAP = 1000;

export function SessionPage({ projectId, sessionId }: { projectId: string; sessionId: string }) {
  const resource = useResource((signal) => get<SessionDetail>(`/api/v1/sessions/${encodeURIComponent(sessionId)}`, undefined, signal), `${projectId}/${sessionId}`);
  // Going from one session to another keeps the old answer until the new one arrives: never show it under the new URL.
  const current = resource.data?.session.session_id === sessionId ? resource.data : null;
  const traces = current?.traces ?? [];
  const details = useTraceDetails(traces.map((t) => t.trace_id));

  if (resource.error) return <ErrorState error={resource.error} retry={resource.reload} />;
  if (!current) return <Loading label="Loading session…" />;
  const { session } = current;
  const found = traces.map((t) => details.results[t.trace_id]);
  const turns = replayTurns(traces, found.map((r): TraceDetail | undefined => (r && 'detail' in r ? r.detail : undefined)));
  const tracesOfSession = withQuery(paths.traces(projectId), { session_id: session.session_id });

  return (
    <section class="session-page">
      <header class="page-header">
        <div>
          <a class="small" href={paths.sessions(projectId)}>← Sessions</a>
          <h1>Session <span class="mono session-id">{session.session_id}</span></h1>
        </div>
        <a href={tracesOfSession}>View as traces</a>
      </header>
      <div class="cards">
        <StatCard label="User">
          {session.user_id ? <a href={withQuery(paths.traces(projectId), { user_id: session.user_id })} title="This user's traces">{session.user_id}</a> : <span class="muted">–</span>}
        </StatCard>
        <StatCard label="Started">{formatTime(session.start_time)}</StatCard>
        <StatCard label="Duration">{formatDuration(session.duration_ms)}</StatCard>
        <StatCard label="Traces">{formatCount(session.trace_count)}</StatCard>
        <StatCard label="LLM calls">{formatCount(session.llm_call_count)}</StatCard>
        <StatCard label="Tokens" hint={`${formatCount(session.input_tokens)} in · ${formatCount(session.output_tokens)} out`}>{formatCount(session.total_tokens)}</StatCard>
        <StatCard label="Cost">{formatCost(session.total_cost_usd)}</StatCard>
        <StatCard label="Errors">{session.error_count > 0 ? <span class="status-error">{formatCount(session.error_count)}</span> : '0'}</StatCard>
      </div>
      <div class="session-meta">
        <ModelBadges models={session.models} />
        {details.loaded < traces.length && (
          <span class="session-progress small muted" role="status">
            <progress max={traces.length} value={details.loaded} /> Messages of {details.loaded} of {traces.length} turns loaded
          </span>
        )}
      </div>
      {traces.length >= TRACE_CAP && (
        <p class="small muted">Showing the first {TRACE_CAP} traces of this session: <a href={tracesOfSession}>see them all in Traces</a>.</p>
      )}
      <ol class="turns">
        {traces.map((trace, index) => {
          const result = found[index];
          return (
            <li key={trace.trace_id}>
              <SessionTurn
                projectId={projectId}
                index={index}
                trace={trace}
                turn={turns[index]}
                error={result && 'error' in result ? result.error : null}
                onVisible={details.want}
                onRetry={() => details.retry(trace.trace_id)}
              />
            </li>
          );
        })}
      </ol>
    </section>
  );
}
