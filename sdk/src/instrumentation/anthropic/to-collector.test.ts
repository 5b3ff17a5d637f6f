/**
 * wrapAnthropic end to end: the real `@anthropic-ai/sdk` client, streaming from a fake Anthropic
 * server with prompt caching, exported through init() to a real collector. What the collector
 * stores must have the input tokens with the cache reads and writes added back (Anthropic reports
 * them apart), the cache split, the cost at cache rates, and the time to first token.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../../../../collector/src/testing/test-collector.ts';
import { init } from '../../init.ts';
import { withSession } from '../../context-scopes.ts';
import { ANTHROPIC_TEXT, USAGE, startFakeAnthropicServer, type FakeAnthropicServer } from '../testing/fake-anthropic-server.ts';
import { wrapAnthropic } from './wrap-anthropic.ts';

let collector: TestCollector;
let fake: FakeAnthropicServer;
beforeAll(async () => {
  [collector, fake] = await Promise.all([startTestCollector(), startFakeAnthropicServer()]);
});
afterAll(async () => {
  await Promise.all([collector?.close(), fake?.close()]);
});

it('stores a streamed, cached Claude call with whole input tokens and cache-rate cost', async () => {
  const observa = init({ apiKey: collector.apiKey, endpoint: collector.url, serviceName: 'claude-app' });
  const claude = wrapAnthropic(new Anthropic({ apiKey: 'k', baseURL: fake.url, maxRetries: 0 }));
  let text = '';
  await withSession('claude-session', async () => {
    const stream = await claude.messages.create({
      model: 'claude-sonnet-4-5-20250929',
      max_tokens: 256,
      stream: true,
      system: [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'Bonjour?' }],
    });
    for await (const event of stream) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
  });
  await observa.shutdown();
  expect(text).toBe(ANTHROPIC_TEXT);
  await collector.shipped();

  const list = (await (await collector.request('/api/v1/traces?session_id=claude-session')).json()) as any;
  expect(list.data).toHaveLength(1);
  const { spans } = (await (await collector.request(`/api/v1/traces/${list.data[0].trace_id}`)).json()) as any;
  const { input_tokens, cache_read_input_tokens, cache_creation_input_tokens, output_tokens } = USAGE.cached;
  expect(spans).toHaveLength(1);
  expect(spans[0]).toMatchObject({
    type: 'llm', provider: 'anthropic', model: 'claude-sonnet-4-5-20250929', service_name: 'claude-app',
    input_tokens: input_tokens + cache_read_input_tokens + cache_creation_input_tokens,
    cache_read_tokens: cache_read_input_tokens, cache_write_tokens: cache_creation_input_tokens, output_tokens,
    cost_source: 'computed', session_id: 'claude-session',
    output: [{ role: 'assistant', parts: [{ type: 'text', content: ANTHROPIC_TEXT }] }],
  });
  // Claude Sonnet 4.5 per million: $3 input, $0.30 cache read, $3.75 cache write, $15 output.
  const expected = (input_tokens * 3 + cache_read_input_tokens * 0.3 + cache_creation_input_tokens * 3.75 + output_tokens * 15) / 1e6;
  expect(spans[0].cost_usd).toBeCloseTo(expected, 10);
  expect(spans[0].time_to_first_token_ms).toBeGreaterThan(0);
  expect(spans[0].input[0]).toMatchObject({ role: 'system' });
});
