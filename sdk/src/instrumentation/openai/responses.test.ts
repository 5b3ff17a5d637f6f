import OpenAI from 'openai';
import { beforeEach, describe, expect, it } from 'vitest';
import { GEN_AI } from '../../semconv.ts';
import { STREAM_CANCELLED_EVENT } from '../core/attributes.ts';
import { REASONING_SUMMARY, RESPONSES_TEXT, RESPONSES_USAGE } from '../testing/fake-responses-api.ts';
import { startFakeOpenAIServer } from '../testing/fake-openai-server.ts';
import { fakeServerPairPerTest } from '../testing/fake-server-pair.ts';
import { collect, durationSeconds, jsonAttribute, spanHarness } from '../testing/span-harness.ts';
import { wrapOpenAI } from './wrap-openai.ts';

const weatherTool = { type: 'function' as const, name: 'get_weather', description: 'Weather', strict: false, parameters: { type: 'object', properties: { city: { type: 'string' } } } };

describe('wrapOpenAI: responses.create', () => {
  const harness = spanHarness();
  const fakes = fakeServerPairPerTest(startFakeOpenAIServer);
  let plain: OpenAI;
  let traced: OpenAI;

  beforeEach(() => {
    harness.reset();
    plain = new OpenAI({ apiKey: 'k', baseURL: fakes.plain.baseURL, maxRetries: 0 });
    traced = wrapOpenAI(new OpenAI({ apiKey: 'k', baseURL: fakes.traced.baseURL, maxRetries: 0 }), { tracerProvider: harness.provider });
  });

  it('records instructions, string input, output text, usage with cached and reasoning tokens', async () => {
    const response = await traced.responses.create({ model: 'gpt-4o-mini', instructions: 'Be brief.', input: 'Hello?', reasoning: { effort: 'low' }, max_output_tokens: 200 });
    expect(response.output_text).toBe(RESPONSES_TEXT); // the SDK's own helper still runs

    const [span] = await harness.waitForSpans(1);
    const u = RESPONSES_USAGE.reasoning;
    expect(span.name).toBe('chat gpt-4o-mini');
    expect(span.attributes).toMatchObject({
      [GEN_AI.OPERATION_NAME]: 'chat',
      [GEN_AI.PROVIDER_NAME]: 'openai',
      [GEN_AI.REQUEST_MAX_TOKENS]: 200,
      [GEN_AI.RESPONSE_ID]: response.id,
      [GEN_AI.RESPONSE_MODEL]: 'gpt-4o-mini-2024-07-18',
      [GEN_AI.RESPONSE_FINISH_REASONS]: ['stop'],
      [GEN_AI.USAGE_INPUT_TOKENS]: u.input,
      [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]: u.cached,
      [GEN_AI.USAGE_OUTPUT_TOKENS]: u.output,
      [GEN_AI.USAGE_REASONING_OUTPUT_TOKENS]: u.reasoning,
    });
    expect(jsonAttribute(span, GEN_AI.SYSTEM_INSTRUCTIONS)).toEqual([{ type: 'text', content: 'Be brief.' }]);
    expect(jsonAttribute(span, GEN_AI.INPUT_MESSAGES)).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Hello?' }] }]);
    expect(jsonAttribute(span, GEN_AI.OUTPUT_MESSAGES)).toEqual([
      { role: 'assistant', parts: [{ type: 'reasoning', content: REASONING_SUMMARY }, { type: 'text', content: RESPONSES_TEXT }], finish_reason: 'stop' },
    ]);
  });

  it('records a function call round trip with items as input', async () => {
    const first = await traced.responses.create({ model: 'gpt-4o-mini', input: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool] });
    const call = first.output.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('expected a function call');
    await traced.responses.create({
      model: 'gpt-4o-mini',
      tools: [weatherTool],
      input: [
        { role: 'developer', content: 'Use tools.' },
        { role: 'user', content: [{ type: 'input_text', text: 'Weather?' }] },
        call,
        { type: 'function_call_output', call_id: call.call_id, output: '18C' },
      ],
    });
    const [ask, answer] = await harness.waitForSpans(2);
    expect(jsonAttribute(ask, GEN_AI.TOOL_DEFINITIONS)).toEqual([{ type: 'function', name: 'get_weather', description: 'Weather', parameters: weatherTool.parameters }]);
    expect(ask.attributes[GEN_AI.RESPONSE_FINISH_REASONS]).toEqual(['tool_call']);
    expect(jsonAttribute(ask, GEN_AI.OUTPUT_MESSAGES)).toEqual([
      { role: 'assistant', parts: [{ type: 'tool_call', id: call.call_id, name: 'get_weather', arguments: { city: 'Paris' } }], finish_reason: 'tool_call' },
    ]);
    expect(jsonAttribute(answer, GEN_AI.SYSTEM_INSTRUCTIONS)).toEqual([{ type: 'text', content: 'Use tools.' }]);
    expect(jsonAttribute(answer, GEN_AI.INPUT_MESSAGES)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Weather?' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: call.call_id, name: 'get_weather', arguments: { city: 'Paris' } }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: call.call_id, response: '18C' }] },
    ]);
    expect(answer.attributes[GEN_AI.USAGE_INPUT_TOKENS]).toBe(RESPONSES_USAGE.after_tool.input);
  });

  it('maps an incomplete response to finish reason length', async () => {
    await traced.responses.create({ model: 'gpt-4o-mini', input: 'Hello?', max_output_tokens: 8 });
    const [span] = await harness.waitForSpans(1);
    expect(span.attributes[GEN_AI.RESPONSE_FINISH_REASONS]).toEqual(['length']);
  });

  it('streams the same events as unwrapped and takes the result from response.completed', async () => {
    const params = { model: 'gpt-4o-mini', input: 'Hello?', stream: true as const };
    const expected = await collect(await plain.responses.create(params));
    const received = await collect(await traced.responses.create(params));
    expect(received).toEqual(expected);

    const [span] = await harness.waitForSpans(1);
    expect(span.attributes).toMatchObject({
      [GEN_AI.REQUEST_STREAM]: true,
      [GEN_AI.RESPONSE_ID]: 'resp_fake0001',
      [GEN_AI.RESPONSE_FINISH_REASONS]: ['stop'],
      [GEN_AI.USAGE_INPUT_TOKENS]: RESPONSES_USAGE.text.input,
      [GEN_AI.USAGE_OUTPUT_TOKENS]: RESPONSES_USAGE.text.output,
    });
    expect(jsonAttribute(span, GEN_AI.OUTPUT_MESSAGES)).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: RESPONSES_TEXT }], finish_reason: 'stop' }]);
    const ttfc = span.attributes[GEN_AI.RESPONSE_TIME_TO_FIRST_CHUNK] as number;
    expect(ttfc).toBeGreaterThan(0.02);
    expect(ttfc).toBeLessThanOrEqual(durationSeconds(span));
  });

  it('rebuilds partial output when the app stops reading a stream', async () => {
    const stream = await traced.responses.create({ model: 'gpt-4o-mini', input: 'Hello?', stream: true });
    let text = '';
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (text.split(' ').length > 2) break;
    }
    const [span] = await harness.waitForSpans(1);
    expect(span.events.map((e) => e.name)).toEqual([STREAM_CANCELLED_EVENT]);
    expect(span.attributes[GEN_AI.RESPONSE_ID]).toBe('resp_fake0001');
    expect(span.attributes[GEN_AI.RESPONSE_FINISH_REASONS]).toBeUndefined();
    expect(jsonAttribute(span, GEN_AI.OUTPUT_MESSAGES)).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: text }] }]);
  });

  it('traces the SDK helper responses.stream() through the wrapped client', async () => {
    const runner = traced.responses.stream({ model: 'gpt-4o-mini', input: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool] });
    const final = await runner.finalResponse();
    expect(final.output[0].type).toBe('function_call');
    const [span] = await harness.waitForSpans(1);
    expect(span.attributes[GEN_AI.RESPONSE_FINISH_REASONS]).toEqual(['tool_call']);
    expect(span.attributes[GEN_AI.USAGE_INPUT_TOKENS]).toBe(RESPONSES_USAGE.tool_call.input);
  });
});
