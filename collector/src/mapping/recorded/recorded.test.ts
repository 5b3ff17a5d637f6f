/**
 * Golden tests over recorded OTLP: what real instrumentation libraries sent (recorded by
 * `npm run fixtures`, see fixtures/ and README.md here) and hand-checked OTel GenAI payloads, decoded
 * with decodeJsonTraces and mapped with mapSpan. The expected values are written out here from two
 * sources only: what the library put on the wire (read the .json next to this file) and what the
 * canonical model says (schemas/canonical-event.schema.json, shared/reference/semconv-mapping.md).
 * They are not taken from the mapper: a failure means the mapper and the canonical model disagree.
 *
 * Shared by every recording (fixtures/fake-llm-server.ts and fixtures/harness.ts):
 * - model `gpt-4o-mini` is answered as `gpt-4o-mini-2024-07-18`, `gpt-4o` as `gpt-4o-2024-08-06`;
 * - usage per answer (input includes cached, output includes reasoning, as OpenAI reports it):
 *   tool call 120 (64 cached) / 18 (0 reasoning); answer after a tool result 160 (128) / 22 (6);
 *   image answer 850 / 9; plain answer 30 / 14 (4 reasoning); embeddings: one token per word;
 * - the first SSE chunk comes after 25 ms, so a stream's first-token time is at least 25 ms;
 * - session `session-fixtures-1`, user `user-fixtures-1`, tags `fixtures`, `golden`.
 * Cost (`cost_usd`) is priced by enrichment, not mapSpan; only costs the client reported are asserted.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../events/canonical-event.ts';
import { decodeJsonTraces } from '../../otlp/decode-json.ts';
import { validateCanonicalEvent } from '../../receivers/canonical-event-validator.ts';
import { mapSpan } from '../map-span.ts';

const SESSION = 'session-fixtures-1';
const USER = 'user-fixtures-1';
const TAGS = ['fixtures', 'golden'];
const SYSTEM_TEXT = 'You are a helpful weather assistant.';
const QUESTION = 'What is the weather in Paris?';
const TOOL_RESULT = { city: 'Paris', temperature_c: 18, condition: 'sunny' };
const TOOL_RESULT_TEXT = JSON.stringify(TOOL_RESULT);
const AFTER_TOOL = `The tool says ${TOOL_RESULT_TEXT}. Have a nice day!`;
const TEXT_ANSWER = 'Hello! This is a deterministic answer from the fake model.';
const MINI = 'gpt-4o-mini-2024-07-18';
const FIRST_CHUNK_DELAY_MS = 25;

const FILES = ['vercel-ai', 'openllmetry', 'openinference', 'langfuse', 'otel-genai-current', 'otel-genai-events'] as const;
type RecordedFile = (typeof FILES)[number];

const cache = new Map<RecordedFile, CanonicalEvent[][]>();

/** Every request of a recorded file, decoded and mapped: one array of events per request. */
function requests(file: RecordedFile): CanonicalEvent[][] {
  let mapped = cache.get(file);
  if (!mapped) {
    const bodies = JSON.parse(readFileSync(new URL(`./${file}.json`, import.meta.url), 'utf8')) as unknown[];
    mapped = bodies.map((body) => {
      const decoded = decodeJsonTraces(JSON.stringify(body));
      if (decoded.rejected.length > 0) throw new Error(`${file}: spans rejected: ${JSON.stringify(decoded.rejected)}`);
      return decoded.spans.map((span) => mapSpan(span));
    });
    cache.set(file, mapped);
  }
  return mapped;
}

/** The `nth` span called `name` in one request. */
function spanNamed(events: CanonicalEvent[], name: string, nth = 0): CanonicalEvent {
  const found = events.filter((e) => e.name === name)[nth];
  if (!found) throw new Error(`no span #${nth} named ${name} among ${events.map((e) => e.name).join(', ')}`);
  return found;
}

function spanWithId(events: CanonicalEvent[], spanId: string): CanonicalEvent {
  const found = events.find((e) => e.span_id === spanId);
  if (!found) throw new Error(`no span ${spanId}`);
  return found;
}

const text = (content: string) => ({ type: 'text', content });
const toolCall = (id: string, name: string, args: unknown) => ({ type: 'tool_call', id, name, arguments: args });
const toolResponse = (id: string, response: unknown) => ({ type: 'tool_call_response', id, response });

