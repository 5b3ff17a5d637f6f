/**
 * The trace at a glance: name and status, when and how long, tokens and cost, models, and links to
 * the user's traces and the session it belongs to.
 */
import { Fact } from './fact.tsx';
import type { Score, TraceSummary } from '../../api/types.ts';
import { formatCost, formatCount, formatDuration, formatTime } from '../../format.ts';
import { paths } from '../../routes.ts';

export function TraceHeader({ projectId, trace, scores }: { projectId: string; trace: TraceSummary; scores: Score[] }) {
  const traceScores = scores.filter((s) => !s.span_id);
  return (
    <header class="trace-header">
      <div class="page-header">
        <div class="trace-title">
          <a href={paths.traces(projectId)} class="small">← Traces</a>
          <h1>{trace.name || <span class="muted">(unnamed trace)</span>}</h1>
          <span class={`badge status-${trace.status}`}>{trace.status}</span>
        </div>
        <span class="mono small muted" title="Trace id">{trace.trace_id}</span>
      </div>
      <dl class="trace-facts">
        <Fact label="Started">{formatTime(trace.start_time)}</Fact>
        <Fact label="Duration">{formatDuration(trace.duration_ms)}</Fact>
        <Fact label="Spans">
          {formatCount(trace.span_count)}
          {trace.error_count > 0 && <span class="status-error"> · {formatCount(trace.error_count)} failed</span>}
        </Fact>
        <Fact label="Tokens" title={`${formatCount(trace.input_tokens)} in (${formatCount(trace.cache_read_tokens)} cached) · ${formatCount(trace.output_tokens)} out (${formatCount(trace.reasoning_tokens)} reasoning)`}>
          {formatCount(trace.total_tokens)}
        </Fact>
        <Fact label="Cost" title={trace.unpriced_models?.length ? `No price known for ${trace.unpriced_models.join(', ')}: their calls are not counted` : undefined}>
          {formatCost(trace.total_cost_usd)}
          {trace.unpriced_models?.length > 0 && <span class="muted"> + unpriced</span>}
        </Fact>
        {trace.models?.length > 0 && (
          <Fact label="Models">{trace.models.map((m) => <span class="badge mono" key={m}>{m}</span>)}</Fact>
        )}
        {trace.user_id && (
          <Fact label="User">
            <a href={`${paths.traces(projectId)}?user_id=${encodeURIComponent(trace.user_id)}`} title="This user's traces">{trace.user_id}</a>
          </Fact>
        )}
        {trace.session_id && (
          <Fact label="Session">
            <a href={paths.session(projectId, trace.session_id)}>{trace.session_id}</a>
          </Fact>
        )}
        {trace.environment && <Fact label="Environment">{trace.environment}</Fact>}
        {trace.tags?.length > 0 && <Fact label="Tags">{trace.tags.map((t) => <span class="badge" key={t}>{t}</span>)}</Fact>}
        {traceScores.length > 0 && (
          <Fact label="Scores">
            {traceScores.map((s) => <span class="badge" key={s.id} title={s.comment ?? undefined}>{s.name}: {String(s.value)}</span>)}
          </Fact>
        )}
      </dl>
    </header>
  );
}
