/**
 * OTel GenAI semantic conventions, deprecated generations (<= 1.36), still emitted by many
 * instrumentations (often beside the current names while `OTEL_SEMCONV_STABILITY_OPT_IN` migrates):
 * `gen_ai.system`, `gen_ai.usage.prompt_tokens` / `completion_tokens`, `gen_ai.prompt` /
 * `gen_ai.completion` strings and the message span events (see legacy-message-events.ts).
 * Runs after otel-genai, so where both spellings are present the current one wins.
 */
import type { DecodedSpan } from '../../otlp/span.ts';
import { firstOf, readCount, readJson, readString } from '../attribute-readers.ts';
import { ResultBuilder, type Dialect, type DialectResult } from '../dialect.ts';
import { finishReasonOf, messagesFrom } from '../messages.ts';
import { otelProviderName } from '../provider-name.ts';
import { hasLegacyMessageEvents, legacyEventMessages } from './legacy-message-events.ts';

const LEGACY_KEYS = [
  'gen_ai.system',
  'gen_ai.usage.prompt_tokens',
  'gen_ai.usage.completion_tokens',
  'gen_ai.usage.cache_read_input_tokens', // OpenLLMetry spelling, before `cache_read.input_tokens`
  'gen_ai.usage.cache_creation_input_tokens',
  'gen_ai.prompt',
  'gen_ai.completion',
];

export const otelGenAiLegacy: Dialect = {
  name: 'otel-genai-legacy',

  matches: (span) => LEGACY_KEYS.some((key) => key in span.attributes) || hasLegacyMessageEvents(span.events),

  extract(span: DecodedSpan): DialectResult {
    const a = span.attributes;
    const out = new ResultBuilder();
    const system = firstOf(a, ['gen_ai.system'], readString);
    if (system) out.set('provider', otelProviderName(system.value), [system.key]);
    out.take('input_tokens', firstOf(a, ['gen_ai.usage.prompt_tokens'], readCount));
    out.take('output_tokens', firstOf(a, ['gen_ai.usage.completion_tokens'], readCount));
    out.take('cache_read_tokens', firstOf(a, ['gen_ai.usage.cache_read_input_tokens'], readCount));
    out.take('cache_write_tokens', firstOf(a, ['gen_ai.usage.cache_creation_input_tokens'], readCount));

    const events = legacyEventMessages(span.events);
    const prompt = firstOf(a, ['gen_ai.prompt'], readJson);
    out.set('input', prompt ? messagesFrom(prompt.value, 'user') : null, prompt ? [prompt.key] : []);
    out.set('input', events.input);
    const completion = firstOf(a, ['gen_ai.completion'], readJson);
    out.set('output', completion ? messagesFrom(completion.value, 'assistant') : null, completion ? [completion.key] : []);
    out.set('output', events.output);
    // A gen_ai.choice event carries the finish reason on its message.
    out.set('finish_reason', finishReasonOf(out.result.fields.output));

    // Before gen_ai.operation.name existed these conventions described LLM calls only. With an
    // operation name present, otel-genai classifies (or deliberately leaves the type open).
    const llmEvidence = ['input_tokens', 'output_tokens', 'input', 'output'].some((f) => f in out.result.fields);
    if (llmEvidence && !('gen_ai.operation.name' in a)) out.set('type', 'llm');
    return out.result;
  },
};
