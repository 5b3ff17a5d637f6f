/**
 * Messages carried by span events in the deprecated OTel GenAI conventions:
 * - <= 1.27: `gen_ai.content.prompt` / `gen_ai.content.completion` with a `gen_ai.prompt` /
 *   `gen_ai.completion` attribute (plain text, or JSON messages in some SDKs);
 * - 1.28-1.36: `gen_ai.{system,user,assistant,tool}.message` and `gen_ai.choice`, whose log body is
 *   flattened into attributes (`content`, `tool_calls`, `id`, `message`, ...) or JSON-encoded in
 *   `gen_ai.event.content` (Azure AI Inference, Semantic Kernel).
 */
import type { Message } from '../../events/canonical-event.ts';
import type { SpanEvent } from '../../otlp/span.ts';
import { isObject, parseJson, readCount, readJson } from '../attribute-readers.ts';
import { toJsonObject } from '../json-value.ts';
import { messagesFrom, normaliseMessage } from '../messages.ts';

const MESSAGE_EVENT_ROLES = new Map([
  ['gen_ai.system.message', 'system'],
  ['gen_ai.user.message', 'user'],
  ['gen_ai.assistant.message', 'assistant'],
  ['gen_ai.tool.message', 'tool'],
]);

/** Attributes that describe the event rather than the message body. */
const NON_BODY_KEYS = new Set(['gen_ai.system', 'gen_ai.provider.name', 'event.name']);

const STRUCTURED_BODY_KEYS = new Set(['tool_calls', 'message']);

export function hasLegacyMessageEvents(events: readonly SpanEvent[]): boolean {
  return events.some((e) => MESSAGE_EVENT_ROLES.has(e.name) || e.name === 'gen_ai.choice' || e.name.startsWith('gen_ai.content.'));
}

export function legacyEventMessages(events: readonly SpanEvent[]): { input: Message[] | null; output: Message[] | null } {
  const input: Message[] = [];
  const choices: { index: number; message: Message }[] = [];
  for (const event of events) {
    const role = MESSAGE_EVENT_ROLES.get(event.name);
    if (role !== undefined) {
      const message = normaliseMessage({ role, ...eventBody(event) }, role);
      if (message) input.push(message);
    } else if (event.name === 'gen_ai.choice') {
      const body = eventBody(event);
      const message = normaliseMessage(body.message === undefined ? { ...body, role: body.role ?? 'assistant' } : body, 'assistant');
      if (message) choices.push({ index: readCount(body.index) ?? choices.length, message });
    } else if (event.name === 'gen_ai.content.prompt') {
      input.push(...(messagesFrom(readJson(event.attributes['gen_ai.prompt']), 'user') ?? []));
    } else if (event.name === 'gen_ai.content.completion') {
      const completion = messagesFrom(readJson(event.attributes['gen_ai.completion']), 'assistant') ?? [];
      for (const message of completion) choices.push({ index: choices.length, message });
    }
  }
  // Choices may be recorded out of order (streaming); the choice index is the order the API returned.
  const output = choices.sort((a, b) => a.index - b.index).map((c) => c.message);
  return { input: input.length > 0 ? input : null, output: output.length > 0 ? output : null };
}

/** The log body of a 1.28-1.36 event, whichever way the instrumentation attached it to the span event. */
function eventBody(event: SpanEvent): Record<string, unknown> {
  const encoded = event.attributes['gen_ai.event.content'];
  if (typeof encoded === 'string') {
    const parsed = parseJson(encoded);
    return isObject(parsed) ? parsed : { content: encoded };
  }
  // Structured fields arrive JSON-encoded from SDKs without map attributes; `content` stays text
  // even when it looks like JSON, because that is what the user wrote.
  const decode = ([key, value]: [string, unknown]) =>
    [key, STRUCTURED_BODY_KEYS.has(key) && typeof value === 'string' ? parseJson(value) ?? value : value];
  const fields = Object.entries(toJsonObject(event.attributes)).filter(([key]) => !NON_BODY_KEYS.has(key));
  return Object.fromEntries(fields.map(decode));
}