/** The weather conversation every recording holds: the prompt, the model's tool call, what the tool answered. */
const PROMPT = [{ role: 'system', parts: [text(SYSTEM_TEXT)] }, { role: 'user', parts: [text(QUESTION)] }];
const askWeather = (callId = 'call_fake0001') => ({ role: 'assistant', parts: [toolCall(callId, 'get_weather', { city: 'Paris' })] });
const weatherReport = (response: unknown, callId = 'call_fake0001') => ({ role: 'tool', parts: [toolResponse(callId, response)] });

/** A stream's first-token time: reported, after the fake server's first-chunk delay, within the span. */
function expectFirstTokenTime(event: CanonicalEvent): void {
  expect(event.time_to_first_token_ms).toEqual(expect.any(Number));
  expect(event.time_to_first_token_ms).toBeGreaterThanOrEqual(FIRST_CHUNK_DELAY_MS);
  expect(event.time_to_first_token_ms).toBeLessThanOrEqual(event.duration_ms);
}

describe('recorded files: every span decodes and maps to a schema-valid event', () => {
  it.each(FILES)('%s', (file) => {
    const all = requests(file).flat();
    expect(all.length).toBeGreaterThan(0);
    for (const event of all) {
      const result = validateCanonicalEvent(JSON.parse(JSON.stringify(event)));
      expect('reason' in result ? `${event.name}: ${result.reason}` : 'valid').toBe('valid');
    }
  });
});

// ---------------------------------------------------------------- Vercel AI SDK (ai 6, @ai-sdk/openai 3)

describe('Vercel AI SDK (ai.* spans)', () => {
  const vercel = () => requests('vercel-ai');
  const telemetry = { session_id: SESSION, user_id: USER, tags: TAGS, metadata: { feature: 'weather' } };

  it('records the spans the SDK documents, one request per call', () => {
    expect(vercel().map((r) => r.map((e) => e.name))).toEqual([
      ['ai.generateText.doGenerate', 'ai.toolCall', 'ai.generateText.doGenerate', 'ai.generateText'],
      ['ai.streamText.doStream', 'ai.streamText'],
      ['ai.embedMany.doEmbed', 'ai.embedMany'],
    ]);
  });

  it('generateText step 1 (doGenerate): the LLM call that asks for the tool', () => {
    const event = spanNamed(vercel()[0], 'ai.generateText.doGenerate', 0);
    expect(event).toMatchObject({
      type: 'llm',
      model: MINI, // ai.response.model; ai.model.id says gpt-4o-mini
      provider: 'openai', // ai.model.provider / gen_ai.system are `openai.chat`: the SDK's provider id, not OTel's name
      input_tokens: 120, output_tokens: 18, total_tokens: 138, cache_read_tokens: 64, reasoning_tokens: 0,
      usage_source: 'reported',
      finish_reason: 'tool-calls', // the SDK's own value, as sent
      ...telemetry,
      input: PROMPT,
      output: [askWeather()],
    });
  });

  it('generateText step 2 (doGenerate): the tool result goes back, the answer comes out', () => {
    const event = spanNamed(vercel()[0], 'ai.generateText.doGenerate', 1);
    expect(event).toMatchObject({
      type: 'llm', model: MINI, provider: 'openai',
      input_tokens: 160, output_tokens: 22, total_tokens: 182, cache_read_tokens: 128, reasoning_tokens: 6,
      finish_reason: 'stop',
      ...telemetry,
      input: [
        ...PROMPT,
        askWeather(),
        // v6 wraps tool outputs as {type: 'json', value}; the canonical response is what the tool returned.
        weatherReport(TOOL_RESULT),
      ],
      output: [{ role: 'assistant', parts: [text(AFTER_TOOL)] }],
    });
  });

  it('ai.toolCall is a tool event with the call and its result', () => {
    const event = spanNamed(vercel()[0], 'ai.toolCall');
    expect(event).toMatchObject({
      type: 'tool', tool_name: 'get_weather',
      input_tokens: 0, output_tokens: 0, usage_source: 'none',
      ...telemetry,
      input: [askWeather()],
      output: [weatherReport(TOOL_RESULT)],
    });
  });

  it('ai.generateText (outer) is a chain carrying the summed usage of both steps', () => {
    const event = spanNamed(vercel()[0], 'ai.generateText');
    expect(event).toMatchObject({
      type: 'chain',
      model: 'gpt-4o-mini', // only ai.model.id on the outer span
      provider: 'openai',
      input_tokens: 280, output_tokens: 40, total_tokens: 320, cache_read_tokens: 192, reasoning_tokens: 6,
      finish_reason: 'stop',
      ...telemetry,
      input: PROMPT,
      output: [{ role: 'assistant', parts: [text(AFTER_TOOL)] }],
    });
  });

  it('streamText (doStream) reports usage and the time to the first chunk', () => {
    const event = spanNamed(vercel()[1], 'ai.streamText.doStream');
    expect(event).toMatchObject({
      type: 'llm', model: MINI, provider: 'openai',
      input_tokens: 30, output_tokens: 14, total_tokens: 44, cache_read_tokens: 0, reasoning_tokens: 4,
      finish_reason: 'stop',
      ...telemetry,
      input: [{ role: 'user', parts: [text('Say hello.')] }],
      output: [{ role: 'assistant', parts: [text(TEXT_ANSWER)] }],
    });
    expectFirstTokenTime(event);
  });

  it('ai.streamText (outer) is a chain', () => {
    expect(spanNamed(vercel()[1], 'ai.streamText')).toMatchObject({
      type: 'chain', model: 'gpt-4o-mini', provider: 'openai', input_tokens: 30, output_tokens: 14, ...telemetry,
    });
  });

  it('embedMany (doEmbed) is an embedding event with the embedded texts as input', () => {
    const event = spanNamed(vercel()[2], 'ai.embedMany.doEmbed');
    expect(event).toMatchObject({
      type: 'embedding', model: 'text-embedding-3-small', provider: 'openai',
      input_tokens: 8, output_tokens: 0, usage_source: 'reported',
      ...telemetry,
    });
    expect(JSON.stringify(event.input)).toContain('sunny day in Paris');
    expect(JSON.stringify(event.input)).toContain('rainy night in Oslo');
    expect(spanNamed(vercel()[2], 'ai.embedMany')).toMatchObject({ type: 'chain', model: 'text-embedding-3-small', ...telemetry });
  });
});

