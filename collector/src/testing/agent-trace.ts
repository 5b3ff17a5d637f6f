/**
 * One agent trace from the real OpenTelemetry SDK, for the e2e tests of each transport (OTLP/HTTP JSON and
 * protobuf, OTLP/gRPC): a root `agent <label>` span (session `session-<label>`, user `user-42`) and a
 * `chat gpt-4o` CLIENT child with GenAI attributes: openai, gpt-4o-2024-08-06, 120 input tokens of which
 * 100 cache reads, 30 output tokens, one user message "What is the capital of France? (<label>)", the
 * answer "Paris." (finish_reason stop), status OK, and `app.custom: 'kept'`. Resource: service
 * `svc-<label>`, environment `test`.
 */
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Sends the trace through `exporter` (each span exported as it ends), scope `scopeName` 1.0.0; returns its trace id. */
export async function emitAgentTrace(exporter: SpanExporter, label: string, scopeName: string): Promise<string> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `svc-${label}`, 'deployment.environment.name': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer(scopeName, '1.0.0');
  const root = tracer.startSpan(`agent ${label}`, { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'session.id': `session-${label}`, 'user.id': 'user-42' } });
  const chat = tracer.startSpan(
    'chat gpt-4o',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.response.model': 'gpt-4o-2024-08-06',
        'gen_ai.usage.input_tokens': 120,
        'gen_ai.usage.output_tokens': 30,
        'gen_ai.usage.cache_read.input_tokens': 100,
        'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `What is the capital of France? (${label})` }] }]),
        'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Paris.' }], finish_reason: 'stop' }]),
        'app.custom': 'kept',
      },
    },
    trace.setSpan(context.active(), root),
  );
  chat.setStatus({ code: SpanStatusCode.OK });
  chat.end();
  root.end();
  await provider.forceFlush();
  await provider.shutdown();
  return root.spanContext().traceId;
}
