/**
 * The dialects in precedence order: for each canonical field, the first dialect that sets it wins.
 *
 *   1. Langfuse            (next issue)  langfuse.observation.*, langfuse.trace.*
 *   2. OpenInference       (next issue)  openinference.span.kind, llm.*, input.value
 *   3. OTel GenAI current                gen_ai.* >= 1.37
 *   4. OTel GenAI old / OpenLLMetry      OpenLLMetry (next issue) goes before otel-genai-legacy: it
 *                                        knows `llm.request.type`, while legacy guesses type llm
 *   5. Vercel ai.*         (next issue)  ai.model.id, ai.usage.*, ai.prompt.messages
 *   6. common                            session.id, user.id, error.type: general keys last, so a
 *                                        convention's own spelling of them wins
 * A plain span matches only `common` and keeps the generic fields map-span fills.
 */
import type { Dialect } from '../dialect.ts';
import { common } from './common.ts';
import { otelGenAi } from './otel-genai.ts';
import { otelGenAiLegacy } from './otel-genai-legacy.ts';

export const DIALECTS: readonly Dialect[] = [otelGenAi, otelGenAiLegacy, common];