// ---------------------------------------------------------------- OpenLLMetry (@traceloop/instrumentation-openai 0.27)

describe('OpenLLMetry (@traceloop/instrumentation-openai)', () => {
  const traceloop = () => requests('openllmetry');
  // traceloop.association.properties.{session_id, user_id, tenant}
  const association = { session_id: SESSION, user_id: USER, metadata: { tenant: 'acme' } };

  it('records one CLIENT span per chat call', () => {
    expect(traceloop().map((r) => r.map((e) => `${e.span_kind} ${e.name}`))).toEqual([
      ['client chat gpt-4o-mini', 'client chat gpt-4o-mini'],
      ['client chat gpt-4o-mini'],
    ]);
  });

  it('chat with tools: the tool call, with association properties as session, user and metadata', () => {
    const event = traceloop()[0][0];
    expect(event).toMatchObject({
      type: 'llm', operation_name: 'chat', model: MINI, provider: 'openai',
      // The instrumentation drops prompt_tokens_details.cached_tokens and reasoning tokens.
      input_tokens: 120, output_tokens: 18, total_tokens: 138, cache_read_tokens: 0, reasoning_tokens: 0,
      usage_source: 'reported',
      finish_reason: 'tool_call', // normalised by the instrumentation (OpenAI said tool_calls)
      ...association,
      input: PROMPT,
      output: [askWeather()],
    });
  });

  it('chat with the tool result: tool_call_response in the input, text out', () => {
    const event = traceloop()[0][1];
    expect(event).toMatchObject({
      type: 'llm', model: MINI, provider: 'openai',
      input_tokens: 160, output_tokens: 22, total_tokens: 182, cache_read_tokens: 0, reasoning_tokens: 0,
      finish_reason: 'stop',
      ...association,
      input: [
        ...PROMPT,
        askWeather(),
        weatherReport(TOOL_RESULT_TEXT), // the tool message's content, a string
      ],
      output: [{ role: 'assistant', parts: [text(AFTER_TOOL)] }],
    });
  });

  it('streamed chat: no usage and no first-token time on the span (the instrumentation ignores the usage chunk)', () => {
    const event = traceloop()[1][0];
    expect(event).toMatchObject({
      type: 'llm', model: MINI, provider: 'openai',
      input_tokens: 0, output_tokens: 0, total_tokens: 0, usage_source: 'none',
      time_to_first_token_ms: null,
      finish_reason: 'stop',
      ...association,
      input: [{ role: 'user', parts: [text('Say hello.')] }],
      output: [{ role: 'assistant', parts: [text(TEXT_ANSWER)] }],
    });
  });
});

