import { describe, expect, it } from 'vitest';
import { mapSpan } from '../map-span.ts';
import { fixtureSpan } from './fixtures/fixture-span.ts';
import { openinferenceChatSpan } from './fixtures/openinference-openai-chat.ts';
import { HAIKU, openinferenceStreamSpan } from './fixtures/openinference-openai-stream.ts';
import { openinferenceChainSpan, openinferenceEmbeddingSpan, openinferenceRetrieverSpan } from './fixtures/openinference-rag.ts';
import { openInference } from './openinference.ts';

const span = (spanId: string, attributes: Record<string, string | number | string[]>) => fixtureSpan({ spanId, name: 'x', attributes });

describe('openinference: OpenAI chat with tool calls and an image (fixtures/openinference-openai-chat.ts)', () => {
  const event = mapSpan(openinferenceChatSpan);

  it('classifies the call and reads model, provider and usage', () => {
    expect(event).toMatchObject({
      type: 'llm', model: 'gpt-4o-2024-08-06', provider: 'openai', span_kind: 'internal', status: 'ok', finish_reason: 'tool_calls',
      input_tokens: 1412, output_tokens: 19, total_tokens: 1431, cache_read_tokens: 1152, cache_write_tokens: 0, reasoning_tokens: 0,
      usage_source: 'reported', cost_usd: null, cost_source: 'none',
    });
  });

  it('reads session, user, tags and metadata (non-string metadata values JSON-encoded)', () => {
    expect(event).toMatchObject({ session_id: 'sess-7f3a', user_id: 'user-1234', tags: ['travel', 'vision'] });
    expect(event.metadata).toEqual({ tenant: 'acme', experiment: 'vision-v2', attempt: '2' });
  });

  it('rebuilds the flattened input messages: contents with an image, a tool call and its result', () => {
    expect(event.input).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'You are a helpful travel assistant.' }] },
      {
        role: 'user',
        parts: [
          { type: 'text', content: 'Where was this photo taken, and what is the weather there?' },
          { type: 'uri', modality: 'image', uri: 'https://images.example.com/trip/eiffel.jpg' },
        ],
      },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_Lm3kX7pQ', name: 'identify_landmark', arguments: { image_index: 0 } }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_Lm3kX7pQ', response: 'Eiffel Tower, Paris, France' }] },
    ]);
  });

  it('rebuilds the output tool call and puts the span finish reason on it', () => {
    expect(event.output).toEqual([
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_Qx8vTb2N', name: 'get_weather', arguments: { location: 'Paris, France' } }], finish_reason: 'tool_calls' },
    ]);
  });

  it('consumes mapped keys (including the raw request/response bodies) and keeps the rest', () => {
    expect(event.attributes).toEqual({
      'llm.invocation_parameters': openinferenceChatSpan.attributes['llm.invocation_parameters'],
      'llm.tools.0.tool.json_schema': openinferenceChatSpan.attributes['llm.tools.0.tool.json_schema'],
      'llm.token_count.prompt_details.audio': 0,
    });
  });

  it('extract() reports each field with the keys it came from', () => {
    const { fields, consumed } = openInference.extract(openinferenceChatSpan);
    expect(fields).not.toHaveProperty('session_id'); // left to the common dialect, which owns session.id
    expect(consumed).toMatchObject({
      type: ['openinference.span.kind'], model: ['llm.model_name'], provider: ['llm.provider', 'llm.system'],
      input_tokens: ['llm.token_count.prompt'], cache_read_tokens: ['llm.token_count.prompt_details.cache_read'],
      tags: ['tag.tags'], metadata: ['metadata'], finish_reason: ['llm.finish_reason'],
    });
    expect(consumed.input).toHaveLength(16);
    expect(consumed.input).toEqual(expect.arrayContaining(['llm.input_messages.1.message.contents.1.message_content.image.image.url', 'input.value', 'input.mime_type']));
    expect(consumed.output).toEqual(expect.arrayContaining(['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments', 'output.value']));
  });
});

