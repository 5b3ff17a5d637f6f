/**
 * What each turn of a session adds to the conversation. Every LLM call re-sends the history, so a
 * replay shows, per call, only the messages that are new since the previous call (the user's new
 * question, a tool result) and then the call's output: read in order, the calls of all traces give the
 * conversation once, without the history repeated at every turn.
 */
import type { Message, Span, TraceDetail, TraceSummary } from '../../api/types.ts';

export interface Turn {
  /** The new messages and the answers, in conversation order. */
  messages: Message[];
  /** The first call's whole input (history and system prompt included), for "show full input". */
  fullInput: Message[];
  /** Where the messages come from: the LLM spans, or the trace's text previews when it has none. */
  source: 'messages' | 'preview';
}

interface Call {
  input: Message[];
  output: Message[];
}

const INSTRUCTION_ROLES = new Set(['system', 'developer']);

/** Two spellings of the same message (an output, then re-sent as history) compare equal. */
function messageKey(message: Message): string {
  const parts = message.parts.map((p) => [p.type, p.content ?? p.arguments ?? p.response ?? p.result ?? null, p.name ?? null, p.id ?? null]);
  return JSON.stringify([message.role, parts]);
}

function startsWith(messages: Message[], prefix: Message[]): boolean {
  return prefix.length <= messages.length && prefix.every((m, i) => messageKey(m) === messageKey(messages[i]));
}

function withoutInstructions(messages: Message[]): Message[] {
  return messages.filter((m) => !INSTRUCTION_ROLES.has(m.role));
}

/** The call before: null at the start of the session, 'unknown' while its trace is not loaded. */
type Previous = Call | null | 'unknown';

/** The messages of `input` that the previous call had not seen. */
function newInput(input: Message[], previous: Previous): Message[] {
  if (previous === null) return withoutInstructions(input);
  if (previous !== 'unknown' && startsWith(input, previous.input)) {
    const rest = input.slice(previous.input.length);
    // The previous output comes back as history (perhaps spelled a little differently): skip it.
    let skip = 0;
    while (skip < rest.length && skip < previous.output.length && rest[skip].role === previous.output[skip].role) skip++;
    return withoutInstructions(rest.slice(skip));
  }
  // The history was trimmed or rewritten: what follows the last assistant message is new.
  const lastAnswer = input.map((m) => m.role).lastIndexOf('assistant');
  return withoutInstructions(input.slice(lastAnswer + 1));
}

function callsOf(spans: Span[]): Call[] {
  return spans
    .filter((s) => s.type === 'llm' && ((s.input?.length ?? 0) > 0 || (s.output?.length ?? 0) > 0))
    .map((s) => ({ input: s.input ?? [], output: s.output ?? [] }));
}

function sameMessages(a: Message[], b: Message[]): boolean {
  return a.length === b.length && startsWith(a, b);
}

/** A trace's input and output previews as a user message and an answer. */
export function previewMessages(trace: TraceSummary): Message[] {
  const text = (role: string, content: string | null): Message[] => (content ? [{ role, parts: [{ type: 'text', content }] }] : []);
  return [...text('user', trace.input_preview), ...text('assistant', trace.output_preview)];
}

/**
 * One turn per trace, in order; `null` while a trace's detail is not loaded. A turn whose
 * predecessor is not loaded yet is read on its own (what follows the last answer is new).
 */
export function replayTurns(traces: TraceSummary[], details: (TraceDetail | undefined)[]): (Turn | null)[] {
  let previous: Previous = null;
  return traces.map((trace, index) => {
    const detail = details[index];
    if (!detail) {
      previous = 'unknown';
      return null;
    }
    const calls = callsOf(detail.spans);
    if (calls.length === 0) return { messages: previewMessages(trace), fullInput: [], source: 'preview' };
    const messages: Message[] = [];
    for (const call of calls) {
      const fresh = newInput(call.input, previous);
      // A wrapper span and the client span it wraps carry the same call: show it once.
      if (fresh.length === 0 && previous && previous !== 'unknown' && sameMessages(call.output, previous.output)) continue;
      messages.push(...fresh, ...call.output);
      previous = call;
    }
    return { messages, fullInput: calls[0].input, source: 'messages' };
  });
}
