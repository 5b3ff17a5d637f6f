/**
 * The drop-in path: an app with its own NodeSDK adds ObservaSpanProcessor next to its processors
 * (or createObservaExporter to its own pipeline). Both sides get the spans; the collector stores the
 * LLM work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startTestCollector, type TestCollector } from '../../collector/src/testing/test-collector.ts';
import { withSession } from './context-scopes.ts';
import { currentTraceId } from './current-trace.ts';
import { createObservaExporter } from './observa-exporter.ts';
import { ObservaSpanProcessor } from './observa-span-processor.ts';
import { observe } from './observe.ts';
import { recordGeneration } from './record-generation.ts';

let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector();
});
afterAll(async () => {
  await collector?.close();
});

const json = async (path: string) => (await collector.request(path)).json() as Promise<any>;

describe('drop-in', () => {
  it('ObservaSpanProcessor runs beside the app’s own processor in a NodeSDK', async () => {
    const theirs = new InMemorySpanExporter();
    const sdk = new NodeSDK({
      serviceName: 'drop-in-app',
      autoDetectResources: false,
      spanProcessors: [new SimpleSpanProcessor(theirs), new ObservaSpanProcessor({ apiKey: collector.apiKey, endpoint: collector.url, exportOnly: 'llm' })],
    });
    sdk.start();
    const tracer = trace.getTracer('app');

    const traceId = await withSession('sess-drop-in', () =>
      tracer.startActiveSpan('POST /ask', async (request) => {
        tracer.startSpan('SELECT users').end();
        await observe('answer', async () => {
          recordGeneration({ model: 'claude-haiku-4-5', provider: 'anthropic', input: 'Hi', output: 'Hello!', usage: { inputTokens: 5, outputTokens: 2 } });
        }, { type: 'chain' })();
        request.end();
        return currentTraceId() ?? request.spanContext().traceId;
      }),
    );
    tracer.startSpan('GET /health').end();
    const theirNames = theirs.getFinishedSpans().map((s) => s.name); // read before shutdown clears the in-memory exporter
    await sdk.shutdown();
    await collector.shipped();

    expect(theirNames.sort()).toEqual(['GET /health', 'POST /ask', 'SELECT users', 'answer', 'chat claude-haiku-4-5']);
    const detail = await json(`/api/v1/traces/${traceId}`);
    // exportOnly: 'llm' keeps the LLM span and its ancestors, not the database call.
    expect(detail.spans.map((s: any) => s.name).sort()).toEqual(['POST /ask', 'answer', 'chat claude-haiku-4-5']);
    const llm = detail.spans.find((s: any) => s.type === 'llm');
    expect(llm).toMatchObject({ provider: 'anthropic', model: 'claude-haiku-4-5', input_tokens: 5, output_tokens: 2, session_id: 'sess-drop-in', service_name: 'drop-in-app' });
    expect((await json('/api/v1/traces?session_id=sess-drop-in')).data).toHaveLength(1);
  });

  it('createObservaExporter ships spans from the app’s own processor', async () => {
    const exporter = createObservaExporter({ apiKey: collector.apiKey, endpoint: collector.url });
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const span = provider.getTracer('app').startSpan('chat gpt-4o', { attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'session.id': 'sess-exporter' } });
    span.end();
    await provider.shutdown();
    await collector.shipped();

    const detail = await json(`/api/v1/traces/${span.spanContext().traceId}`);
    expect(detail.spans[0]).toMatchObject({ type: 'llm', model: 'gpt-4o', session_id: 'sess-exporter' });
    expect(exporter.droppedSpans().export_failed).toBe(0);
  });
});