describe('openinference: streamed call without usage (fixtures/openinference-openai-stream.ts)', () => {
  const event = mapSpan(openinferenceStreamSpan);

  it('reports no usage rather than zero usage, and keeps the requested model', () => {
    expect(event).toMatchObject({
      type: 'llm', model: 'gpt-4o-mini', provider: 'openai', finish_reason: 'stop',
      input_tokens: 0, output_tokens: 0, total_tokens: 0, usage_source: 'none', cost_usd: null,
    });
  });

  it('maps the streamed text and keeps only the invocation parameters', () => {
    expect(event.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Write a haiku about Paris in the rain.' }] }]);
    expect(event.output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: HAIKU }], finish_reason: 'stop' }]);
    expect(event.attributes).toEqual({ 'llm.invocation_parameters': '{"model":"gpt-4o-mini","stream":true}' });
  });
});

describe('openinference: a LangChain RAG trace (fixtures/openinference-rag.ts)', () => {
  it('maps the CHAIN root: JSON input kept as its text, plain-text output, metadata and session', () => {
    const event = mapSpan(openinferenceChainSpan);
    expect(event).toMatchObject({ type: 'chain', session_id: 'sess-42', usage_source: 'none', model: '', provider: '' });
    expect(event.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: '{"question":"What is the refund window for annual plans?"}' }] }]);
    expect(event.output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Annual plans can be refunded within 30 days of purchase.' }] }]);
    expect(event.metadata).toEqual({ thread_id: 't-91', ls_run_depth: '1' });
    expect(event.attributes).toEqual({});
  });

  it('maps the RETRIEVER: the query as input, the documents as one tool message', () => {
    const event = mapSpan(openinferenceRetrieverSpan);
    expect(event.type).toBe('retrieval');
    expect(event.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'What is the refund window for annual plans?' }] }]);
    expect(event.output).toEqual([{
      role: 'tool',
      parts: [
        { type: 'document', id: 'refunds-2', content: 'Annual subscriptions may be refunded in full within 30 days of purchase.', score: 0.83, metadata: { source: 'policies/refunds.md', page: 2 } },
        { type: 'document', content: 'Monthly plans renew automatically and are not refundable.', metadata: { source: 'policies/billing.md', page: 1 } },
      ],
    }]);
    expect(event.metadata).toEqual({ ls_retriever_name: 'vectorstore', ls_vector_store_provider: 'Chroma' });
    expect(event.attributes).toEqual({});
  });

  it('maps the EMBEDDING: model, input tokens, embedded texts; the vector stays in attributes', () => {
    const event = mapSpan(openinferenceEmbeddingSpan);
    expect(event).toMatchObject({
      type: 'embedding', model: 'text-embedding-3-small', provider: 'openai',
      input_tokens: 9, output_tokens: 0, total_tokens: 9, usage_source: 'reported', output: null,
    });
    expect(event.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'What is the refund window for annual plans?' }] }]);
    expect(event.attributes).toEqual({
      'embedding.invocation_parameters': '{"model":"text-embedding-3-small","encoding_format":"base64"}',
      'embedding.embeddings.0.embedding.vector': [0.0123, -0.0456, 0.0789, -0.0012],
    });
  });
});

