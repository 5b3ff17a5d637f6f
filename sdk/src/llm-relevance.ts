/**
 * Whether a span is about LLM work, for `exportOnly: 'llm'`: it carries a key of one of the LLM
 * conventions the collector maps (OTel GenAI, Observa, OpenInference, OpenLLMetry/Traceloop, Vercel
 * AI SDK, Langfuse). The scope keys stamped on every span (session, tags, metadata, conversation) and
 * the SDK's own markers do not count: a plain HTTP span inside withTags() is still a plain span.
 */
import type { Attributes } from '@opentelemetry/api';
import { isScopeKey } from './observa-context.ts';
import { OBSERVA } from './semconv.ts';

const PREFIXES = ['gen_ai.', 'observa.', 'openinference.', 'llm.', 'traceloop.', 'ai.', 'langfuse.'];
const MARKERS = new Set<string>([OBSERVA.TRUNCATED, OBSERVA.REDACTED]);

/** True when `attributes` mark an LLM-relevant span. */
export function isLlmRelevant(attributes: Attributes): boolean {
  return Object.keys(attributes).some((key) => PREFIXES.some((prefix) => key.startsWith(prefix)) && !isScopeKey(key) && !MARKERS.has(key));
}
