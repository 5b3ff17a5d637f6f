/**
 * The selected span: what it is (type, name, model), whether it failed and why, its numbers, then
 * tabs for the conversation, metadata, raw attributes, events and scores. The tab is in the URL.
 */
import type { Score, Span } from '../../api/types.ts';
import { paths } from '../../routes.ts';
import { ChatMessages } from '../chat/chat-view.tsx';
import { ExceptionView, isException, SpanEvents } from './span-events.tsx';
import { KeyValueList } from './key-value-list.tsx';
import { ScoresList } from './scores-list.tsx';
import { SpanMetrics } from './span-metrics.tsx';
import { typeClass, typeLabel, typeTitle } from './span-type.ts';

export const SPAN_TABS = ['chat', 'metadata', 'attributes', 'events', 'scores'] as const;
export type SpanTab = (typeof SPAN_TABS)[number];

interface Props {
  projectId: string;
  span: Span;
  scores: Score[];
  tab: SpanTab;
  onTab: (tab: SpanTab) => void;
}

export function SpanPanel({ projectId, span, scores, tab, onTab }: Props) {
  const spanScores = scores.filter((s) => s.span_id === span.span_id);
  const traceScores = scores.filter((s) => !s.span_id);
  const labels: Record<SpanTab, string> = {
    chat: span.type === 'tool' ? 'Call' : 'Chat',
    metadata: 'Metadata',
    attributes: `Attributes (${Object.keys(span.attributes ?? {}).length + Object.keys(span.resource_attributes ?? {}).length})`,
    events: `Events (${span.events?.length ?? 0})`,
    scores: `Scores (${spanScores.length + traceScores.length})`,
  };
  return (
    <section class="span-panel panel" aria-label="Selected span">
      <header class="span-panel-head">
        <div class="span-panel-title">
          <span class={`span-type ${typeClass(span.type)}`} title={typeTitle(span.type)}>{typeLabel(span.type)}</span>
          <h2>{span.name}</h2>
          {span.status !== 'unset' && <span class={`badge status-${span.status}`}>{span.status}</span>}
        </div>
        <div class="span-panel-sub small muted">
          {span.model && <span class="mono span-model">{span.model}</span>}
          {span.provider && <span>via {span.provider}</span>}
          {span.tool_name && <span>tool <code>{span.tool_name}</code></span>}
          {span.operation_name && <span>{span.operation_name}</span>}
          <span class="mono" title="Span id">{span.span_id}</span>
        </div>
      </header>
      {span.status === 'error' && <ErrorBox span={span} />}
      <SpanMetrics span={span} />
      <div class="tabs" role="tablist" aria-label="Span details">
        {SPAN_TABS.map((id) => (
          <button key={id} type="button" role="tab" aria-selected={tab === id} class={tab === id ? 'tab active' : 'tab'} onClick={() => onTab(id)}>
            {labels[id]}
          </button>
        ))}
      </div>
      <div class="tab-body" role="tabpanel" aria-label={labels[tab]}>
        {tab === 'chat' && <SpanChat span={span} />}
        {tab === 'metadata' && <SpanMetadata projectId={projectId} span={span} />}
        {tab === 'attributes' && (
          <>
            <h3>Span attributes</h3>
            <KeyValueList values={span.attributes} empty="No unmapped attributes: every attribute became a field above." />
            <h3>Resource attributes</h3>
            <KeyValueList values={span.resource_attributes} />
          </>
        )}
        {tab === 'events' && <SpanEvents span={span} />}
        {tab === 'scores' && (
          <>
            <h3>On this span</h3>
            <ScoresList scores={spanScores} empty="No scores on this span." />
            <h3>On the trace</h3>
            <ScoresList scores={traceScores} empty="No scores on this trace yet. Send one with the SDK's score() or POST /api/v1/scores." />
          </>
        )}
      </div>
    </section>
  );
}

function ErrorBox({ span }: { span: Span }) {
  const exceptions = (span.events ?? []).filter(isException);
  return (
    <div class="span-error" role="alert">
      <div class="span-error-title">
        Error{span.error_type ? <>: <span class="mono">{span.error_type}</span></> : null}
      </div>
      {span.status_message && <pre class="span-error-message">{span.status_message}</pre>}
      {exceptions.map((event, i) => <ExceptionView key={i} event={event} />)}
      {!span.status_message && exceptions.length === 0 && <div class="small">The span failed without a message.</div>}
    </div>
  );
}

function SpanChat({ span }: { span: Span }) {
  const isTool = span.type === 'tool';
  return (
    <div class="span-chat">
      {isTool && span.tool_name && <div class="span-tool-name">Tool <code>{span.tool_name}</code></div>}
      <h3>{isTool ? 'Arguments' : 'Input'}</h3>
      <ChatMessages messages={span.input} context={span.output} />
      <h3>{isTool ? 'Result' : 'Output'}</h3>
      <ChatMessages messages={span.output} context={span.input} />
    </div>
  );
}

function SpanMetadata({ projectId, span }: { projectId: string; span: Span }) {
  const ids: Record<string, unknown> = {
    trace_id: span.trace_id,
    span_id: span.span_id,
    parent_span_id: span.parent_span_id || '(root)',
    span_kind: span.span_kind,
    service_name: span.service_name,
  };
  return (
    <div class="span-metadata">
      <dl class="kv-list">
        <div class="kv-row">
          <dt>Session</dt>
          <dd>{span.session_id ? <a href={paths.session(projectId, span.session_id)}>{span.session_id}</a> : <span class="muted">–</span>}</dd>
        </div>
        <div class="kv-row">
          <dt>User</dt>
          <dd>{span.user_id ? <a href={`${paths.traces(projectId)}?user_id=${encodeURIComponent(span.user_id)}`}>{span.user_id}</a> : <span class="muted">–</span>}</dd>
        </div>
        <div class="kv-row">
          <dt>Conversation</dt>
          <dd>{span.conversation_id || <span class="muted">–</span>}</dd>
        </div>
        <div class="kv-row">
          <dt>Tags</dt>
          <dd>{span.tags?.length ? span.tags.map((t) => <span class="badge" key={t}>{t}</span>) : <span class="muted">–</span>}</dd>
        </div>
      </dl>
      <h3>Metadata</h3>
      <KeyValueList values={span.metadata} empty="No metadata." />
      <h3>Identifiers</h3>
      <KeyValueList values={ids} />
    </div>
  );
}
