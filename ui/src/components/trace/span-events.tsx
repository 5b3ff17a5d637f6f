/**
 * A span's events: exceptions first-class (type, message, stack), the others by name with their
 * attributes, timed from the span's start.
 */
import type { Span } from '../../api/types.ts';
import { formatDuration } from '../../format.ts';
import { timeMs } from './build-span-tree.ts';
import { KeyValueList } from './key-value-list.tsx';

type SpanEvent = NonNullable<Span['events']>[number];

export function isException(event: SpanEvent): boolean {
  return event.name === 'exception' || 'exception.message' in (event.attributes ?? {}) || 'exception.type' in (event.attributes ?? {});
}

export function ExceptionView({ event }: { event: SpanEvent }) {
  const attributes = event.attributes ?? {};
  const type = attributes['exception.type'];
  const message = attributes['exception.message'];
  const stack = attributes['exception.stacktrace'];
  return (
    <div class="span-exception">
      <div>
        {typeof type === 'string' && <strong class="mono">{type}</strong>}
        {typeof message === 'string' && <span>{type ? ': ' : ''}{message}</span>}
      </div>
      {typeof stack === 'string' && (
        <details>
          <summary>Stack trace</summary>
          <pre class="span-stack">{stack}</pre>
        </details>
      )}
    </div>
  );
}

export function SpanEvents({ span }: { span: Span }) {
  const events = span.events ?? [];
  if (events.length === 0) return <div class="muted small">No events recorded on this span.</div>;
  const start = timeMs(span.start_time);
  return (
    <ol class="span-events">
      {events.map((event, i) => (
        <li key={i}>
          <div class="span-event-head">
            <span class="mono">{event.name}</span>
            <span class="muted small">+{formatDuration(Math.max(0, timeMs(event.time) - start))}</span>
          </div>
          {isException(event) ? <ExceptionView event={event} /> : (
            Object.keys(event.attributes ?? {}).length > 0 && <KeyValueList values={event.attributes} />
          )}
        </li>
      ))}
    </ol>
  );
}
