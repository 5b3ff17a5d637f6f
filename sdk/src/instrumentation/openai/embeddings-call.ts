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
import { textPart, type ChatInput } from '../core/parts.ts';
import { inputAttributes, requestAttributes, requestBody } from '../core/request.ts';
import type { CallPlan } from '../core/traced-call.ts';
import type { OpenAIEnv } from './environment.ts';
import { chatUsageAttributes } from './usage.ts';

export function planEmbeddings(args: unknown[], env: OpenAIEnv): CallPlan {
  const params = requestBody(args);
  const model = str(params.model);
  return {
    spec: {
      operation: 'embeddings',
      model,
      attributes: { ...requestAttributes(env, { model }), ...(env.captureContent ? inputAttributes(embeddingInput(params.input)) : {}) },
    },
    args,
    response: embeddingsAttributes,
  };
}

function embeddingInput(input: unknown): ChatInput {
  const texts = typeof input === 'string' ? [input] : list(input).filter((x): x is string => typeof x === 'string');
  return { system: [], messages: texts.length > 0 ? [{ role: 'user', parts: texts.map(textPart) }] : [] };
}

function embeddingsAttributes(data: unknown): Attributes {
  if (!isObject(data)) return {};
  return compact({ [GEN_AI.RESPONSE_MODEL]: str(data.model), ...chatUsageAttributes(data.usage) });
}
