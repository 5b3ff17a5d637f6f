/**
 * Observa's own SDK keys (sdk/src/semconv.ts), for what OTel has no key for: the span type an
 * `observe()` call declared, tags, metadata, and the captured input/output of observed functions.
 * LLM calls from the SDK use the current OTel GenAI keys, which otel-genai maps. First in
 * precedence: these keys are an explicit statement by the app.
 */
import type { EventType } from '../../events/canonical-event.ts';
import type { DecodedSpan } from '../../otlp/span.ts';
import { firstOf, hasKeyWithPrefix, metadataUnder, readString, readStringList } from '../attribute-readers.ts';
import { ResultBuilder, type Dialect, type DialectResult } from '../dialect.ts';
import { payloadMessages } from '../messages.ts';

const TYPES = new Set<EventType>(['llm', 'embedding', 'tool', 'retrieval', 'agent', 'chain', 'reranker', 'guardrail', 'evaluator', 'span']);
const METADATA_PREFIX = 'observa.metadata.';

export const observa: Dialect = {
  name: 'observa',

  matches: (span) => hasKeyWithPrefix(span.attributes, 'observa.'),

  extract(span: DecodedSpan): DialectResult {
    const a = span.attributes;
    const out = new ResultBuilder();
    const type = firstOf(a, ['observa.span.type'], readString);
    if (type && TYPES.has(type.value as EventType)) out.set('type', type.value as EventType, [type.key]);
    out.take('tags', firstOf(a, ['observa.tags'], readStringList));

    out.setMetadata(metadataUnder(a, METADATA_PREFIX));

    const input = firstOf(a, ['observa.input'], readString);
    if (input) out.set('input', payloadMessages(input.value, 'user'), [input.key]);
    const output = firstOf(a, ['observa.output'], readString);
    if (output) out.set('output', payloadMessages(output.value, 'assistant'), [output.key]);
    // A tool observed by name: its name is the tool's.
    if (type?.value === 'tool') out.set('tool_name', span.name);
    return out.result;
  },
};
