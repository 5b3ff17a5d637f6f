/**
 * Text as it was sent: whitespace kept, JSON re-indented, long text cut to its head with "Show more".
 * Always rendered as text nodes, so markup in a prompt is shown, never interpreted.
 */
import { useMemo, useState } from 'preact/hooks';
import { isLongText, prettyJson, prettyJsonText, textHead } from './chat-format.ts';

export function LongText({ text, json = false }: { text: string; json?: boolean }) {
  const pretty = useMemo(() => (json ? text : prettyJsonText(text)), [text, json]);
  const shown = pretty ?? text;
  const long = isLongText(shown);
  const [expanded, setExpanded] = useState(false);
  const visible = long && !expanded ? `${textHead(shown)}…` : shown;
  return (
    <div class="long-text">
      {pretty !== null ? <pre class="chat-json">{visible}</pre> : <div class="chat-text">{visible}</div>}
      {long && (
        <button type="button" class="link-button show-more" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Show less' : `Show more (${shown.length.toLocaleString('en-US')} characters)`}
        </button>
      )}
    </div>
  );
}

/** Any value: strings through LongText (JSON-looking ones pretty-printed), structures as indented JSON. */
export function ValueText({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span class="muted">(empty)</span>;
  if (typeof value === 'string') return <LongText text={value} />;
  return <LongText text={prettyJson(value)} json />;
}
