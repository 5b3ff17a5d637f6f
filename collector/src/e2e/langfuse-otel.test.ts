/**
 * End to end: an app instrumented with the Langfuse JS SDK (`@langfuse/tracing` observations,
 * exported by `@langfuse/otel`'s LangfuseSpanProcessor, as its README sets them up) sends to Observa
 * with nothing changed but LANGFUSE_BASE_URL and the keys: public key = the project id, secret key =
 * an API key with `ingest`. The generation reads back as a complete canonical event; a wrong secret
 * key or a mixed-up pair reach the SDK as 401s whose message says what is wrong.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { context, propagation, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { propagateAttributes, startActiveObservation, startObservation } from '@langfuse/tracing';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';

let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector();
});
afterAll(async () => {
  await collector?.close();
});

const LANGFUSE_ENV = ['LANGFUSE_BASE_URL', 'LANGFUSE_PUBLIC_KEY', 'LANGFUSE_SECRET_KEY'] as const;
afterEach(() => {
  for (const name of LANGFUSE_ENV) delete process.env[name];
});

/** What the exporter reported when the app flushed: null, or its OTLPExporterError (HTTP status and response body). */
type ExportFailure = { code?: number; data?: string } | null;

/**
 * The app: the Langfuse README's setup (a NodeTracerProvider with the processor, registered as the
 * global provider), then a request observation with user and session propagated and one generation
 * inside it, then a flush as the README asks of short-lived processes. The globals are released after,
 * so the next test registers its own processor.
 */
async function runInstrumentedApp(processor: LangfuseSpanProcessor, label: string): Promise<{ traceId: string; exportFailure: ExportFailure }> {
  const provider = new NodeTracerProvider({ spanProcessors: [processor] });
  provider.register();
  let traceId = '';
  await startActiveObservation(`handle-question ${label}`, async (request) => {
    traceId = request.traceId;
    await propagateAttributes({ userId: 'user-langfuse-1', sessionId: `session-${label}` }, async () => {
      request.update({ input: { question: 'What is the capital of France?' } });
      const generation = startObservation(
        'llm-call',
        { model: 'gpt-4o-mini', modelParameters: { temperature: 0 }, input: [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content: 'What is the capital of France?' }] },
        { asType: 'generation' },
      );
      generation.update({ output: { role: 'assistant', content: 'Paris.' }, usageDetails: { input: 1000, output: 500 } }).end();
      request.update({ output: { answer: 'Paris.' } });
    });
  });
  const exportFailure = await processor.forceFlush().then(() => null, (err: ExportFailure) => err);
  await provider.shutdown().catch(() => {});
  trace.disable();
  context.disable();
  propagation.disable();
  return { traceId, exportFailure };
}

describe('the Langfuse JS SDK pointed at Observa', () => {
  it('delivers a generation that reads back as a complete canonical event', async () => {
    // Configured only through the SDK's own environment variables, as an app would be.
    process.env.LANGFUSE_BASE_URL = collector.url;
    process.env.LANGFUSE_PUBLIC_KEY = collector.projectId;
    process.env.LANGFUSE_SECRET_KEY = collector.apiKey;
    const { traceId, exportFailure } = await runInstrumentedApp(new LangfuseSpanProcessor(), 'ok');
    expect(exportFailure).toBeNull();
    await collector.shipped();

    const detail = await (await collector.request(`/api/v1/traces/${traceId}`)).json() as any;
    expect(detail.trace).toMatchObject({
      trace_id: traceId,
      project_id: collector.projectId,
      name: 'handle-question ok',
      span_count: 2,
      llm_call_count: 1,
      input_tokens: 1000,
      output_tokens: 500,
      total_tokens: 1500,
      session_id: 'session-ok',
      user_id: 'user-langfuse-1',
      models: ['gpt-4o-mini'],
    });
    expect(detail.trace.total_cost_usd).toBeCloseTo(1000 * 0.15e-6 + 500 * 0.6e-6, 12);

    const [request, generation] = detail.spans;
    expect(request.name).toBe('handle-question ok');
    expect(generation).toMatchObject({
      name: 'llm-call',
      type: 'llm',
      model: 'gpt-4o-mini',
      input_tokens: 1000,
      output_tokens: 500,
      total_tokens: 1500,
      usage_source: 'reported',
      cost_source: 'computed',
      session_id: 'session-ok',
      user_id: 'user-langfuse-1',
      parent_span_id: request.span_id,
      tenant_id: collector.tenantId,
      project_id: collector.projectId,
      scope_name: 'langfuse-sdk',
    });
    expect(generation.cost_usd).toBeCloseTo(0.00045, 12);
    expect(generation.input).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'Answer briefly.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'What is the capital of France?' }] },
    ]);
    expect(generation.output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Paris.' }] }]);
    expect(request.session_id).toBe('session-ok');
  });

  it('reports a wrong secret key to the app as a 401, and stores nothing', async () => {
    const processor = new LangfuseSpanProcessor({ baseUrl: collector.url, publicKey: collector.projectId, secretKey: 'sk-lf-0000-not-observa', exportMode: 'immediate' });
    const { traceId, exportFailure } = await runInstrumentedApp(processor, 'wrong-secret');
    expect(exportFailure?.code).toBe(401);
    expect(JSON.parse(exportFailure?.data ?? '{}')).toEqual({ code: 16, message: 'API key is not valid' });
    expect((await collector.request(`/api/v1/traces/${traceId}`)).status).toBe(404);
  });

  it('reports a public key that is not the key\'s project as a 401 naming the key\'s project', async () => {
    const processor = new LangfuseSpanProcessor({ baseUrl: collector.url, publicKey: 'pk-lf-from-langfuse-cloud', secretKey: collector.apiKey, exportMode: 'immediate' });
    const { traceId, exportFailure } = await runInstrumentedApp(processor, 'mixed-up');
    expect(exportFailure?.code).toBe(401);
    expect(JSON.parse(exportFailure?.data ?? '{}').message).toBe(
      `public key "pk-lf-from-langfuse-cloud" does not match the secret key: that API key belongs to project ${collector.projectId}; set the public key (LANGFUSE_PUBLIC_KEY) to ${collector.projectId}`,
    );
    expect((await collector.request(`/api/v1/traces/${traceId}`)).status).toBe(404);
  });
});
