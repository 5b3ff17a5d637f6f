/**
 * Vercel AI SDK v5 with `experimental_telemetry` on: an outer ai.generateText (or ai.streamText) span, one
 * doGenerate/doStream span per model call with the SDK's gen_ai.* besides its ai.*, ai.toolCall spans, and
 * ai.embed for the retrieval query. Streamed calls carry the ai.stream.firstChunk / finish events.
 */
import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ChatMessage, Convention, TraceFacts } from '../convention.ts';

const SCOPE = { name: 'ai', version: '' };
const FUNCTION_ID = 'shop-assistant';

function vercelMessage(message: ChatMessage): Record<string, unknown> {
  if (message.toolCall) {
    const { id, name, arguments: args } = message.toolCall;
    return { role: 'assistant', content: [{ type: 'tool-call', toolCallId: id, toolName: name, input: JSON.parse(args) }] };
  }
  if (message.role === 'tool') return { role: 'tool', content: [{ type: 'tool-result', toolCallId: message.toolCallId, output: { type: 'text', value: message.text } }] };
  if (message.role === 'system') return { role: 'system', content: message.text };
  return { role: message.role, content: [{ type: 'text', text: message.text }] };
}

const base = (trace: TraceFacts): Attributes => ({
  'resource.name': FUNCTION_ID,
  'ai.telemetry.functionId': FUNCTION_ID,
  'ai.model.provider': `${trace.provider}.chat`,
  'ai.model.id': trace.model,
  'ai.settings.maxRetries': 2,
  'ai.telemetry.metadata.sessionId': trace.sessionId,
  'ai.telemetry.metadata.userId': trace.userId,
  'ai.telemetry.metadata.tags': trace.tags,
});

/** streamText when the app streams, generateText when it waits for whole answers. */
const operation = (stream: boolean) => (stream ? 'ai.streamText' : 'ai.generateText');

export const vercelAi: Convention = {
  name: 'vercel-ai',
  resource: resourceFromAttributes({
    'service.name': 'shop-assistant',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.version': '2.0.1',
    'cloud.provider': 'vercel',
    'cloud.region': 'iad1',
  }),
  successStatus: SpanStatusCode.OK,
  metadataPrefix: 'ai.telemetry.metadata.',

  agent: (trace) => {
    const op = operation(trace.stream);
    return {
      name: op,
      kind: SpanKind.INTERNAL,
      scope: SCOPE,
      attributes: {
        'operation.name': `${op} ${FUNCTION_ID}`,
        'ai.operationId': op,
        ...base(trace),
        'ai.prompt': JSON.stringify({ system: 'You are a shopping assistant.', prompt: trace.question }),
        'ai.response.finishReason': 'stop',
        'ai.response.text': trace.answer,
        'ai.usage.inputTokens': trace.usage.input,
        'ai.usage.outputTokens': trace.usage.output,
        'ai.usage.totalTokens': trace.usage.input + trace.usage.output,
      },
    };
  },

  llm: (trace, call) => {
    const op = `${operation(call.stream)}.${call.stream ? 'doStream' : 'doGenerate'}`;
    const attributes: Attributes = {
      'operation.name': `${op} ${FUNCTION_ID}`,
      'ai.operationId': op,
      ...base(trace),
      'ai.prompt.messages': JSON.stringify(call.messages.map(vercelMessage)),
      'ai.prompt.tools': call.tools.map((t) => JSON.stringify({ type: 'function', name: t.name, description: t.description, inputSchema: JSON.parse(t.parameters) })),
      'ai.prompt.toolChoice': '{"type":"auto"}',
      'ai.settings.temperature': call.temperature,
      'ai.settings.maxOutputTokens': call.maxTokens,
      'gen_ai.system': `${call.provider}.chat`,
      'gen_ai.request.model': call.model,
      'gen_ai.request.temperature': call.temperature,
    };
    if (!call.error) {
      Object.assign(attributes, {
        'ai.response.finishReason': call.finishReason === 'tool_calls' ? 'tool-calls' : 'stop',
        ...(call.output.toolCall
          ? { 'ai.response.toolCalls': JSON.stringify([{ toolCallType: 'function', toolCallId: call.output.toolCall.id, toolName: call.output.toolCall.name, input: call.output.toolCall.arguments }]) }
          : { 'ai.response.text': call.output.text }),
        'ai.response.id': call.responseId,
        'ai.response.model': call.responseModel,
        'ai.usage.inputTokens': call.usage.input,
        'ai.usage.outputTokens': call.usage.output,
        'ai.usage.cachedInputTokens': call.usage.cacheRead,
        'gen_ai.response.finish_reasons': [call.finishReason],
        'gen_ai.response.id': call.responseId,
        'gen_ai.usage.input_tokens': call.usage.input,
        'gen_ai.usage.output_tokens': call.usage.output,
        ...(call.stream ? { 'ai.response.msToFirstChunk': call.msToFirstToken } : {}),
      });
    }
    const events = call.stream && !call.error
      ? [
        { name: 'ai.stream.firstChunk', atMs: call.startMs + call.msToFirstToken, attributes: { 'ai.response.msToFirstChunk': call.msToFirstToken } },
        { name: 'ai.stream.finish', atMs: call.startMs + call.durationMs, attributes: {} },
      ]
      : undefined;
    return { name: op, kind: SpanKind.INTERNAL, scope: SCOPE, attributes, events };
  },

  tool: (trace, run) => ({
    name: 'ai.toolCall',
    kind: SpanKind.INTERNAL,
    scope: SCOPE,
    attributes: {
      'operation.name': `ai.toolCall ${FUNCTION_ID}`,
      'ai.operationId': 'ai.toolCall',
      'resource.name': FUNCTION_ID,
      'ai.telemetry.functionId': FUNCTION_ID,
      'ai.telemetry.metadata.sessionId': trace.sessionId,
      'ai.telemetry.metadata.userId': trace.userId,
      'ai.toolCall.name': run.call.name,
      'ai.toolCall.id': run.call.id,
      'ai.toolCall.args': run.call.arguments,
      ...(run.error ? {} : { 'ai.toolCall.result': run.result }),
    },
  }),

  retrieval: (trace, retrieval) => ({
    name: 'ai.embed',
    kind: SpanKind.INTERNAL,
    scope: SCOPE,
    attributes: {
      'operation.name': `ai.embed ${FUNCTION_ID}`,
      'ai.operationId': 'ai.embed',
      'ai.model.provider': 'openai.embedding',
      'ai.model.id': retrieval.embeddingModel,
      'ai.telemetry.functionId': FUNCTION_ID,
      'ai.telemetry.metadata.sessionId': trace.sessionId,
      'ai.telemetry.metadata.userId': trace.userId,
      'ai.value': JSON.stringify(retrieval.query),
      'ai.usage.tokens': Math.ceil(retrieval.query.length / 4),
    },
  }),
};