describe('openinference: other span kinds and attributes', () => {
  it('maps a TOOL span to the call as input and the result as output', () => {
    const event = mapSpan(span('0000000000000101', {
      'openinference.span.kind': 'TOOL', 'tool.name': 'get_weather', 'tool.description': 'Current weather',
      'tool.parameters': '{"type":"object","properties":{"location":{"type":"string"}}}',
      'input.value': '{"location": "Paris, France"}', 'input.mime_type': 'application/json',
      'output.value': 'rainy, 57°F', 'output.mime_type': 'text/plain',
    }));
    expect(event).toMatchObject({ type: 'tool', tool_name: 'get_weather' });
    expect(event.input).toEqual([{ role: 'assistant', parts: [{ type: 'tool_call', name: 'get_weather', arguments: { location: 'Paris, France' } }] }]);
    expect(event.output).toEqual([{ role: 'tool', parts: [{ type: 'tool_call_response', response: 'rainy, 57°F' }] }]);
    expect(Object.keys(event.attributes)).toEqual(['tool.description', 'tool.parameters']);
  });

  it.each([
    ['LLM', 'llm'], ['EMBEDDING', 'embedding'], ['CHAIN', 'chain'], ['RETRIEVER', 'retrieval'], ['RERANKER', 'reranker'],
    ['TOOL', 'tool'], ['AGENT', 'agent'], ['GUARDRAIL', 'guardrail'], ['EVALUATOR', 'evaluator'], ['PROMPT', 'chain'], ['UNKNOWN', 'span'],
  ])('classifies span kind %s as %s', (kind, type) => {
    const event = mapSpan(span('0000000000000102', { 'openinference.span.kind': kind }));
    expect(event.type).toBe(type);
    expect('openinference.span.kind' in event.attributes).toBe(type === 'span');
  });

  it('prefers the response model, keeping the requested one in attributes', () => {
    const event = mapSpan(span('0000000000000103', {
      'openinference.span.kind': 'LLM', 'llm.request.model_name': 'claude-opus-4', 'llm.response.model_name': 'claude-opus-4-1', 'llm.model_name': 'claude-opus-4-1',
    }));
    expect(event.model).toBe('claude-opus-4-1');
    expect(event.attributes).toEqual({ 'llm.request.model_name': 'claude-opus-4', 'llm.model_name': 'claude-opus-4-1' });
  });

  it.each([
    [{ 'llm.provider': 'azure', 'llm.system': 'openai' }, 'azure.ai.openai', []],
    [{ 'llm.provider': 'aws', 'llm.system': 'anthropic' }, 'aws.bedrock', ['llm.system']],
    [{ 'llm.provider': 'groq', 'llm.system': 'openai' }, 'groq', ['llm.system']],
    [{ 'llm.provider': 'google', 'llm.system': 'vertexai' }, 'gcp.vertex_ai', []],
    [{ 'llm.provider': 'mistralai' }, 'mistral_ai', []],
    [{ 'llm.system': 'amazon' }, 'aws.bedrock', []],
    [{ 'llm.system': 'Anthropic' }, 'anthropic', []],
  ])('names provider %j as %s, keeping %j', (attributes, provider, kept) => {
    const event = mapSpan(span('0000000000000104', { 'openinference.span.kind': 'LLM', ...attributes }));
    expect(event.provider).toBe(provider);
    expect(Object.keys(event.attributes)).toEqual(kept);
  });

  it('reads cache writes and reasoning as sub-counts of prompt and completion, and a reported total cost', () => {
    const event = mapSpan(span('0000000000000105', {
      'openinference.span.kind': 'LLM', 'llm.token_count.prompt': 5200, 'llm.token_count.completion': 800,
      'llm.token_count.prompt_details.cache_write': 5000, 'llm.token_count.completion_details.reasoning': 600,
      'llm.cost.total': 0.0312, 'llm.cost.prompt': 0.0192,
    }));
    expect(event).toMatchObject({
      input_tokens: 5200, output_tokens: 800, total_tokens: 6000, cache_write_tokens: 5000, reasoning_tokens: 600,
      cost_usd: 0.0312, cost_source: 'reported',
    });
    expect(event.attributes).toEqual({ 'llm.cost.prompt': 0.0192 });
  });

  it('sums prompt and completion cost when no total is reported', () => {
    const event = mapSpan(span('0000000000000106', { 'openinference.span.kind': 'LLM', 'llm.cost.prompt': 0.0021, 'llm.cost.completion': '0.0045' }));
    expect(event).toMatchObject({ cost_usd: 0.0066, cost_source: 'reported', attributes: {} });
  });

  it('maps completions-API prompts and choices, and reranker documents with the query', () => {
    const completion = mapSpan(span('0000000000000107', {
      'openinference.span.kind': 'LLM', 'llm.prompts.0.prompt.text': 'def fib(n):', 'llm.choices.0.completion.text': '\n    return n',
    }));
    expect(completion.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'def fib(n):' }] }]);
    expect(completion.output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: '\n    return n' }] }]);
    const rerank = mapSpan(span('0000000000000108', {
      'openinference.span.kind': 'RERANKER', 'reranker.model_name': 'rerank-v3.5', 'reranker.query': 'refunds', 'reranker.top_k': 1,
      'reranker.input_documents.0.document.content': 'a', 'reranker.input_documents.1.document.content': 'b',
      'reranker.output_documents.0.document.content': 'b', 'reranker.output_documents.0.document.score': 0.9,
    }));
    expect(rerank).toMatchObject({ type: 'reranker', model: 'rerank-v3.5', attributes: { 'reranker.top_k': 1 } });
    expect(rerank.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'refunds' }, { type: 'document', content: 'a' }, { type: 'document', content: 'b' }] }]);
    expect(rerank.output).toEqual([{ role: 'tool', parts: [{ type: 'document', content: 'b', score: 0.9 }] }]);
  });

  it('reads reasoning, audio and ordered tool_use content items', () => {
    const event = mapSpan(span('0000000000000109', {
      'openinference.span.kind': 'LLM',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.contents.0.message_content.type': 'reasoning',
      'llm.output_messages.0.message.contents.0.message_content.text': 'Check the forecast first.',
      'llm.output_messages.0.message.contents.1.message_content.type': 'tool_use',
      'llm.output_messages.0.message.contents.1.tool_call.id': 'toolu_01',
      'llm.output_messages.0.message.contents.1.tool_call.function.name': 'get_forecast',
      'llm.output_messages.0.message.contents.1.tool_call.function.arguments': '{"days":3}',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.contents.0.message_content.type': 'audio',
      'llm.input_messages.0.message.contents.0.message_content.audio.audio.url': 'https://cdn.example.com/q.wav',
      'llm.input_messages.0.message.contents.0.message_content.audio.audio.mime_type': 'audio/wav',
      'llm.input_messages.0.message.contents.0.message_content.audio.audio.transcript': 'Will it rain?',
    }));
    expect(event.input).toEqual([{ role: 'user', parts: [{ type: 'uri', modality: 'audio', mime_type: 'audio/wav', uri: 'https://cdn.example.com/q.wav', transcript: 'Will it rain?' }] }]);
    expect(event.output).toEqual([{
      role: 'assistant',
      parts: [{ type: 'reasoning', content: 'Check the forecast first.' }, { type: 'tool_call', id: 'toolu_01', name: 'get_forecast', arguments: { days: 3 } }],
    }]);
  });

  it('falls back to the request and response bodies in input/output.value', () => {
    const event = mapSpan(span('0000000000000113', {
      'openinference.span.kind': 'LLM',
      'input.value': JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] }), 'input.mime_type': 'application/json',
      'output.value': JSON.stringify({ choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Hello!' } }] }),
      'output.mime_type': 'application/json',
    }));
    expect(event.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }]);
    expect(event.output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Hello!' }], finish_reason: 'stop' }]);
    expect(event).toMatchObject({ finish_reason: 'stop', attributes: {} });
  });

  it('leaves absurdly deep flattened keys alone instead of recursing into them', () => {
    const deep = `llm.input_messages.0.message.${'x.'.repeat(5000)}role`;
    const event = mapSpan(span('0000000000000114', { 'openinference.span.kind': 'LLM', [deep]: 'user' }));
    expect(event.input).toBeNull();
    expect(Object.keys(event.attributes)).toEqual([deep]);
  });

  it('matches conservatively and never throws on malformed values', () => {
    expect(openInference.matches(span('0000000000000110', { 'input.value': 'hi', metadata: '{}' }))).toBe(false);
    expect(openInference.matches(span('0000000000000111', { 'llm.token_count.prompt': 3 }))).toBe(true);
    const event = mapSpan(span('0000000000000112', {
      'llm.token_count.prompt': 'lots', 'metadata': "{'author': 'John'}", 'tag.tags': '', 'llm.input_messages.0.message': 'flat',
      'llm.input_messages.0.message.role': 'user',
    }));
    expect(event).toMatchObject({ type: 'llm', input_tokens: 0, usage_source: 'none', metadata: {}, tags: [], input: null });
    expect(Object.keys(event.attributes)).toEqual(['llm.token_count.prompt', 'metadata', 'tag.tags', 'llm.input_messages.0.message', 'llm.input_messages.0.message.role']);
  });
});
