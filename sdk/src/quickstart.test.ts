/**
 * The README's ten-line quick start, run as a real script (`examples/quickstart.ts`) with the real
 * `openai` client against a fake OpenAI server, exporting to a real collector: one streamed call must
 * arrive as a complete trace with messages, tokens, cost, session and time to first token.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../../collector/src/testing/test-collector.ts';
import { TEXT_ANSWER, startFakeLlmServer, type FakeLlmServer } from '../../fixtures/fake-llm-server.ts';

let collector: TestCollector;
let openai: FakeLlmServer;
beforeAll(async () => {
  [collector, openai] = await Promise.all([startTestCollector(), startFakeLlmServer()]);
});
afterAll(async () => {
  await Promise.all([collector?.close(), openai?.close()]);
});

it('turns the quick start into a complete trace', async () => {
  const script = new URL('../examples/quickstart.ts', import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, OBSERVA_API_KEY: collector.apiKey, OBSERVA_ENDPOINT: collector.url, OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: openai.baseURL },
  });
  expect(stdout).toBe(TEXT_ANSWER); // the stream reached the app unchanged
  await collector.shipped();

  const list = (await (await collector.request('/api/v1/traces?session_id=session-42')).json()) as any;
  expect(list.data).toHaveLength(1);
  expect(list.data[0]).toMatchObject({ session_id: 'session-42', input_tokens: 30, output_tokens: 14, reasoning_tokens: 4, llm_call_count: 1, input_preview: 'Say hello', output_preview: TEXT_ANSWER });
  expect(list.data[0].total_cost_usd).toBeGreaterThan(0);
  const { spans } = (await (await collector.request(`/api/v1/traces/${list.data[0].trace_id}`)).json()) as any;
  expect(spans[0]).toMatchObject({
    type: 'llm', provider: 'openai', model: 'gpt-4o-mini-2024-07-18', service_name: 'quickstart',
    usage_source: 'reported', cost_source: 'computed', finish_reason: 'stop',
    input: [{ role: 'user', parts: [{ type: 'text', content: 'Say hello' }] }],
    output: [{ role: 'assistant', parts: [{ type: 'text', content: TEXT_ANSWER }] }],
  });
  expect(spans[0].time_to_first_token_ms).toBeGreaterThanOrEqual(25); // the fake server waits 25 ms before the first chunk
  expect(spans[0].time_to_first_token_ms).toBeLessThanOrEqual(spans[0].duration_ms);
});
