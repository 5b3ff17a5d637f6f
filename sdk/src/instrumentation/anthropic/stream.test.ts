import Anthropic from '@anthropic-ai/sdk';
import { SpanStatusCode } from '@opentelemetry/api';
import { beforeEach, describe, expect, it } from 'vitest';
import { GEN_AI } from '../../semconv.ts';
import { STREAM_CANCELLED_EVENT } from '../core/attributes.ts';
import { ANTHROPIC_TEXT, MODEL, startFakeAnthropicServer, THINKING_TEXT, USAGE } from '../testing/fake-anthropic-server.ts';
import { fakeServerPairPerTest } from '../testing/fake-server-pair.ts';
import { collect, durationSeconds, jsonAttribute, spanHarness } from '../testing/span-harness.ts';
import { wrapAnthropic } from './wrap-anthropic.ts';

const cachedSystem = [{ type: 'text' as const, text: 'You are a travel agent.', cache_control: { type: 'ephemeral' as const } }];
const ask = { model: MODEL, max_tokens: 1024, system: cachedSystem, messages: [{ role: 'user' as const, content: 'Bonjour?' }], stream: true as const };
const weatherTool = { name: 'get_weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' }, days: { type: 'integer' } } } };

describe('wrapAnthropic: streamed messages', () => {
  const harness = spanHarness();
  const fakes = fakeServerPairPerTest(startFakeAnthropicServer);
  let plain: Anthropic;
  let traced: Anthropic;

  beforeEach(() => {
    harness.reset();
    plain = new Anthropic({ apiKey: 'k', baseURL: fakes.plain.url, maxRetries: 0 });
    traced = wrapAnthropic(new Anthropic({ apiKey: 'k', baseURL: fakes.traced.url, maxRetries: 0 }), { tracerProvider: harness.provider });
  });

  it('yields the same events as unwrapped; usage comes from message_start plus message_delta', async () => {
    const expected = await collect(await plain.messages.create(ask));
    const received = await collect(await traced.messages.create(ask));
    expect(received).toEqual(expected);

    const [span] = await harness.waitForSpans(1);
    const u = USAGE.cached;
    expect(span.attributes).toMatchObject({
      [GEN_AI.REQUEST_STREAM]: true,
      [GEN_AI.RESPONSE_ID]: 'msg_fake0001',
      [GEN_AI.RESPONSE_FINISH_REASONS]: ['end_turn'],
      [GEN_AI.USAGE_INPUT_TOKENS]: u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens,
      [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]: u.cache_read_input_tokens,
      [GEN_AI.USAGE_CACHE_CREATION_INPUT_TOKENS]: u.cache_creation_input_tokens,
      [GEN_AI.USAGE_OUTPUT_TOKENS]: u.output_tokens, // message_delta's cumulative count replaces message_start's 1
    });
    expect(jsonAttribute(span, GEN_AI.OUTPUT_MESSAGES)).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: ANTHROPIC_TEXT }], finish_reason: 'end_turn' }]);
    const ttfc = span.attributes[GEN_AI.RESPONSE_TIME_TO_FIRST_CHUNK] as number;
    expect(ttfc).toBeGreaterThan(0.02); // the fake pauses 25 ms after message_start
    expect(ttfc).toBeLessThanOrEqual(durationSeconds(span));
  });

  it('accumulates thinking and tool_use input_json deltas', async () => {
    const params = { model: MODEL, max_tokens: 2048, thinking: { type: 'enabled' as const, budget_tokens: 1024 }, tools: [weatherTool], messages: [{ role: 'user' as const, content: 'Weather?' }], stream: true as const };
    const events = await collect(await traced.messages.create(params));
    const start = events.find((e) => e.type === 'content_block_start' && e.content_block.type === 'tool_use');
    const id = start?.type === 'content_block_start' && start.content_block.type === 'tool_use' ? start.content_block.id : undefined;
    expect(start && start.type === 'content_block_start' && start.content_block).toMatchObject({ input: {} }); // the app's events are not modified
    const [span] = await harness.waitForSpans(1);
    expect(span.attributes[GEN_AI.RESPONSE_FINISH_REASONS]).toEqual(['tool_use']);
    expect(jsonAttribute(span, GEN_AI.OUTPUT_MESSAGES)).toEqual([
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', content: THINKING_TEXT },
          { type: 'tool_call', id, name: 'get_weather', arguments: { city: 'Paris', days: 3 } },
        ],
        finish_reason: 'tool_use',
      },
    ]);
  });

  it('ends the span when the app breaks out early, keeping the usage known so far', async () => {
    const stream = await traced.messages.create(ask);
    let text = '';
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      if (text.length > 10) break;
    }
    const [span] = await harness.waitForSpans(1);
    expect(span.events.map((e) => e.name)).toEqual([STREAM_CANCELLED_EVENT]);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes[GEN_AI.RESPONSE_FINISH_REASONS]).toBeUndefined();
    expect(span.attributes[GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]).toBe(USAGE.cached.cache_read_input_tokens);
    expect(jsonAttribute(span, GEN_AI.OUTPUT_MESSAGES)).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: text }] }]);
    expect(stream.controller.signal.aborted).toBe(true);
  });

  it('records an error event in the middle of a stream and rethrows it to the app', async () => {
    const stream = await traced.messages.create(ask, { headers: { 'x-fake-stream-error': 'overloaded_error' } });
    const received: unknown[] = [];
    const error = await (async () => {
      for await (const event of stream) received.push(event);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const [span] = await harness.waitForSpans(1);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe((error as Error).constructor.name);
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
    expect(jsonAttribute(span, GEN_AI.OUTPUT_MESSAGES)).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Bonjour! This ' }] }]);
  });

  it('traces the SDK helper messages.stream(), whose events and final message are unchanged', async () => {
    const params = { model: MODEL, max_tokens: 1024, messages: [{ role: 'user' as const, content: 'Bonjour?' }] };
    const expected = await plain.messages.stream(params).finalMessage();
    const runner = traced.messages.stream(params);
    const texts: string[] = [];
    runner.on('text', (t) => texts.push(t));
    const final = await runner.finalMessage();
    expect(final).toEqual(expected);
    expect(texts.join('')).toBe(ANTHROPIC_TEXT);
    const [span] = await harness.waitForSpans(1);
    expect(span.name).toBe(`chat ${MODEL}`);
    expect(span.attributes[GEN_AI.REQUEST_STREAM]).toBe(true);
    expect(span.attributes[GEN_AI.USAGE_INPUT_TOKENS]).toBe(USAGE.plain.input_tokens);
    expect(jsonAttribute(span, GEN_AI.OUTPUT_MESSAGES)).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: ANTHROPIC_TEXT }], finish_reason: 'end_turn' }]);
  });

  it('records HTTP errors of streamed calls before any event', async () => {
    const error = await traced.messages.create(ask, { headers: { 'x-fake-status': '529' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const [span] = await harness.waitForSpans(1);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['http.response.status_code']).toBe(529);
  });
});
