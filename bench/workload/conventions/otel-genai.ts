/**
 * OTel GenAI semantic conventions >= 1.37 (gen_ai.input.messages / output.messages as JSON parts), as a
 * Node agent framework and @opentelemetry/instrumentation-openai record them with content capture on.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ChatMessage, Convention } from '../convention.ts';

const AGENT_SCOPE = { name: '@openai/agents-openai', version: '0.1.0' };
const LLM_SCOPE = { name: '@opentelemetry/instrumentation-openai', version: '0.3.0' };

/** gen_ai.input.messages parts: text, tool_call and tool_call_response. */
function genAiMessage(message: ChatMessage): Record<string, unknown> {
  if (message.toolCall) {
    const { id, name, arguments: args } = message.toolCall;
    return { role: 'assistant', parts: [{ type: 'text', content: message.text }, { type: 'tool_call', id, name, arguments: JSON.parse(args) }] };
  }
  if (message.role === 'tool') return { role: 'tool', parts: [{ type: 'tool_call_response', id: message.toolCallId, response: message.text }] };
  return { role: message.role, parts: [{ type: 'text', content: message.text }] };
}

export const otelGenAi: Convention = {
  name: 'otel-genai',
  resource: resourceFromAttributes({
    'service.name': 'travel-agent',
    'service.version': '1.4.2',
    'deployment.environment.name': 'production',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.version': '2.1.0',
    'host.name': 'agent-7f9c4d-xk2lp',
    'process.runtime.version': '22.11.0',
  }),
  successStatus: SpanStatusCode.UNSET,
  metadataPrefix: 'app.',

  agent: (trace) => ({
    name: `invoke_agent ${trace.agentName}`,
    kind: SpanKind.INTERNAL,
    scope: AGENT_SCOPE,
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.provider.name': trace.provider,
      'gen_ai.agent.name': trace.agentName,
      'gen_ai.agent.id': `asst_${trace.agentName}`,
      'gen_ai.agent.description': `Answers ${trace.app} questions with tools`,
      'gen_ai.request.model': trace.model,
      'gen_ai.conversation.id': trace.conversationId,
      'gen_ai.usage.input_tokens': trace.usage.input,
      'gen_ai.usage.output_tokens': trace.usage.output,
      'session.id': trace.sessionId,
      'user.id': trace.userId,
    },
  }),

  llm: (trace, call) => {
    const [system, ...messages] = call.messages;
    const attributes: Record<string, string | number | boolean | string[]> = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': call.provider,
      'gen_ai.request.model': call.model,
      'gen_ai.request.temperature': call.temperature,
      'gen_ai.request.max_tokens': call.maxTokens,
      'gen_ai.output.type': 'text',
      'gen_ai.conversation.id': trace.conversationId,
      'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: system.text }]),
      'gen_ai.input.messages': JSON.stringify(messages.map(genAiMessage)),
      'gen_ai.tool.definitions': JSON.stringify(call.tools.map((t) => ({ type: 'function', name: t.name, description: t.description, parameters: JSON.parse(t.parameters) }))),
      'server.address': call.provider === 'openai' ? 'api.openai.com' : 'api.anthropic.com',
      'server.port': 443,
      'session.id': trace.sessionId,
      'user.id': trace.userId,
    };
    if (call.error) {
      attributes['error.type'] = call.error.type;
      attributes['http.response.status_code'] = 429;
    } else {
      Object.assign(attributes, {
        'gen_ai.response.id': call.responseId,
        'gen_ai.response.model': call.responseModel,
        'gen_ai.response.finish_reasons': [call.finishReason],
        'gen_ai.usage.input_tokens': call.usage.input,
        'gen_ai.usage.output_tokens': call.usage.output,
        'gen_ai.usage.cache_read.input_tokens': call.usage.cacheRead,
        'gen_ai.output.messages': JSON.stringify([{ ...genAiMessage(call.output), finish_reason: call.finishReason }]),
      });
    }
    return { name: `chat ${call.model}`, kind: SpanKind.CLIENT, scope: LLM_SCOPE, attributes };
  },

  tool: (trace, run) => ({
    name: `execute_tool ${run.call.name}`,
    kind: SpanKind.INTERNAL,
    scope: AGENT_SCOPE,
    attributes: {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': run.call.name,
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.description': run.definition.description,
      'gen_ai.tool.call.id': run.call.id,
      'gen_ai.tool.call.arguments': run.call.arguments,
      ...(run.error ? { 'error.type': run.error.type } : { 'gen_ai.tool.call.result': run.result }),
      'session.id': trace.sessionId,
      'user.id': trace.userId,
    },
  }),

  retrieval: (trace, retrieval) => ({
    name: `embeddings ${retrieval.embeddingModel}`,
    kind: SpanKind.CLIENT,
    scope: LLM_SCOPE,
    attributes: {
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': retrieval.embeddingModel,
      'gen_ai.response.model': retrieval.embeddingModel,
      'gen_ai.embeddings.dimension.count': 1536,
      'gen_ai.request.encoding_formats': ['float'],
      'gen_ai.usage.input_tokens': Math.ceil(retrieval.query.length / 4),
      'server.address': 'api.openai.com',
      'server.port': 443,
      'session.id': trace.sessionId,
      'user.id': trace.userId,
    },
  }),
};
