import Anthropic from '@anthropic-ai/sdk';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GEN_AI } from '../../semconv.ts';
import { ANTHROPIC_TEXT, MODEL, MODEL_SNAPSHOT, startFakeAnthropicServer, THINKING_TEXT, USAGE, type FakeAnthropicServer } from '../testing/fake-anthropic-server.ts';
import { jsonAttribute, spanHarness } from '../testing/span-harness.ts';
import { wrapAnthropic } from './wrap-anthropic.ts';

const weatherTool = { name: 'get_weather', description: 'Weather for a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } };
const cachedSystem = [{ type: 'text' as const, text: 'You are a travel agent.', cache_control: { type: 'ephemeral' as const } }];

describe('wrapAnthropic: messages.create', () => {
  const harness = spanHarness();
  let fake: FakeAnthropicServer;
  let client: Anthropic;
  let traced: Anthropic;

  beforeAll(async () => {
    fake = await startFakeAnthropicServer();
    client = new Anthropic({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0 });
    traced = wrapAnthropic(client, { tracerProvider: harness.provider });
  });
  afterAll(() => fake.close());
  beforeEach(() => harness.reset());

  it('records a CLIENT chat span; input tokens add cache reads and writes to Anthropic input_tokens', async () => {
    const message = await traced.messages.create({
      model: MODEL,
      max_tokens: 1024,
      // Gone from this SDK's types, still sent as given (older API versions accept them).
      ...({ temperature: 0.5, top_p: 0.8 } as object),
      system: cachedSystem,
      messages: [{ role: 'user', content: 'Bonjour?' }],
    });
    expect(message.content).toEqual([{ type: 'text', text: ANTHROPIC_TEXT }]);

    const [span] = await harness.waitForSpans(1);
    const u = USAGE.cached;
    expect(span.name).toBe(`chat ${MODEL}`);
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).toMatchObject({
      [GEN_AI.OPERATION_NAME]: 'chat',
      [GEN_AI.PROVIDER_NAME]: 'anthropic',
      [GEN_AI.REQUEST_MODEL]: MODEL,
      [GEN_AI.REQUEST_MAX_TOKENS]: 1024,
      [GEN_AI.REQUEST_TEMPERATURE]: 0.5,
      [GEN_AI.REQUEST_TOP_P]: 0.8,
      [GEN_AI.REQUEST_STREAM]: false,
      [GEN_AI.RESPONSE_ID]: message.id,
      [GEN_AI.RESPONSE_MODEL]: MODEL_SNAPSHOT,
      [GEN_AI.RESPONSE_FINISH_REASONS]: ['end_turn'],
      [GEN_AI.USAGE_INPUT_TOKENS]: 21 + 3400 + 1200,
      [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]: 3400,
      [GEN_AI.USAGE_CACHE_CREATION_INPUT_TOKENS]: 1200,
      [GEN_AI.USAGE_OUTPUT_TOKENS]: u.output_tokens,
    });
    expect(u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens).toBe(4621);
    expect(jsonAttribute(span, GEN_AI.SYSTEM_INSTRUCTIONS)).toEqual([{ type: 'text', content: 'You are a travel agent.' }]);
    expect(jsonAttribute(span, GEN_AI.INPUT_MESSAGES)).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Bonjour?' }] }]);
    expect(jsonAttribute(span, GEN_AI.OUTPUT_MESSAGES)).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: ANTHROPIC_TEXT }], finish_reason: 'end_turn' }]);
  });

  it('records tool use as tool_call and tool results as tool-role tool_call_response', async () => {
    const first = await traced.messages.create({ model: MODEL, max_tokens: 256, tools: [weatherTool], messages: [{ role: 'user', content: 'Weather in Paris?' }] });
    const toolUse = first.content.find((b) => b.type === 'tool_use');
    if (toolUse?.type !== 'tool_use') throw new Error('expected tool_use');
    await traced.messages.create({
      model: MODEL,
      max_tokens: 256,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '18C' }, { type: 'text', text: 'Thanks!' }] },
      ],
    });
    const [ask, answer] = await harness.waitForSpans(2);
    expect(jsonAttribute(ask, GEN_AI.TOOL_DEFINITIONS)).toEqual([{ type: 'function', name: 'get_weather', description: 'Weather for a city', parameters: weatherTool.input_schema }]);
    expect(ask.attributes[GEN_AI.RESPONSE_FINISH_REASONS]).toEqual(['tool_use']);
    expect(ask.attributes[GEN_AI.USAGE_INPUT_TOKENS]).toBe(USAGE.plain.input_tokens); // no cache: nothing added
    expect(ask.attributes[GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]).toBe(0);
    expect(jsonAttribute(ask, GEN_AI.OUTPUT_MESSAGES)).toEqual([
      { role: 'assistant', parts: [{ type: 'tool_call', id: toolUse.id, name: 'get_weather', arguments: { city: 'Paris' } }], finish_reason: 'tool_use' },
    ]);
    expect(jsonAttribute(answer, GEN_AI.INPUT_MESSAGES)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: toolUse.id, name: 'get_weather', arguments: { city: 'Paris' } }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: toolUse.id, response: '18C' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Thanks!' }] },
    ]);
  });

  it('records thinking as reasoning, and images as omitted blobs or uris', async () => {
    const data = Buffer.alloc(90, 1).toString('base64');
    await traced.messages.create({
      model: MODEL,
      max_tokens: 2048,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
            { type: 'text', text: 'Describe.' },
          ],
        },
      ],
    });
    const [span] = await harness.waitForSpans(1);
    expect(String(span.attributes[GEN_AI.INPUT_MESSAGES])).not.toContain(data);
    expect(jsonAttribute(span, GEN_AI.INPUT_MESSAGES)).toEqual([
      {
        role: 'user',
        parts: [
          { type: 'blob', modality: 'image', mime_type: 'image/jpeg', size: 90, content_omitted: true },
          { type: 'uri', modality: 'image', uri: 'https://example.com/a.png' },
          { type: 'text', content: 'Describe.' },
        ],
      },
    ]);
    expect(jsonAttribute(span, GEN_AI.OUTPUT_MESSAGES)).toEqual([
      { role: 'assistant', parts: [{ type: 'reasoning', content: THINKING_TEXT }, { type: 'text', content: ANTHROPIC_TEXT }], finish_reason: 'end_turn' },
    ]);
  });

  it('traces beta.messages.create too', async () => {
    await traced.beta.messages.create({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'Bonjour?' }], betas: ['fake-beta-2026'] });
    const [span] = await harness.waitForSpans(1);
    expect(span.name).toBe(`chat ${MODEL}`);
    expect(span.attributes[GEN_AI.RESPONSE_FINISH_REASONS]).toEqual(['end_turn']);
  });

  it.each([
    [400, Anthropic.BadRequestError, 'BadRequestError'],
    [500, Anthropic.InternalServerError, 'InternalServerError'],
  ])('rethrows the SDK error for HTTP %i unchanged and records an ERROR span', async (status, errorClass, errorType) => {
    const error = await traced.messages
      .create({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-fake-status': String(status) } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errorClass);
    const [span] = await harness.waitForSpans(1);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe(errorType);
    expect(span.attributes['http.response.status_code']).toBe(status);
    expect(span.events[0]).toMatchObject({ name: 'exception', attributes: { 'exception.type': errorType } });
  });

  it('keeps content out with captureContent: false, and leaves the original client untouched', async () => {
    const messagesBefore = client.messages;
    const quiet = wrapAnthropic(client, { tracerProvider: harness.provider, captureContent: false });
    await quiet.messages.create({ model: MODEL, max_tokens: 64, system: 'secret', messages: [{ role: 'user', content: 'private' }] });
    const [span] = await harness.waitForSpans(1);
    expect(span.attributes[GEN_AI.SYSTEM_INSTRUCTIONS]).toBeUndefined();
    expect(span.attributes[GEN_AI.INPUT_MESSAGES]).toBeUndefined();
    expect(span.attributes[GEN_AI.OUTPUT_MESSAGES]).toBeUndefined();
    expect(span.attributes[GEN_AI.USAGE_INPUT_TOKENS]).toBe(USAGE.plain.input_tokens);

    expect(client.messages).toBe(messagesBefore);
    expect(Object.hasOwn(client.messages, 'create')).toBe(false);
    await client.messages.create({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'x' }] });
    expect(harness.spans()).toHaveLength(1);
    expect(quiet).toBeInstanceOf(Anthropic);
    expect(wrapAnthropic(quiet)).toBe(quiet);
  });
});
