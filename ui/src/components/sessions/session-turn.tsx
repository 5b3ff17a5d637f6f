/**
 * One turn of a session replay: the trace's time, name, status and cost with a link to its detail,
 * then what the turn added to the conversation. Tells the loader when it comes near the screen.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { TraceSummary } from '../../api/types.ts';
import { ChatMessages } from '../chat/chat-view.tsx';
import { formatCost, formatCount, formatDuration, formatTime } from '../../format.ts';
import { paths } from '../../routes.ts';
import { previewMessages, type Turn } from './replay-turns.ts';

interface Props {
  projectId: string;
  index: number;
  trace: TraceSummary;
  turn: Turn | null;
  error: Error | null;
  onVisible: (index: number) => void;
  onRetry: () => void;
}

export function SessionTurn({ projectId, index, trace, turn, error, onVisible, onRetry }: Props) {
  const element = useRef<HTMLElement>(null);
  const [fullInput, setFullInput] = useState(false);

  useEffect(() => {
    if (!element.current || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && onVisible(index), { rootMargin: '800px 0px' });
    observer.observe(element.current);
    return () => observer.disconnect();
  }, [index, onVisible]);

  return (
    <article class="turn" ref={element} id={`turn-${index + 1}`} aria-label={`Turn ${index + 1}`}>
      <header class="turn-header">
        <span class="turn-index">#{index + 1}</span>
        <time class="muted" dateTime={trace.start_time}>{formatTime(trace.start_time)}</time>
        <a class="turn-name" href={paths.trace(projectId, trace.trace_id)} title="Open the trace">{trace.name || trace.trace_id}</a>
        <span class={`status-${trace.status}`}>{trace.status}</span>
        <span class="turn-stats muted">
          {formatDuration(trace.duration_ms)} · {formatCount(trace.total_tokens)} tokens · {formatCost(trace.total_cost_usd)}
          {trace.llm_call_count > 1 && ` · ${trace.llm_call_count} LLM calls`}
        </span>
      </header>
      <div class="turn-body">
        {error ? (
          <>
            <div class="turn-note small">
              Messages could not be loaded ({error.message}). <button type="button" class="link-button" onClick={onRetry}>Try again</button>
            </div>
            <ChatMessages messages={previewMessages(trace)} emptyLabel="No input or output recorded" />
          </>
        ) : !turn ? (
          <div class="turn-loading muted small"><span class="spinner" aria-hidden="true" /> Loading messages…</div>
        ) : (
          <>
            {turn.source === 'preview' && <div class="small muted">No LLM messages in this trace: its input and output previews.</div>}
            <ChatMessages messages={turn.messages} emptyLabel="No input or output recorded" />
            {turn.fullInput.length > 0 && (
              <div class="turn-full-input">
                <button type="button" class="link-button small" aria-expanded={fullInput} onClick={() => setFullInput(!fullInput)}>
                  {fullInput ? 'Hide full input' : `Show full input (${turn.fullInput.length} message${turn.fullInput.length === 1 ? '' : 's'})`}
                </button>
                {fullInput && <ChatMessages messages={turn.fullInput} />}
              </div>
            )}
          </>
        )}
      </div>
    </article>
  );
}
