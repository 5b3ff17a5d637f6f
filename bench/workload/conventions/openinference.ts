/**
 * Arize OpenInference, as openinference-instrumentation-langchain and -openai record a Python agent:
 * `openinference.span.kind`, the whole request and response in input.value / output.value, and the
 * messages flattened again under llm.input_messages.<i>.message.*.
 */
import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { openAiMessage, openAiTool, type ChatMessage, type Convention, type TraceFacts } from '../convention.ts';

const CHAIN_SCOPE = { name: 'openinference.instrumentation.langchain', version: '0.1.43' };
const LLM_SCOPE = { name: 'openinference.instrumentation.openai', version: '0.1.30' };

function flattened(prefix: string, message: ChatMessage, into: Attributes): void {
  into[`${prefix}.message.role`] = message.role;
  if (message.text !== '') into[`${prefix}.message.content`] = message.text;
  if (message.toolCall) {
    into[`${prefix}.message.tool_calls.0.tool_call.id`] = message.toolCall.id;
    into[`${prefix}.message.tool_calls.0.tool_call.function.name`] = message.toolCall.name;
    into[`${prefix}.message.tool_calls.0.tool_call.function.arguments`] = message.toolCall.arguments;
  }
  if (message.toolCallId) into[`${prefix}.message.tool_call_id`] = message.toolCallId;
}

const common = (trace: TraceFacts): Attributes => ({
  'session.id': trace.sessionId,
  'user.id': trace.userId,
  'metadata': JSON.stringify({ thread_id: trace.conversationId, app: trace.app, ls_run_depth: 1 }),
  'tag.tags': trace.tags,
});

export const openInference: Convention = {
  name: 'openinference',
  resource: resourceFromAttributes({
    'service.name': 'support-rag',
    'service.version': '2.0.1',
    'deployment.environment': 'prod',
    'telemetry.sdk.language': 'python',
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.version': '1.37.0',
    'openinference.project.name': 'support-rag',
  }),
  successStatus: SpanStatusCode.OK,
  metadataPrefix: 'app.',

  agent: (trace) => ({
    name: 'AgentExecutor',
    kind: SpanKind.INTERNAL,
    scope: CHAIN_SCOPE,
    attributes: {
      'openinference.span.kind': 'AGENT',
      'input.value': JSON.stringify({ input: trace.question, chat_history: [] }),
      'input.mime_type': 'application/json',
      'output.value': JSON.stringify({ output: trace.answer }),
      'output.mime_type': 'application/json',
      'agent.name': trace.agentName,
      ...common(trace),
    },
  }),

  llm: (trace, call) => {
    const request = { model: call.model, temperature: call.temperature, max_tokens: call.maxTokens, stream: call.stream, tools: call.tools.map(openAiTool), messages: call.messages.map(openAiMessage) };
    const attributes: Attributes = {
      'openinference.span.kind': 'LLM',
      'llm.system': call.provider,
      'llm.provider': call.provider,
      'llm.model_name': call.error ? call.model : call.responseModel,
      'llm.invocation_parameters': JSON.stringify({ model: call.model, temperature: call.temperature, max_tokens: call.maxTokens }),
      'input.value': JSON.stringify(request),
      'input.mime_type': 'application/json',
      'llm.tools.0.tool.json_schema': JSON.stringify(openAiTool(call.tools[0])),
      ...common(trace),
    };
    call.messages.forEach((message, i) => flattened(`llm.input_messages.${i}`, message, attributes));
    if (!call.error) {
      const response = {
        id: call.responseId,
        object: 'chat.completion',
        model: call.responseModel,
        choices: [{ index: 0, finish_reason: call.finishReason, message: openAiMessage(call.output) }],
        usage: { prompt_tokens: call.usage.input, completion_tokens: call.usage.output, total_tokens: call.usage.input + call.usage.output, prompt_tokens_details: { cached_tokens: call.usage.cacheRead } },
      };
      attributes['output.value'] = JSON.stringify(response);
      attributes['output.mime_type'] = 'application/json';
      flattened('llm.output_messages.0', call.output, attributes);
      attributes['llm.token_count.prompt'] = call.usage.input;
      attributes['llm.token_count.completion'] = call.usage.output;
      attributes['llm.token_count.total'] = call.usage.input + call.usage.output;
      attributes['llm.token_count.prompt_details.cache_read'] = call.usage.cacheRead;
    }
    return { name: 'ChatOpenAI', kind: SpanKind.INTERNAL, scope: LLM_SCOPE, attributes };
  },

  tool: (trace, run) => ({
    name: run.call.name,
    kind: SpanKind.INTERNAL,
    scope: CHAIN_SCOPE,
    attributes: {
      'openinference.span.kind': 'TOOL',
      'tool.name': run.call.name,
      'tool.id': run.call.id,
      'tool.description': run.definition.description,
      'tool.parameters': run.definition.parameters,
      'input.value': run.call.arguments,
      'input.mime_type': 'application/json',
      ...(run.error ? {} : { 'output.value': run.result, 'output.mime_type': 'application/json' }),
      ...common(trace),
    },
  }),

  retrieval: (trace, retrieval) => {
    const attributes: Attributes = { 'openinference.span.kind': 'RETRIEVER', 'input.value': retrieval.query, ...common(trace) };
    retrieval.documents.forEach((doc, i) => {
      attributes[`retrieval.documents.${i}.document.id`] = doc.id;
      attributes[`retrieval.documents.${i}.document.content`] = doc.content;
      attributes[`retrieval.documents.${i}.document.score`] = doc.score;
      attributes[`retrieval.documents.${i}.document.metadata`] = JSON.stringify({ source: doc.source });
    });
    return { name: 'VectorStoreRetriever', kind: SpanKind.INTERNAL, scope: CHAIN_SCOPE, attributes };
  },
};
