/**
 * OpenLLMetry (Traceloop), as its Python SDK records a workflow: `traceloop.*` entity spans for the
 * workflow and its tools, and opentelemetry-instrumentation-openai's flattened gen_ai.prompt.<i>.* /
 * gen_ai.completion.<i>.* with `llm.*` usage, association properties copied onto every span.
 */
import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ChatMessage, Convention, TraceFacts } from '../convention.ts';

const SDK_SCOPE = { name: 'traceloop.sdk', version: '0.40.14' };
const LLM_SCOPE = { name: 'opentelemetry.instrumentation.openai.v1', version: '0.40.14' };
const WORKFLOW = 'plan_trip';

function flattened(prefix: string, message: ChatMessage, into: Attributes): void {
  into[`${prefix}.role`] = message.role;
  if (message.text !== '') into[`${prefix}.content`] = message.text;
  if (message.toolCall) {
    into[`${prefix}.tool_calls.0.id`] = message.toolCall.id;
    into[`${prefix}.tool_calls.0.name`] = message.toolCall.name;
    into[`${prefix}.tool_calls.0.arguments`] = message.toolCall.arguments;
  }
  if (message.toolCallId) into[`${prefix}.tool_call_id`] = message.toolCallId;
}

const association = (trace: TraceFacts): Attributes => ({
  'traceloop.workflow.name': WORKFLOW,
  'traceloop.association.properties.session_id': trace.sessionId,
  'traceloop.association.properties.user_id': trace.userId,
});

export const openLlmetry: Convention = {
  name: 'openllmetry',
  resource: resourceFromAttributes({
    'service.name': 'trip-planner',
    'service.version': '0.9.3',
    'telemetry.sdk.language': 'python',
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.version': '1.37.0',
    'process.pid': 48213,
  }),
  successStatus: SpanStatusCode.OK,
  metadataPrefix: 'traceloop.association.properties.',

  agent: (trace) => ({
    name: `${WORKFLOW}.workflow`,
    kind: SpanKind.INTERNAL,
    scope: SDK_SCOPE,
    attributes: {
      'traceloop.span.kind': 'workflow',
      'traceloop.entity.name': WORKFLOW,
      'traceloop.entity.path': '',
      'traceloop.entity.input': JSON.stringify({ args: [trace.question], kwargs: {} }),
      'traceloop.entity.output': JSON.stringify(trace.answer),
      ...association(trace),
    },
  }),

  llm: (trace, call) => {
    const attributes: Attributes = {
      'llm.request.type': 'chat',
      'gen_ai.system': call.provider,
      'gen_ai.request.model': call.model,
      'gen_ai.request.temperature': call.temperature,
      'gen_ai.request.max_tokens': call.maxTokens,
      'llm.is_streaming': call.stream,
      'llm.request.functions.0.name': call.tools[0].name,
      'llm.request.functions.0.description': call.tools[0].description,
      'llm.request.functions.0.parameters': call.tools[0].parameters,
      'traceloop.entity.path': WORKFLOW,
      ...association(trace),
    };
    call.messages.forEach((message, i) => flattened(`gen_ai.prompt.${i}`, message, attributes));
    if (!call.error) {
      attributes['gen_ai.response.model'] = call.responseModel;
      attributes['gen_ai.response.id'] = call.responseId;
      attributes['llm.usage.total_tokens'] = call.usage.input + call.usage.output;
      attributes['gen_ai.usage.prompt_tokens'] = call.usage.input;
      attributes['gen_ai.usage.completion_tokens'] = call.usage.output;
      attributes['gen_ai.usage.cache_read_input_tokens'] = call.usage.cacheRead;
      attributes['gen_ai.completion.0.finish_reason'] = call.finishReason;
      flattened('gen_ai.completion.0', call.output, attributes);
    }
    return { name: `${call.provider}.chat`, kind: SpanKind.CLIENT, scope: LLM_SCOPE, attributes };
  },

  tool: (trace, run) => ({
    name: `${run.call.name}.tool`,
    kind: SpanKind.INTERNAL,
    scope: SDK_SCOPE,
    attributes: {
      'traceloop.span.kind': 'tool',
      'traceloop.entity.name': run.call.name,
      'traceloop.entity.path': WORKFLOW,
      'traceloop.entity.input': JSON.stringify({ args: [], kwargs: JSON.parse(run.call.arguments) }),
      ...(run.error ? {} : { 'traceloop.entity.output': run.result }),
      ...association(trace),
    },
  }),

  retrieval: (trace, retrieval) => ({
    name: 'retrieve_documents.task',
    kind: SpanKind.INTERNAL,
    scope: SDK_SCOPE,
    attributes: {
      'traceloop.span.kind': 'task',
      'traceloop.entity.name': 'retrieve_documents',
      'traceloop.entity.path': WORKFLOW,
      'traceloop.entity.input': JSON.stringify({ args: [retrieval.query], kwargs: { k: retrieval.documents.length } }),
      'traceloop.entity.output': JSON.stringify(retrieval.documents.map((d) => ({ page_content: d.content, metadata: { source: d.source, id: d.id } }))),
      ...association(trace),
    },
  }),
};
