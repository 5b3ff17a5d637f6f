/**
 * End to end against a real collector (PGlite + chDB): spans from init(), the helpers and
 * recordGeneration read back through the JSON API; score() lands in the scores API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../../collector/src/testing/test-collector.ts';
import { withMetadata, withSession, withTags, withUser } from './context-scopes.ts';
import { currentTraceId } from './current-trace.ts';
import { init } from './init.ts';
import { observe } from './observe.ts';
import { recordGeneration } from './record-generation.ts';
import { score } from './score.ts';
import type { ObservaHandle, SpanRef } from './types.ts';

let collector: TestCollector;
let handle: ObservaHandle;
beforeAll(async () => {
  collector = await startTestCollector();
  handle = init({ endpoint: collector.url, apiKey: collector.apiKey, serviceName: 'sdk-e2e', environment: 'test', release: '0.1.0' });
});
afterAll(async () => {
  await handle?.shutdown();
  await collector?.close();
});

const json = async (path: string) => (await collector.request(path)).json() as Promise<any>;

describe('@observa/sdk against a real collector', () => {
  let traceId: string;
  let generation: SpanRef;

  it('delivers an observed agent with a generation, its session, user, tags and metadata', async () => {
    const agent = observe('support agent', async (question: string) => {
      traceId = currentTraceId()!;
      generation = recordGeneration({
        model: 'gpt-4o-mini',
        provider: 'openai',
        input: [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content: question }],
        output: 'Paris.',
        finishReason: 'stop',
        usage: { inputTokens: 42, outputTokens: 3, cacheReadTokens: 10 },
        timeToFirstTokenMs: 120,
      });
      return 'Paris.';
    }, { type: 'agent' });

    const answer = await withSession('sess-e2e', () => withUser('user-7', () => withTags(['e2e', 'sdk'], () => withMetadata({ plan: 'pro' }, () => agent('What is the capital of France?')))));
    expect(answer).toBe('Paris.');
    await handle.flush();
    await collector.shipped();

    const list = await json('/api/v1/traces?session_id=sess-e2e');
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({
      trace_id: traceId,
      name: 'support agent',
      session_id: 'sess-e2e',
      user_id: 'user-7',
      models: ['gpt-4o-mini'],
      span_count: 2,
      llm_call_count: 1,
      input_tokens: 42,
      output_tokens: 3,
      total_tokens: 45,
      service_name: 'sdk-e2e',
      environment: 'test',
      status: 'unset', // observe() leaves success UNSET, as OTel asks of instrumentation
    });
    expect(list.data[0].tags).toEqual(['e2e', 'sdk']);

    const detail = await json(`/api/v1/traces/${traceId}`);
    const byName = Object.fromEntries(detail.spans.map((span: any) => [span.name, span]));
    const llm = byName['chat gpt-4o-mini'];
    expect(llm).toMatchObject({
      type: 'llm',
      span_id: generation.spanId,
      parent_span_id: byName['support agent'].span_id,
      provider: 'openai',
      model: 'gpt-4o-mini',
      input_tokens: 42,
      output_tokens: 3,
      cache_read_tokens: 10,
      time_to_first_token_ms: 120,
      finish_reason: 'stop',
      session_id: 'sess-e2e',
      user_id: 'user-7',
      service_name: 'sdk-e2e',
    });
    expect(llm.input).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'Answer briefly.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'What is the capital of France?' }] },
    ]);
    expect(llm.output[0]).toMatchObject({ role: 'assistant', parts: [{ type: 'text', content: 'Paris.' }] });
    // Mapped by the collector's `observa` dialect (observa.span.type, observa.tags, observa.metadata.*, observa.input/output).
    expect(byName['support agent']).toMatchObject({ type: 'agent', tags: ['e2e', 'sdk'], metadata: { plan: 'pro' } });
    expect(byName['support agent'].input[0].parts[0].content).toBe('What is the capital of France?');
  });

  it('sends scores, and rejects with the status and message when the collector refuses one', async () => {
    await score({ traceId, spanId: generation.spanId, name: 'helpfulness', value: 0.9, comment: 'right answer' });
    const scores = await json(`/api/v1/scores?trace_id=${traceId}`);
    expect(scores.data).toEqual([expect.objectContaining({ trace_id: traceId, span_id: generation.spanId, name: 'helpfulness', value: 0.9, comment: 'right answer', source: 'sdk' })]);

    await expect(score({ traceId: 'not-a-trace-id', name: 'x', value: 1 })).rejects.toThrow('Observa score failed: 400 trace_id must be 32 hex characters');
    await expect(score({ traceId, name: 'x', value: 1 }, { endpoint: collector.url, apiKey: 'wrong' })).rejects.toThrow(/Observa score failed: 401/);
  });
});
