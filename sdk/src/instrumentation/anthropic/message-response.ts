/** An Anthropic Message (or what a stream rebuilt of one) -> response attributes. */
import type { Attributes } from '@opentelemetry/api';
import { GEN_AI } from '../../semconv.ts';
import { compact } from '../core/attributes.ts';
import { isObject, objects, str, toJson } from '../core/json.ts';
import type { Message } from '../core/parts.ts';
import { blockPart } from './content-blocks.ts';
import { anthropicUsageAttributes } from './usage.ts';

export function messageAttributes(data: unknown, captureContent: boolean): Attributes {
  if (!isObject(data)) return {};
  // Provider values (`end_turn`, `tool_use`, `max_tokens`, ...), as Anthropic sent them.
  const stopReason = str(data.stop_reason);
  const out = compact({
    [GEN_AI.RESPONSE_ID]: str(data.id),
    [GEN_AI.RESPONSE_MODEL]: str(data.model),
    [GEN_AI.RESPONSE_FINISH_REASONS]: stopReason ? [stopReason] : undefined,
    ...anthropicUsageAttributes(data.usage),
  });
  if (captureContent && Array.isArray(data.content)) {
    const message: Message = { role: str(data.role) ?? 'assistant', parts: objects(data.content).map(blockPart) };
    if (stopReason) message.finish_reason = stopReason;
    out[GEN_AI.OUTPUT_MESSAGES] = toJson([message]);
  }
  return out;
}
