/**
 * End to end with a real GenAI instrumentation that sends prompts and completions as OTLP log events:
 * `@opentelemetry/instrumentation-openai` (OpenTelemetry contrib, semconv 1.28-1.36 events such as
 * `gen_ai.user.message` and `gen_ai.choice`, named by the `event.name` attribute) around the real `openai`
 * client, calling a local stand-in for the OpenAI API (chat completions and the Responses API, whose
 * messages come as `gen_ai.client.inference.operation.details` events). Spans go out through the OTLP/HTTP protobuf
 * exporter, log records through the OTLP/HTTP JSON log exporter; the collector joins them, so the chat
 * span reads back with its messages, usage and cost.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { metrics } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { MODEL_SNAPSHOTS, TEXT_ANSWER, USAGE } from '../../../fixtures/fake-llm-server.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../../sdk/src/instrumentation/testing/fake-openai-server.ts';
import { RESPONSES_TEXT, RESPONSES_USAGE } from '../../../sdk/src/instrumentation/testing/fake-responses-api.ts';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';

let collector: TestCollector;
let llm: FakeOpenAIServer;
let traces: BasicTracerProvider;
let logs: LoggerProvider;
let instrumentation: OpenAIInstrumentation;
/** Trace ids of the spans the instrumentation ended, in order. */
const ended: string[] = [];

beforeAll(async () => {
  collector = await startTestCollector({ env: { OBSERVA_LOG_JOIN_POLL_MS: '50' } });
  llm = await startFakeOpenAIServer();
  const headers = { authorization: `Bearer ${collector.apiKey}` };
  const resource = resourceFromAttributes({ 'service.name': 'openai-events-app' });
  const recordEnded = { onStart() {}, onEnd: (span: ReadableSpan) => ended.push(span.spanContext().traceId), forceFlush: async () => {}, shutdown: async () => {} };
  traces = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${collector.url}/v1/traces`, headers })), recordEnded] });
  logs = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${collector.url}/v1/logs`, headers }) })] });
  instrumentation = new OpenAIInstrumentation({ captureMessageContent: true });
  instrumentation.setTracerProvider(traces);
  instrumentation.setLoggerProvider(logs);
  // As registerInstrumentations does: the Responses API path records metrics and fails without a meter.
  instrumentation.setMeterProvider(metrics.getMeterProvider());
  instrumentation.enable();
});
afterAll(async () => {
  instrumentation?.disable();
  await Promise.all([traces?.shutdown(), logs?.shutdown()]);
  await llm?.close();
  await collector?.close();
});

/** The instrumentation patches `openai` as it is required (require-in-the-middle does not see ESM imports). */
function openaiClient() {
  const { OpenAI } = createRequire(import.meta.url)('openai') as typeof import('openai');
  return new OpenAI({ baseURL: llm.baseURL, apiKey: 'sk-test' });
}

/** The last call's trace once its chat span reads back with an output (its log events joined). */
async function completedChat(): Promise<any> {
  await Promise.all([traces.forceFlush(), logs.forceFlush()]);
  const traceId = ended.at(-1)!;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const response = await collector.request(`/api/v1/traces/${traceId}`);
    const detail: any = response.status === 200 ? await response.json() : null;
    if (detail?.spans?.[0]?.output) return detail;
    if (Date.now() > deadline) throw new Error(`the chat span was not completed by its log events: ${JSON.stringify(detail?.spans?.[0] ?? response.status)}`);
    await collector.shipped();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('joins the instrumentation log events to its chat span: messages, usage and cost', async () => {
  await openaiClient().chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You answer in one sentence.' },
      { role: 'user', content: 'What does a collector do?' },
    ],
  });
  const detail = await completedChat();
  expect(detail.spans).toHaveLength(1);
  const chat = detail.spans[0];
  expect(chat).toMatchObject({
    type: 'llm', provider: 'openai', model: MODEL_SNAPSHOTS['gpt-4o-mini'], service_name: 'openai-events-app',
    input_tokens: USAGE.text.prompt, output_tokens: USAGE.text.completion, usage_source: 'reported', finish_reason: 'stop',
  });
  expect(chat.cost_usd).toBeGreaterThan(0);
  expect(chat.input).toEqual([
    { role: 'system', parts: [{ type: 'text', content: 'You answer in one sentence.' }] },
    { role: 'user', parts: [{ type: 'text', content: 'What does a collector do?' }] },
  ]);
  expect(chat.output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: TEXT_ANSWER }], finish_reason: 'stop' }]);
  expect(chat.events.map((e: { name: string }) => e.name)).toEqual(['gen_ai.system.message', 'gen_ai.user.message', 'gen_ai.choice']);
  expect(chat.attributes['observa.from_logs']).toEqual(['input', 'output']); // the finish reason is on the span itself
  expect(detail.trace).toMatchObject({ input_preview: 'What does a collector do?', output_preview: TEXT_ANSWER, input_tokens: USAGE.text.prompt });
});

it('carries a tool round trip: the tool call chosen, then the assistant call and the tool result as input', async () => {
  const client = openaiClient();
  const tools = [{
    type: 'function' as const,
    function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  }];
  const question = { role: 'user' as const, content: 'Weather in Paris?' };
  const first = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [question], tools });
  const call = first.choices[0].message.tool_calls![0] as { id: string; function: { name: string; arguments: string } };
  const choosing = (await completedChat()).spans[0];
  expect(choosing.finish_reason).toBe('tool_calls');
  expect(choosing.output).toEqual([{
    role: 'assistant', finish_reason: 'tool_calls',
    parts: [{ type: 'tool_call', id: call.id, name: 'get_weather', arguments: JSON.parse(call.function.arguments) }],
  }]);

  await client.chat.completions.create({
    model: 'gpt-4o-mini', tools,
    messages: [question, first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: 'Sunny, 21 C' }],
  });
  const answering = (await completedChat()).spans[0];
  expect(answering.input).toEqual([
    { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
    { role: 'assistant', parts: [{ type: 'tool_call', id: call.id, name: 'get_weather', arguments: JSON.parse(call.function.arguments) }] },
    { role: 'tool', parts: [{ type: 'tool_call_response', id: call.id, response: 'Sunny, 21 C' }] },
  ]);
  expect(answering.output[0].parts[0].content).toContain('Sunny, 21 C');
});

it('completes a Responses API span from its two gen_ai.client.inference.operation.details events', async () => {
  await openaiClient().responses.create({ model: 'gpt-4o-mini', input: 'Say hello.' });
  const chat = (await completedChat()).spans[0];
  expect(chat).toMatchObject({ type: 'llm', provider: 'openai', input_tokens: RESPONSES_USAGE.text.input, output_tokens: RESPONSES_USAGE.text.output });
  expect(chat.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Say hello.' }] }]);
  expect(chat.output[0]).toMatchObject({ role: 'assistant', parts: [{ type: 'text', content: RESPONSES_TEXT }] });
  expect(chat.events.map((e: { name: string }) => e.name)).toEqual(['gen_ai.client.inference.operation.details', 'gen_ai.client.inference.operation.details']);
});
