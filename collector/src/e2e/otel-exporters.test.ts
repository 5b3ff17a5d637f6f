/**
 * End to end: spans produced by the real OpenTelemetry SDK and sent by the real OTLP exporters
 * (JSON over exporter-trace-otlp-http, protobuf over exporter-trace-otlp-proto) are read back
 * through the JSON API with their model, tokens, session and messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { emitAgentTrace } from '../testing/agent-trace.ts';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';

let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector();
});
afterAll(async () => {
  await collector?.close();
});

describe.each([
  ['json', (url: string, key: string) => new JsonExporter({ url: `${url}/v1/traces`, headers: { authorization: `Bearer ${key}` } })],
  ['protobuf', (url: string, key: string) => new ProtoExporter({ url: `${url}/v1/traces`, headers: { 'x-observa-api-key': key } })],
])('OTLP/HTTP %s exporter', (label, makeExporter) => {
  it('delivers an agent trace that reads back through the API', async () => {
    const traceId = await emitAgentTrace(makeExporter(collector.url, collector.apiKey), label, 'e2e-test');
    await collector.shipped();

    const list = await (await collector.request(`/api/v1/traces?session_id=session-${label}`)).json() as any;
    expect(list.data).toHaveLength(1);
    const summary = list.data[0];
    expect(summary).toMatchObject({
      trace_id: traceId,
      project_id: collector.projectId,
      name: `agent ${label}`,
      span_count: 2,
      llm_call_count: 1,
      input_tokens: 120,
      output_tokens: 30,
      total_tokens: 150,
      cache_read_tokens: 100,
      session_id: `session-${label}`,
      user_id: 'user-42',
      models: ['gpt-4o-2024-08-06'],
      service_name: `svc-${label}`,
      environment: 'test',
      status: 'ok',
    });
    expect(summary.input_preview).toBe(`What is the capital of France? (${label})`);
    expect(summary.output_preview).toBe('Paris.');

    const detail = await (await collector.request(`/api/v1/traces/${traceId}`)).json() as any;
    expect(detail.trace.trace_id).toBe(traceId);
    expect(detail.spans.map((s: { name: string }) => s.name)).toEqual([`agent ${label}`, 'chat gpt-4o']);
    const chat = detail.spans[1];
    expect(chat).toMatchObject({
      type: 'llm',
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      input_tokens: 120,
      cache_read_tokens: 100,
      parent_span_id: detail.spans[0].span_id,
      tenant_id: collector.tenantId,
      status: 'ok',
      span_kind: 'client',
      scope_name: 'e2e-test',
    });
    expect(chat.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: `What is the capital of France? (${label})` }] }]);
    expect(chat.output[0]).toMatchObject({ role: 'assistant', parts: [{ type: 'text', content: 'Paris.' }] });
    expect(chat.attributes['app.custom']).toBe('kept');
    expect(chat.resource_attributes['service.name']).toBe(`svc-${label}`);

    const sessions = await (await collector.request(`/api/v1/sessions/session-${label}`)).json() as any;
    expect(sessions.session).toMatchObject({ session_id: `session-${label}`, trace_count: 1, total_tokens: 150 });
    expect(sessions.traces.map((t: { trace_id: string }) => t.trace_id)).toEqual([traceId]);
  });
});