// ---------------------------------------------------------------- OpenInference (@arizeai/openinference-instrumentation-openai 4.2)

describe('OpenInference (@arizeai/openinference-instrumentation-openai)', () => {
  const oi = () => requests('openinference');
  // session.id, user.id, metadata (JSON text) and tag.tags (JSON text) from openinference-core's context setters
  const context = { session_id: SESSION, user_id: USER, tags: TAGS, metadata: { tenant: 'acme' } };

  it('records one span per call', () => {
    expect(oi().map((r) => r.map((e) => e.name))).toEqual([
      ['OpenAI Chat Completions', 'OpenAI Chat Completions'],
      ['OpenAI Chat Completions'],
      ['OpenAI Chat Completions'],
      ['OpenAI Embeddings'],
    ]);
  });

  it('chat with tools: flattened llm.* messages, token details and context attributes', () => {
    const event = oi()[0][0];
    expect(event).toMatchObject({
      type: 'llm', model: MINI, provider: 'openai', // llm.system; no llm.provider for a custom base URL
      input_tokens: 120, output_tokens: 18, total_tokens: 138, cache_read_tokens: 64, reasoning_tokens: 0,
      usage_source: 'reported',
      finish_reason: 'tool_calls',
      ...context,
      input: PROMPT,
      output: [askWeather()],
    });
  });

  it('chat with the tool result', () => {
    const event = oi()[0][1];
    expect(event).toMatchObject({
      type: 'llm', model: MINI, provider: 'openai',
      input_tokens: 160, output_tokens: 22, total_tokens: 182, cache_read_tokens: 128, reasoning_tokens: 6,
      finish_reason: 'stop',
      ...context,
      input: [...PROMPT, askWeather(), weatherReport(TOOL_RESULT_TEXT)],
      output: [{ role: 'assistant', parts: [text(AFTER_TOOL)] }],
    });
  });

  it('image input: a URL stays a uri part, a large base64 image becomes a reference without its bytes', () => {
    const event = oi()[1][0];
    expect(event).toMatchObject({
      type: 'llm', model: 'gpt-4o-2024-08-06', provider: 'openai',
      input_tokens: 850, output_tokens: 9, total_tokens: 859,
      ...context,
      input: [{
        role: 'user',
        parts: [
          text('What is in these images?'),
          { type: 'uri', modality: 'image', uri: 'https://images.example.com/paris-skyline.jpg' },
          // fixtures/png.ts noisePng(): 12420 bytes, 16560 base64 characters
          { type: 'blob', modality: 'image', mime_type: 'image/png', size: 12420, content_omitted: true },
        ],
      }],
      output: [{ role: 'assistant', parts: [text('I see a city skyline and colourful noise.')] }],
    });
    expect(JSON.stringify(event.input)).not.toContain('iVBORw0KGgo'); // no PNG bytes in the messages
  });

  it('streamed chat without stream_options: no usage sent, none invented; request model only', () => {
    const event = oi()[2][0];
    expect(event).toMatchObject({
      type: 'llm',
      model: 'gpt-4o-mini', // the instrumentation keeps the request model on streams
      provider: 'openai',
      input_tokens: 0, output_tokens: 0, total_tokens: 0, usage_source: 'none',
      time_to_first_token_ms: null, // no first-token event or attribute is recorded
      finish_reason: 'stop',
      ...context,
      input: [{ role: 'user', parts: [text('Say hello.')] }],
      output: [{ role: 'assistant', parts: [text(TEXT_ANSWER)] }],
    });
  });

  it('embeddings: an embedding event named by embedding.model_name, without usage (none is recorded)', () => {
    const event = oi()[3][0];
    expect(event).toMatchObject({
      type: 'embedding', model: 'text-embedding-3-small', provider: 'openai',
      input_tokens: 0, output_tokens: 0, usage_source: 'none',
      ...context,
    });
    expect(JSON.stringify(event.input)).toContain('sunny day in Paris');
  });

  it('reports no cost (no llm.cost.* emitted)', () => {
    for (const event of oi().flat()) expect(event).toMatchObject({ cost_usd: null, cost_source: 'none' });
  });
});

// ---------------------------------------------------------------- Langfuse (@langfuse/tracing + @langfuse/otel 5.11)

