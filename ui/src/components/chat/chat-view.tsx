/**
 * Messages rendered as a chat: one block per message with its role, the system prompt set apart (and
 * collapsed when long), tool calls and results linked by call id. Used by the trace detail and the
 * session replay; takes whatever was stored, so old or partial data still shows something sensible.
 */
import { useRef, useState } from 'preact/hooks';
import type { Message } from '../../api/types.ts';
import { asMessages, isLongText, messageText, toolCallNames } from './chat-format.ts';
import { MessagePartView } from './message-part.tsx';
import './chat.css';

interface Props {
  /** Stored messages; null, empty or not an array reads as "No messages recorded". */
  messages: Message[] | null | undefined;
  /** Shown instead of "No messages recorded" when there are none. */
  emptyLabel?: string;
  /** Other messages of the same exchange (a span's input for its output), whose tool calls name the results here. */
  context?: Message[] | null;
}

export function ChatMessages({ messages, emptyLabel = 'No messages recorded', context }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const list = asMessages(messages);
  if (!list) {
    const raw = messages === null || messages === undefined || (Array.isArray(messages) && messages.length === 0) ? null : messages;
    return (
      <div class="chat-empty muted">
        {emptyLabel}
        {raw !== null && <pre class="chat-json">{typeof raw === 'string' ? raw : JSON.stringify(raw, null, 2)}</pre>}
      </div>
    );
  }
  const toolNames = toolCallNames([...(asMessages(context) ?? []), ...list]);
  const jump = (selector: string) => {
    const target = container.current?.querySelector<HTMLElement>(selector);
    if (!target) return;
    target.scrollIntoView({ block: 'center', behavior: 'smooth' });
    target.classList.add('chat-flash');
    setTimeout(() => target.classList.remove('chat-flash'), 1200);
  };
  return (
    <div class="chat" ref={container}>
      {list.map((message, index) => (
        <MessageBlock key={index} message={message} toolNames={toolNames} onJump={jump} />
      ))}
    </div>
  );
}

const KNOWN_ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

function MessageBlock({ message, toolNames, onJump }: { message: Message; toolNames: Map<string, string>; onJump: (selector: string) => void }) {
  const role = message.role;
  const roleClass = KNOWN_ROLES.has(role) ? role : 'other';
  const body = message.parts.length === 0
    ? <div class="muted small">(no content)</div>
    : message.parts.map((part, i) => <MessagePartView key={i} part={part} toolNames={toolNames} onJump={onJump} />);
  const head = (
    <>
      <span class="chat-role">{role}</span>
      {message.name && <span class="chat-name">{message.name}</span>}
      {message.finish_reason && <span class="chat-finish small muted" title="Finish reason">{message.finish_reason}</span>}
    </>
  );
  const isSystem = role === 'system' || role === 'developer';
  if (isSystem) {
    // A long system prompt hides the conversation; it opens on demand.
    const text = messageText(message);
    const long = text.length > 400 || isLongText(text);
    return (
      <details class={`chat-message role-${roleClass}`} open={!long}>
        <summary class="chat-head">{head}{long && <span class="small muted">(click to expand)</span>}<CopyButton message={message} /></summary>
        <div class="chat-body">{body}</div>
      </details>
    );
  }
  return (
    <div class={`chat-message role-${roleClass}`}>
      <div class="chat-head">{head}<CopyButton message={message} /></div>
      <div class="chat-body">{body}</div>
    </div>
  );
}

function CopyButton({ message }: { message: Message }) {
  const [copied, setCopied] = useState(false);
  const copy = (event: Event) => {
    event.preventDefault();
    navigator.clipboard?.writeText(messageText(message)).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    }, () => {});
  };
  return (
    <button type="button" class="link-button chat-copy small" onClick={copy} title="Copy this message">
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}
