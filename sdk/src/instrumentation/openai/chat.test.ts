import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEXT_ANSWER, USAGE } from '../../../../fixtures/fake-llm-server.ts';
import { GEN_AI } from '../../semconv.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../testing/fake-openai-server.ts';
import { jsonAttribute, spanHarness } from '../testing/span-harness.ts';
import { wrapOpenAI } from './wrap-openai.ts';

const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

describe('wrapOpenAI: chat.completions.create', () => {
  const harness = spanHarness();
  let fake: FakeOpenAIServer;
  let client: OpenAI;
  let traced: OpenAI;

  beforeAll(async () => {
    fake = await startFakeOpenAIServer();
    client = new OpenAI({ apiKey: 'test-key', baseURL: fake.baseURL, maxRetries: 0 });
    traced = wrapOpenAI(client, { tracerProvider: harness.provider });
  });
  afterAll(() => fake.close());
  beforeEach(() => harness.reset());

  it('records a text completion as a CLIENT chat span with request, response, usage and messages', async () => {
    const completion = await traced.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello?' },
      ],
      max_completion_tokens: 64,
      temperature: 0.2,
      top_p: 0.9,
    });
    expect(completion.choices[0].message.content).toBe(TEXT_ANSWER);

    const [span] = await harness.waitForSpans(1);
    expect(span.name).toBe('chat gpt-4o-mini');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.instrumentationScope.name).toBe('@observa/sdk');
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).toMatchObject({
      [GEN_AI.OPERATION_NAME]: 'chat',
      [GEN_AI.PROVIDER_NAME]: 'openai',
      [GEN_AI.REQUEST_MODEL]: 'gpt-4o-mini',
      [GEN_AI.REQUEST_MAX_TOKENS]: 64,
      [GEN_AI.REQUEST_TEMPERATURE]: 0.2,
      [GEN_AI.REQUEST_TOP_P]: 0.9,
      [GEN_AI.REQUEST_STREAM]: false,
      [GEN_AI.RESPONSE_ID]: completion.id,
      [GEN_AI.RESPONSE_MODEL]: 'gpt-4o-mini-2024-07-18',
      [GEN_AI.RESPONSE_FINISH_REASONS]: ['stop'],
      [GEN_AI.USAGE_INPUT_TOKENS]: USAGE.text.prompt,
      [GEN_AI.USAGE_OUTPUT_TOKENS]: USAGE.text.completion,
      [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]: USAGE.text.cached,
      [GEN_AI.USAGE_REASONING_OUTPUT_TOKENS]: USAGE.text.reasoning,
      'server.address': '127.0.0.1',
    });
    expect(jsonAttribute(span, GEN_AI.SYSTEM_INSTRUCTIONS)).toEqual([{ type: 'text', content: 'Be brief.' }]);
    expect(jsonAttribute(span, GEN_AI.INPUT_MESSAGES)).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Hello?' }] }]);
    expect(jsonAttribute(span, GEN_AI.OUTPUT_MESSAGES)).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: TEXT_ANSWER }], finish_reason: 'stop' }]);
    expect(span.attributes[GEN_AI.TOOL_DEFINITIONS]).toBeUndefined();
  });

  it('records a tool round trip: definitions, tool_call output, then the tool result as input', async () => {
    const first = await traced.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [weatherTool] });
    const call = first.choices[0].message.tool_calls![0];
    if (call.type !== 'function') throw new Error('expected a function call');
    await traced.chat.completions.create({
      model: 'gpt-4o-mini',
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        first.choices[0].message,
        { role: 'tool', tool_call_id: call.id, content: '18C and sunny' },
      ],
    });

    const [askSpan, answerSpan] = await harness.waitForSpans(2);
    expect(jsonAttribute(askSpan, GEN_AI.TOOL_DEFINITIONS)).toEqual([
      { type: 'function', name: 'get_weather', description: 'Weather for a city', parameters: weatherTool.function.parameters },
    ]);
    expect(askSpan.attributes[GEN_AI.RESPONSE_FINISH_REASONS]).toEqual(['tool_calls']);
    expect(askSpan.attributes[GEN_AI.USAGE_INPUT_TOKENS]).toBe(USAGE.tool_call.prompt);
    expect(askSpan.attributes[GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]).toBe(USAGE.tool_call.cached);
    expect(jsonAttribute(askSpan, GEN_AI.OUTPUT_MESSAGES)).toEqual([
      { role: 'assistant', parts: [{ type: 'tool_call', id: call.id, name: 'get_weather', arguments: { city: 'Paris' } }], finish_reason: 'tool_calls' },
    ]);
    expect(jsonAttribute(answerSpan, GEN_AI.INPUT_MESSAGES)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: call.id, name: 'get_weather', arguments: { city: 'Paris' } }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: call.id, response: '18C and sunny' }] },
    ]);
    expect(answerSpan.attributes[GEN_AI.USAGE_REASONING_OUTPUT_TOKENS]).toBe(USAGE.after_tool.reasoning);
  });

  it('records images as uri parts, and base64 data URLs as an omitted blob with their size', async () => {
    const base64 = Buffer.alloc(300, 7).toString('base64');
    await traced.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image_url', image_url: { url: 'https://example.com/city.png' } },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${base64}` } },
          ],
        },
      ],
    });
    const [span] = await harness.waitForSpans(1);
    const value = String(span.attributes[GEN_AI.INPUT_MESSAGES]);
    expect(value).not.toContain(base64);
    expect(jsonAttribute(span, GEN_AI.INPUT_MESSAGES)).toEqual([
      {
        role: 'user',
        parts: [
          { type: 'text', content: 'What is in these?' },
          { type: 'uri', modality: 'image', uri: 'https://example.com/city.png' },
          { type: 'blob', modality: 'image', mime_type: 'image/png', size: 300, content_omitted: true },
        ],
      },
    ]);
  });

  it('keeps content out of spans with captureContent: false', async () => {
    const quiet = wrapOpenAI(client, { tracerProvider: harness.provider, captureContent: false });
    await quiet.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'secret' }, { role: 'user', content: 'private' }], tools: [weatherTool] });
    const [span] = await harness.waitForSpans(1);
    expect(span.attributes[GEN_AI.INPUT_MESSAGES]).toBeUndefined();
    expect(span.attributes[GEN_AI.SYSTEM_INSTRUCTIONS]).toBeUndefined();
    expect(span.attributes[GEN_AI.OUTPUT_MESSAGES]).toBeUndefined();
    expect(span.attributes[GEN_AI.USAGE_INPUT_TOKENS]).toBe(USAGE.tool_call.prompt);
    expect(span.attributes[GEN_AI.TOOL_DEFINITIONS]).toBeDefined(); // tool schemas are code, not conversation
  });

  it('keeps APIPromise helpers: withResponse(), and parse() traced through the wrapped create', async () => {
    const { data, response, request_id } = await traced.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(data.choices[0].message.content).toBe(TEXT_ANSWER);
    expect(response.status).toBe(200);
    expect(request_id).toBe('req_fake');

    const parsed = await traced.chat.completions.parse({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    expect(parsed.choices[0].message.content).toBe(TEXT_ANSWER);
    const spans = await harness.waitForSpans(2);
    expect(spans.map((s) => s.name)).toEqual(['chat gpt-4o-mini', 'chat gpt-4o-mini']);
  });

  it('traces each model call of the runTools() helper', async () => {
    const runner = traced.chat.completions.runTools({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather for a city',
            parameters: weatherTool.function.parameters,
            parse: (text: string) => JSON.parse(text) as { city: string },
            function: (args: { city: string }) => `18C in ${args.city}`,
          },
        },
      ],
    });
    expect(await runner.finalContent()).toContain('18C');
    const spans = await harness.waitForSpans(2);
    expect(spans.map((s) => s.attributes[GEN_AI.RESPONSE_FINISH_REASONS])).toEqual([['tool_calls'], ['stop']]);
  });

  it('leaves the original client untouched and untraced', async () => {
    const before = { chat: client.chat, completions: client.chat.completions, create: client.chat.completions.create, keys: Object.keys(client) };
    const again = wrapOpenAI(client, { tracerProvider: harness.provider });
    expect(again).not.toBe(client);
    expect(wrapOpenAI(again)).toBe(again); // wrapping twice does not nest spans
    expect(client.chat).toBe(before.chat);
    expect(client.chat.completions).toBe(before.completions);
    expect(client.chat.completions.create).toBe(before.create);
    expect(Object.keys(client)).toEqual(before.keys);
    expect(Object.hasOwn(client.chat.completions, 'create')).toBe(false);

    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    expect(harness.spans()).toHaveLength(0);

    // The wrapper still looks like the client it wraps.
    expect(traced).toBeInstanceOf(OpenAI);
    expect(traced.baseURL).toBe(client.baseURL);
    expect(traced.chat).toBe(traced.chat);
    expect(traced.models.list).toBeTypeOf('function');
  });
});