describe('Langfuse (@langfuse/tracing via LangfuseSpanProcessor)', () => {
  const trace = () => requests('langfuse')[0];
  // propagateAttributes: user.id, session.id, langfuse.trace.tags, langfuse.trace.metadata.tenant on every span
  const propagated = { session_id: SESSION, user_id: USER, tags: TAGS };

  it('records one trace of five observations in one request', () => {
    expect(requests('langfuse').map((r) => r.map((e) => e.name))).toEqual([
      ['load-preferences', 'chat-tool-call', 'get_weather', 'chat-answer', 'weather-request'],
    ]);
  });

  it('the root observation is an agent with the trace attributes', () => {
    expect(spanNamed(trace(), 'weather-request')).toMatchObject({
      type: 'agent', environment: 'fixtures', ...propagated, metadata: { tenant: 'acme' },
    });
  });

  it('a span keeps its observation metadata', () => {
    expect(spanNamed(trace(), 'load-preferences')).toMatchObject({
      type: 'span', ...propagated, metadata: { source: 'cache', region: 'eu' },
    });
  });

  it('generation with usage flattened as @langfuse/openai does, and a reported cost with a total', () => {
    const event = spanNamed(trace(), 'chat-tool-call');
    expect(event).toMatchObject({
      type: 'llm',
      model: MINI, // langfuse.observation.model.name
      // usage_details {input: 56, input_cached_tokens: 64, input_audio_tokens: 0, output: 18, ...}: the
      // input usage types add up to the input tokens
      input_tokens: 120, output_tokens: 18, total_tokens: 138, cache_read_tokens: 64, reasoning_tokens: 0,
      usage_source: 'reported',
      cost_usd: 0.000024, cost_source: 'reported', // cost_details.total
      ...propagated,
      input: PROMPT,
      output: [askWeather()],
    });
  });

  it('tool observation', () => {
    expect(spanNamed(trace(), 'get_weather')).toMatchObject({ type: 'tool', tool_name: 'get_weather', ...propagated });
  });

  it('generation over a stream: camelCase usage, cost without a total, first token from completion_start_time', () => {
    const event = spanNamed(trace(), 'chat-answer');
    expect(event).toMatchObject({
      type: 'llm', model: MINI,
      input_tokens: 160, output_tokens: 22, total_tokens: 182, // usage_details {promptTokens, completionTokens, totalTokens}
      usage_source: 'reported',
      cost_usd: expect.closeTo(0.0000276, 12), cost_source: 'reported', // no total: the sum of the cost types
      ...propagated,
      input: [...PROMPT, askWeather(), weatherReport(TOOL_RESULT_TEXT)],
      output: [{ role: 'assistant', parts: [text(AFTER_TOOL)] }],
    });
    expectFirstTokenTime(event);
  });
});

// ---------------------------------------------------------------- OTel GenAI, current (>= 1.37), hand-checked

