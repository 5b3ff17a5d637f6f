/**
 * `@anthropic-ai/sdk` 1.x traces its own calls (`anthropic.messages.create` spans, with no input
 * tokens) when the client has a tracer provider. Wrapped, each call must give exactly one complete
 * GenAI span (ours), and the stream the app reads is still complete.
 */
import Anthropic from '@anthropic-ai/sdk';
import { context, SpanKind } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GEN_AI } from '../../semconv.ts';
import { ANTHROPIC_TEXT, MODEL, startFakeAnthropicServer, type FakeAnthropicServer } from '../testing/fake-anthropic-server.ts';
import { collect, spanHarness } from '../testing/span-harness.ts';
import { wrapAnthropic } from './wrap-anthropic.ts';

describe('wrapAnthropic with the SDK’s own OpenTelemetry spans on', () => {
  const harness = spanHarness();
  const contextManager = new AsyncLocalStorageContextManager();
  let fake: FakeAnthropicServer;

  beforeAll(async () => {
    context.setGlobalContextManager(contextManager.enable());
    fake = await startFakeAnthropicServer();
  });
  afterAll(async () => {
    context.disable();
    await fake.close();
  });

  it('replaces the SDK span with the wrapper span, for JSON and streamed calls', async () => {
    const client = new Anthropic({ apiKey: 'k', baseURL: fake.url, maxRetries: 0, openTelemetry: { tracerProvider: harness.provider } });
    const traced = wrapAnthropic(client, { tracerProvider: harness.provider });
    const params = { model: MODEL, max_tokens: 64, messages: [{ role: 'user' as const, content: 'Bonjour?' }] };

    await traced.messages.create(params);
    const events = await collect(await traced.messages.create({ ...params, stream: true }));
    expect(events.filter((e) => e.type === 'content_block_delta').map((e) => (e.delta.type === 'text_delta' ? e.delta.text : '')).join('')).toBe(ANTHROPIC_TEXT);

    const spans = await harness.waitForSpans(2);
    await new Promise((resolve) => setTimeout(resolve, 50)); // a late SDK span would show up here
    expect(harness.spans().map((s) => s.instrumentationScope.name)).toEqual(['@observa/sdk', '@observa/sdk']);
    expect(spans.every((s) => s.kind === SpanKind.CLIENT && (s.attributes[GEN_AI.USAGE_INPUT_TOKENS] as number) > 0)).toBe(true);
    expect(spans[1].attributes[GEN_AI.RESPONSE_FINISH_REASONS]).toEqual(['end_turn']);

    // The app's own client is untouched: unwrapped, it still traces itself.
    await client.messages.create(params);
    expect((await harness.waitForSpans(3)).some((s) => s.name === 'anthropic.messages.create')).toBe(true);
  });
});
