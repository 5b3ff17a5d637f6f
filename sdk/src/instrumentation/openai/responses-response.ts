/** A Response (or what a stream rebuilt of one) -> response attributes. */
import type { Attributes } from '@opentelemetry/api';
import { GEN_AI } from '../../semconv.ts';
import { compact } from '../core/attributes.ts';
import { isObject, str, toJson } from '../core/json.ts';
import { responseOutputMessage } from './responses-items.ts';
import { responsesUsageAttributes } from './usage.ts';

export function responseAttributes(data: unknown, captureContent: boolean): Attributes {
  if (!isObject(data)) return {};
  const message = responseOutputMessage(data);
  const out = compact({
    [GEN_AI.RESPONSE_ID]: str(data.id),
    [GEN_AI.RESPONSE_MODEL]: str(data.model),
    [GEN_AI.RESPONSE_FINISH_REASONS]: message.finish_reason ? [message.finish_reason] : undefined,
    ...responsesUsageAttributes(data.usage),
  });
  if (captureContent && Array.isArray(data.output)) out[GEN_AI.OUTPUT_MESSAGES] = toJson([message]);
  return out;
}