describe('OTel GenAI current (hand-checked otel-genai-current.json)', () => {
  const agentTrace = () => requests('otel-genai-current')[0];
  const ids = { session_id: SESSION, user_id: USER, conversation_id: 'conv_5j66UpCpwteGg4YSxUnt7lPY' };
  const CALL = 'call_VSPygqKTWdrhaFErNvMV18Yl';
  const ANSWER = 'It is 18°C and sunny in Paris.';

  it('invoke_agent is an agent event with its aggregate usage', () => {
    expect(spanWithId(agentTrace(), 'eee19b7ec3c1b174')).toMatchObject({
      type: 'agent', operation_name: 'invoke_agent', provider: 'openai', model: 'gpt-4o-mini',
      input_tokens: 280, output_tokens: 40, ...ids,
    });
  });

  it('chat asking for a tool: system instructions first, tool call out', () => {
    expect(spanWithId(agentTrace(), 'e457b5a2e4d86bd1')).toMatchObject({
      type: 'llm', operation_name: 'chat', model: MINI, provider: 'openai', span_kind: 'client',
      input_tokens: 120, output_tokens: 18, total_tokens: 138, cache_read_tokens: 64, reasoning_tokens: 0,
      usage_source: 'reported', finish_reason: 'tool_calls', ...ids,
      input: PROMPT,
      output: [{ role: 'assistant', finish_reason: 'tool_call', parts: [toolCall(CALL, 'get_weather', { city: 'Paris' })] }],
    });
  });

  it('execute_tool: the call in, the result out', () => {
    expect(spanWithId(agentTrace(), 'c7a9d2f0b3e41a58')).toMatchObject({
      type: 'tool', operation_name: 'execute_tool', tool_name: 'get_weather', ...ids,
      input: [askWeather(CALL)],
      output: [weatherReport(TOOL_RESULT, CALL)],
    });
  });

  it('streamed chat with the tool result: time_to_first_chunk in seconds becomes milliseconds', () => {
    expect(spanWithId(agentTrace(), '9f0e1d2c3b4a5968')).toMatchObject({
      type: 'llm', model: MINI, provider: 'openai',
      input_tokens: 160, output_tokens: 22, total_tokens: 182, cache_read_tokens: 128, reasoning_tokens: 6,
      time_to_first_token_ms: 245, finish_reason: 'stop', ...ids,
      input: [...PROMPT, askWeather(CALL), weatherReport(TOOL_RESULT, CALL)],
      output: [{ role: 'assistant', parts: [text(ANSWER)] }],
    });
  });

  it('embeddings', () => {
    expect(requests('otel-genai-current')[1][0]).toMatchObject({
      type: 'embedding', operation_name: 'embeddings', model: 'text-embedding-3-small', provider: 'openai',
      input_tokens: 8, output_tokens: 0, user_id: USER,
    });
  });

  it('anthropic chat: cache writes, reasoning, a uri image and a large blob image kept as a reference', () => {
    const event = requests('otel-genai-current')[2][0];
    expect(event).toMatchObject({
      type: 'llm', model: 'claude-sonnet-4-5-20250929', provider: 'anthropic',
      input_tokens: 1800, output_tokens: 350, total_tokens: 2150,
      cache_read_tokens: 0, cache_write_tokens: 1024, reasoning_tokens: 210,
      finish_reason: 'end_turn', session_id: 'session-fixtures-2', user_id: 'user-fixtures-2',
      input: [
        { role: 'system', parts: [text('Describe images precisely.')] },
        {
          role: 'user',
          parts: [
            text('Compare these two images.'),
            { type: 'uri', modality: 'image', mime_type: 'image/jpeg', uri: 'https://images.example.com/paris-skyline.jpg' },
            { type: 'blob', modality: 'image', mime_type: 'image/png', size: 7028, content_omitted: true }, // 9372 base64 characters
          ],
        },
      ],
      output: [{
        role: 'assistant',
        parts: [
          { type: 'reasoning', content: 'The first is a photo of a skyline, the second is random coloured pixels.' },
          text('The first image shows the Paris skyline; the second is colourful noise.'),
        ],
      }],
    });
    expect(JSON.stringify(event.input)).not.toContain('iVBORw0KGgo');
  });
});

// ---------------------------------------------------------------- OTel GenAI, older event forms, hand-checked

describe('OTel GenAI older forms (hand-checked otel-genai-events.json)', () => {
  const [eventContent, flattened, contentEvents] = [0, 1, 2].map((i) => () => requests('otel-genai-events')[i][0]);

  it('1.28-1.36 message events with the body in gen_ai.event.content', () => {
    expect(eventContent()).toMatchObject({
      type: 'llm', operation_name: 'chat', model: MINI, provider: 'openai',
      input_tokens: 160, output_tokens: 22, total_tokens: 182,
      finish_reason: 'stop', session_id: SESSION, user_id: USER,
      input: [
        ...PROMPT,
        askWeather('call_O8NOz8VlxosSASEsOY7LDUcP'),
        weatherReport(TOOL_RESULT_TEXT, 'call_O8NOz8VlxosSASEsOY7LDUcP'),
      ],
      output: [{ role: 'assistant', parts: [text('It is 18°C and sunny in Paris.')] }],
    });
  });

  it('1.28-1.36 message events with the body flattened into event attributes', () => {
    expect(flattened()).toMatchObject({
      type: 'llm', model: MINI, provider: 'openai', input_tokens: 120, output_tokens: 18, finish_reason: 'tool_calls',
      input: [{ role: 'user', parts: [text(QUESTION)] }],
      output: [askWeather('call_2mHWAHgrVrpW7pdUspK1gYPx')],
    });
  });

  it('<= 1.27 gen_ai.content.prompt / completion events and prompt/completion token names', () => {
    expect(contentEvents()).toMatchObject({
      type: 'llm', model: 'gpt-3.5-turbo-0125', provider: 'openai',
      input_tokens: 30, output_tokens: 14, total_tokens: 44, usage_source: 'reported', finish_reason: 'stop',
      input: [{ role: 'system', parts: [text('You are terse.')] }, { role: 'user', parts: [text('Say hello.')] }],
      output: [{ role: 'assistant', parts: [text('Hello!')] }],
    });
  });
});
