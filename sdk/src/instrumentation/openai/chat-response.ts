/** A ChatCompletion (or what a stream accumulated into one) -> response attributes. */
import type { Attributes } from '@opentelemetry/api';
import { GEN_AI } from '../../semconv.ts';
import { compact } from '../core/attributes.ts';
import { isObject, objects, str, toJson, type Json } from '../core/json.ts';
import type { Message } from '../core/parts.ts';
import { assistantParts } from './chat-messages.ts';
import { chatUsageAttributes } from './usage.ts';

export function chatCompletionAttributes(data: unknown, captureContent: boolean): Attributes {
  if (!isObject(data)) return {};
  const choices = objects(data.choices).sort((a, b) => Number(a.index ?? 0) - Number(b.index ?? 0));
  const out: Attributes = compact({
    [GEN_AI.RESPONSE_ID]: str(data.id),
    [GEN_AI.RESPONSE_MODEL]: str(data.model),
    // Provider values (`stop`, `tool_calls`, `length`, ...), one per choice, as OpenAI sent them.
    [GEN_AI.RESPONSE_FINISH_REASONS]: choices.map((c) => str(c.finish_reason)).filter((r): r is string => r !== undefined),
    ...chatUsageAttributes(data.usage),
  });
  if (captureContent && choices.length > 0) {
    out[GEN_AI.OUTPUT_MESSAGES] = toJson(choices.map((c) => outputMessage(isObject(c.message) ? c.message : {}, str(c.finish_reason))));
  }
  return out;
}

function outputMessage(message: Json, finishReason: string | undefined): Message {
  const out: Message = { role: str(message.role) ?? 'assistant', parts: assistantParts(message) };
  if (finishReason !== undefined) out.finish_reason = finishReason;
  return out;
}
