import OpenAI from 'openai';
import { beforeEach, describe, expect, it } from 'vitest';
import { TEXT_ANSWER, USAGE } from '../../../../fixtures/fake-llm-server.ts';
import { GEN_AI } from '../../semconv.ts';
import { STREAM_CANCELLED_EVENT } from '../core/attributes.ts';
import { startFakeOpenAIServer } from '../testing/fake-openai-server.ts';
import { fakeServerPairPerTest } from '../testing/fake-server-pair.ts';
import { collect, durationSeconds, jsonAttribute, spanHarness } from '../testing/span-harness.ts';
import { wrapOpenAI } from './wrap-openai.ts';

const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } } } },
};
const ask = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hello?' }], stream: true as const };

describe('wrapOpenAI: streamed chat completions', () => {
  const harness = spanHarness();
  const fakes = fakeServerPairPerTest(startFakeOpenAIServer);
  let plain: OpenAI;
  let traced: OpenAI;

  beforeEach(() => {
    harness.reset();
    plain = new OpenAI({ apiKey: 'k', baseURL: fakes.plain.baseURL, maxRetries: 0 });
    traced = wrapOpenAI(new OpenAI({ apiKey: 'k', baseURL: fakes.traced.baseURL, maxRetries: 0 }), { tracerProvider: harness.provider });
  });

  it('yields exactly the chunks the unwrapped client yields, and records usage it asked for itself', async () => {
    const expected = await collect(await plain.chat.completions.create(ask));
    const stream = await traced.chat.completions.create(ask);
    const received = await collect(stream);

    expect(received).toEqual(expected); // no usage-only chunk, no `usage: null` fields: the app did not ask for them
    expect(expected.every((c) => !('usage' in c))).toBe(true);

    const [span] = await harness.waitForSpans(1);
    expect(span.name).toBe('chat gpt-4o-mini');
    expect(span.attributes).toMatchObject({
      [GEN_AI.REQUEST_STREAM]: true,
      [GEN_AI.RESPONSE_ID]: expected[0].id,
      [GEN_AI.RESPONSE_MODEL]: 'gpt-4o-mini-2024-07-18',
      [GEN_AI.RESPONSE_FINISH_REASONS]: ['stop'],
      [GEN_AI.USAGE_INPUT_TOKENS]: USAGE.text.prompt,
      [GEN_AI.USAGE_OUTPUT_TOKENS]: USAGE.text.completion,
      [GEN_AI.USAGE_REASONING_OUTPUT_TOKENS]: USAGE.text.reasoning,
    });
    expect(jsonAttribute(span, GEN_AI.OUTPUT_MESSAGES)).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: TEXT_ANSWER }], finish_reason: 'stop' }]);
    const ttfc = span.attributes[GEN_AI.RESPONSE_TIME_TO_FIRST_CHUNK] as number;
    expect(ttfc).toBeGreaterThan(0.02); // the fake waits 25 ms before its first chunk
    expect(ttfc).toBeLessThanOrEqual(durationSeconds(span));
    expect(span.events).toHaveLength(0);
  });

  it('passes the usage chunk through when the app asked for it, and never overrides stream_options', async () => {
    const params = { ...ask, stream_options: { include_usage: true } };
    const expected = await collect(await plain.chat.completions.create(params));
    const received = await collect(await traced.chat.completions.create(params));
    expect(received).toEqual(expected);
    expect(received.at(-1)?.usage?.prompt_tokens).toBe(USAGE.text.prompt);

    const withoutUsage = { ...ask, stream_options: { include_usage: false } };
    await collect(await traced.chat.completions.create(withoutUsage));
    const [withUsageSpan, noUsageSpan] = await harness.waitForSpans(2);
    expect(withUsageSpan.attributes[GEN_AI.USAGE_INPUT_TOKENS]).toBe(USAGE.text.prompt);
    expect(noUsageSpan.attributes[GEN_AI.USAGE_INPUT_TOKENS]).toBeUndefined();
  });

  it('does not ask for usage with streamUsage: false', async () => {
    const bare = wrapOpenAI(new OpenAI({ apiKey: 'k', baseURL: fakes.traced.baseURL, maxRetries: 0 }), { tracerProvider: harness.provider, streamUsage: false });
    expect(await collect(await bare.chat.completions.create(ask))).toEqual(await collect(await plain.chat.completions.create(ask)));
    const [span] = await harness.waitForSpans(1);
    expect(span.attributes[GEN_AI.USAGE_INPUT_TOKENS]).toBeUndefined();
    expect(span.attributes[GEN_AI.RESPONSE_FINISH_REASONS]).toEqual(['stop']);
  });

  it('accumulates tool-call argument deltas into one tool_call part', async () => {
    const params = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Weather?' }], tools: [weatherTool], stream: true as const };
    const expected = await collect(await plain.chat.completions.create(params));
    expect(await collect(await traced.chat.completions.create(params))).toEqual(expected);
    const id = expected[0].choices[0].delta.tool_calls?.[0].id;

    const [span] = await harness.waitForSpans(1);
    expect(span.attributes[GEN_AI.RESPONSE_FINISH_REASONS]).toEqual(['tool_calls']);
    expect(span.attributes[GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]).toBe(USAGE.tool_call.cached);
    expect(jsonAttribute(span, GEN_AI.OUTPUT_MESSAGES)).toEqual([
      { role: 'assistant', parts: [{ type: 'tool_call', id, name: 'get_weather', arguments: { city: 'Paris', days: 3 } }], finish_reason: 'tool_calls' },
    ]);
    expect(span.attributes[GEN_AI.RESPONSE_TIME_TO_FIRST_CHUNK]).toBeGreaterThan(0);
  });

  it('ends the span when the app breaks out early, with what it had received', async () => {
    const stream = await traced.chat.completions.create(ask);
    const seen: string[] = [];
    for await (const chunk of stream) {
      seen.push(chunk.choices[0]?.delta.content ?? '');
      if (seen.length === 3) break;
    }
    const [span] = await harness.waitForSpans(1);
    expect(span.events.map((e) => e.name)).toEqual([STREAM_CANCELLED_EVENT]);
    expect(span.events[0].attributes).toEqual({ 'observa.stream.chunks': 3 });
    expect(span.attributes[GEN_AI.RESPONSE_FINISH_REASONS]).toBeUndefined();
    expect(span.attributes[GEN_AI.USAGE_INPUT_TOKENS]).toBeUndefined();
    expect(jsonAttribute(span, GEN_AI.OUTPUT_MESSAGES)).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: seen.join('') }] }]);
    expect(stream.controller.signal.aborted).toBe(true); // the break still aborts the request, as unwrapped
  });

  it('ends the span when the app aborts the stream controller', async () => {
    const stream = await traced.chat.completions.create(ask);
    let chunks = 0;
    for await (const _ of stream) {
      if (++chunks === 2) stream.controller.abort();
    }
    const [span] = await harness.waitForSpans(1);
    expect(span.events.map((e) => e.name)).toEqual([STREAM_CANCELLED_EVENT]);
  });

  it('ends the span when the app aborts a stream it never read', async () => {
    const stream = await traced.chat.completions.create(ask);
    stream.controller.abort();
    const [span] = await harness.waitForSpans(1);
    expect(span.events[0]).toMatchObject({ name: STREAM_CANCELLED_EVENT, attributes: { 'observa.stream.chunks': 0 } });
    expect(span.attributes[GEN_AI.OUTPUT_MESSAGES]).toBeUndefined();
  });

  it('keeps the SDK stream API: instanceof, tee(), toReadableStream(), withResponse()', async () => {
    const { data: stream, response } = await traced.chat.completions.create(ask).withResponse();
    const original = await plain.chat.completions.create(ask);
    expect(response.status).toBe(200);
    expect(stream).toBeInstanceOf(original.constructor);
    const [left, right] = stream.tee();
    const [a, b] = await Promise.all([collect(left), collect(right)]);
    const expected = await collect(original);
    expect(a).toEqual(expected);
    expect(b).toEqual(expected);
    const [span] = await harness.waitForSpans(1);
    expect(span.attributes[GEN_AI.USAGE_INPUT_TOKENS]).toBe(USAGE.text.prompt);

    const readable = (await traced.chat.completions.create(ask)).toReadableStream();
    const text = await new Response(readable).text();
    expect(text.trim().split('\n')).toHaveLength(expected.length);
    await harness.waitForSpans(2);
  });

  it('traces the SDK helper chat.completions.stream() through the wrapped client', async () => {
    const runner = traced.chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello?' }] });
    const completion = await runner.finalChatCompletion();
    expect(completion.choices[0].message.content).toBe(TEXT_ANSWER);
    const [span] = await harness.waitForSpans(1);
    expect(span.attributes[GEN_AI.REQUEST_STREAM]).toBe(true);
    expect(jsonAttribute(span, GEN_AI.OUTPUT_MESSAGES)).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: TEXT_ANSWER }], finish_reason: 'stop' }]);
  });
});
