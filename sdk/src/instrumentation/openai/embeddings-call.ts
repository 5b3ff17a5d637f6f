/**
 * `embeddings.create(params, options)` -> a traced call plan (operation `embeddings`). With content
 * capture on, the embedded texts go in `gen_ai.input.messages` as one user message with a text
 * part each (the shape docs/mapping.md gives embedding inputs); pre-tokenised inputs are skipped.
 * Vectors are never recorded.
 */
import type { Attributes } from '@opentelemetry/api';
import { GEN_AI } from '../../semconv.ts';
import { compact } from '../core/attributes.ts';
import { isObject, list, str } from '../core/json.ts';
import { textPart } from '../core/parts.ts';
import { inputAttributes, requestAttributes } from '../core/request.ts';
import type { CallPlan } from '../core/traced-call.ts';
import type { OpenAIEnv } from './environment.ts';
import { chatUsageAttributes } from './usage.ts';

export function planEmbeddings(args: unknown[], env: OpenAIEnv): CallPlan {
  const params = isObject(args[0]) ? args[0] : {};
  const model = str(params.model);
  const texts = typeof params.input === 'string' ? [params.input] : list(params.input).filter((x): x is string => typeof x === 'string');
  const messages = env.captureContent && texts.length > 0 ? [{ role: 'user', parts: texts.map(textPart) }] : [];
  return {
    spec: {
      operation: 'embeddings',
      model,
      attributes: { ...requestAttributes(env, { model }), ...inputAttributes(env, [], messages) },
    },
    args,
    response: embeddingsAttributes,
  };
}

function embeddingsAttributes(data: unknown): Attributes {
  if (!isObject(data)) return {};
  return compact({ [GEN_AI.RESPONSE_MODEL]: str(data.model), ...chatUsageAttributes(data.usage) });
}
