/**
 * One part of a message, by type: text, reasoning (collapsed), tool calls and their results (linked
 * by call id), media (uri / blob / file) and anything else as JSON, so nothing sent is hidden.
 */
import type { MessagePart } from '../../api/types.ts';
import { formatBytes } from '../../format.ts';
import { safeHref } from '../../safe-href.ts';
import { imageSource, prettyJson } from './chat-format.ts';
import { LongText, ValueText } from './long-text.tsx';

interface Props {
  part: MessagePart;
  /** Tool names by call id, for results. */
  toolNames: Map<string, string>;
  /** Scrolls to the call (or result) with this id in the same conversation. */
  onJump: (selector: string) => void;
}

export function MessagePartView({ part, toolNames, onJump }: Props) {
  switch (part.type) {
    case 'text':
      return typeof part.content === 'string' ? <LongText text={part.content} /> : <ValueText value={part.content} />;
    case 'reasoning':
      return (
        <details class="chat-reasoning">
          <summary>Reasoning{typeof part.content === 'string' ? ` (${part.content.length.toLocaleString('en-US')} characters)` : ''}</summary>
          <ValueText value={part.content} />
        </details>
      );
    case 'tool_call':
      return <ToolCall part={part} onJump={onJump} />;
    case 'tool_call_response':
      return <ToolResult part={part} name={typeof part.id === 'string' ? toolNames.get(part.id) : undefined} onJump={onJump} />;
    case 'uri':
    case 'blob':
    case 'file':
      return <MediaPart part={part} />;
    case 'unknown':
      return <Raw label="Unrecognised content" value={'value' in part ? part.value : part} />;
    default:
      return <Raw label={`${part.type} part`} value={part} />;
  }
}

function ToolCall({ part, onJump }: { part: MessagePart; onJump: Props['onJump'] }) {
  const id = typeof part.id === 'string' ? part.id : null;
  return (
    <div class="chat-tool chat-tool-call" data-tool-call={id ?? undefined}>
      <div class="chat-tool-head">
        <span class="chat-tool-kind">Tool call</span>
        <code class="chat-tool-name">{part.name || '(unnamed)'}</code>
        {id && (
          <button type="button" class="link-button chat-tool-id" title="Go to the result of this call" onClick={() => onJump(`[data-tool-result="${cssEscape(id)}"]`)}>
            {id}
          </button>
        )}
      </div>
      {part.arguments !== undefined && <ValueText value={part.arguments} />}
    </div>
  );
}

function ToolResult({ part, name, onJump }: { part: MessagePart; name?: string; onJump: Props['onJump'] }) {
  const id = typeof part.id === 'string' ? part.id : null;
  return (
    <div class="chat-tool chat-tool-result" data-tool-result={id ?? undefined}>
      <div class="chat-tool-head">
        <span class="chat-tool-kind">Tool result</span>
        {name && <code class="chat-tool-name">{name}</code>}
        {id && (
          <button type="button" class="link-button chat-tool-id" title="Go to the call this answers" onClick={() => onJump(`[data-tool-call="${cssEscape(id)}"]`)}>
            {id}
          </button>
        )}
      </div>
      <ValueText value={part.response ?? part.result} />
    </div>
  );
}

function MediaPart({ part }: { part: MessagePart }) {
  const mime = typeof part.mime_type === 'string' ? part.mime_type : null;
  const kind = typeof part.modality === 'string' ? part.modality : mime ?? part.type;
  const src = imageSource(part);
  const href = safeHref(part.uri);
  const description = [kind, mime && mime !== kind ? mime : null, typeof part.size === 'number' ? formatBytes(part.size) : null].filter(Boolean).join(' · ');
  return (
    <div class="chat-media">
      {src ? (
        <a href={href ?? undefined} target="_blank" rel="noopener noreferrer" class="chat-image-link">
          <img class="chat-image" src={src} alt={`${kind} attached to the message${href ? `: ${href}` : ''}`} loading="lazy" />
        </a>
      ) : null}
      <div class="chat-media-meta small muted">
        <span>{description}</span>
        {part.content_omitted === true && <span> · content not stored (too large)</span>}
        {typeof part.file_id === 'string' && <span> · file <code>{part.file_id}</code></span>}
        {!src && href && <> · <a href={href} target="_blank" rel="noopener noreferrer">{href}</a></>}
        {!src && !href && typeof part.uri === 'string' && <> · <code>{part.uri}</code></>}
      </div>
    </div>
  );
}

function Raw({ label, value }: { label: string; value: unknown }) {
  return (
    <div class="chat-raw">
      <div class="small muted">{label}</div>
      <LongText text={prettyJson(value)} json />
    </div>
  );
}

/** Quotes a value for an attribute selector (CSS.escape is not in every test environment). */
function cssEscape(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}
