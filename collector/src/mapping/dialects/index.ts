/**
 * The dialects in precedence order: for each canonical field, the first dialect that sets it wins.
 *
 *   0. observa             observa.* (Observa's SDK: span type, tags, metadata, observed input/output)
 *   1. langfuse            langfuse.observation.*, langfuse.trace.*: an explicit statement by the
 *                          user's SDK of what the observation is, so it beats inferred values
 *   2. openinference       openinference.span.kind, llm.*, input.value / output.value
 *   3. otel-genai          gen_ai.* >= 1.37 (current names)
 *   4. openllmetry         traceloop.*, llm.request.type, flattened gen_ai.prompt.<i>.*: before
 *                          otel-genai-legacy, whose "any legacy key means an LLM call" guess must not
 *                          beat `llm.request.type`
 *   5. otel-genai-legacy   deprecated gen_ai.* names and the span-event message forms
 *   6. vercel-ai           ai.* (Vercel AI SDK v5/v6; v7 emits OTel GenAI and needs nothing here)
 *   7. common              session.id, user.id, error.type, exception events: general keys last, so
 *                          a convention's own spelling of them wins
 *
 * Adding a convention is adding one module here with its fixtures. A span no dialect recognises
 * matches only `common` and arrives as a plain span with all its attributes.
 */
import type { Dialect } from '../dialect.ts';
import { common } from './common.ts';
import { langfuse } from './langfuse.ts';
import { observa } from './observa.ts';
import { openInference } from './openinference.ts';
import { openLlmetry } from './openllmetry.ts';
import { otelGenAi } from './otel-genai.ts';
import { otelGenAiLegacy } from './otel-genai-legacy.ts';
import { vercelAi } from './vercel-ai.ts';

export const DIALECTS: readonly Dialect[] = [observa, langfuse, openInference, otelGenAi, openLlmetry, otelGenAiLegacy, vercelAi, common];
