/**
 * The Langfuse JS SDK v4 (`startActiveObservation` with `asType`, inside `propagateAttributes`): every
 * observation states its type, input and output as JSON under langfuse.observation.*, generations their
 * model, usage and cost; the root also carries the trace's name, tags, input and output.
 */
import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { costOf, openAiMessage, type Convention, type TraceFacts } from '../convention.ts';

const SCOPE = { name: 'langfuse-sdk', version: '4.2.0' };

const propagated = (trace: TraceFacts): Attributes => ({
  'session.id': trace.sessionId,
  'user.id': trace.userId,
  'langfuse.environment': 'production',
  'langfuse.release': 'r-2026-05-28',
});

export const langfuse: Convention = {
  name: 'langfuse',
  resource: resourceFromAttributes({
    'service.name': 'support-bot',
    'service.version': '3.1.0',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.version': '2.0.1',
  }),
  successStatus: SpanStatusCode.UNSET,
  metadataPrefix: 'langfuse.observation.metadata.',

  agent: (trace) => ({
    name: trace.agentName,
    kind: SpanKind.INTERNAL,
    scope: SCOPE,
    attributes: {
      'langfuse.observation.type': 'agent',
      'langfuse.observation.input': JSON.stringify({ question: trace.question }),
      'langfuse.observation.output': JSON.stringify({ answer: trace.answer }),
      'langfuse.trace.name': trace.agentName,
      'langfuse.trace.tags': trace.tags,
      'langfuse.trace.input': JSON.stringify(trace.question),
      'langfuse.trace.output': JSON.stringify(trace.answer),
      ...propagated(trace),
    },
  }),

  llm: (trace, call) => {
    const attributes: Attributes = {
      'langfuse.observation.type': 'generation',
      'langfuse.observation.model.name': call.model,
      'langfuse.observation.model.parameters': JSON.stringify({ temperature: call.temperature, max_tokens: call.maxTokens }),
      'langfuse.observation.input': JSON.stringify(call.messages.map(openAiMessage)),
      'langfuse.observation.prompt.name': `${trace.agentName}-system`,
      'langfuse.observation.prompt.version': 3,
      ...propagated(trace),
    };
    if (call.error) {
      attributes['langfuse.observation.level'] = 'ERROR';
      attributes['langfuse.observation.status_message'] = call.error.message;
    } else {
      const { input, output, cacheRead } = call.usage;
      attributes['langfuse.observation.output'] = JSON.stringify(openAiMessage(call.output));
      attributes['langfuse.observation.usage_details'] = JSON.stringify({ input: input - cacheRead, input_cached_tokens: cacheRead, output, total: input + output });
      attributes['langfuse.observation.cost_details'] = JSON.stringify(costOf(call.usage));
      attributes['langfuse.observation.completion_start_time'] = JSON.stringify(new Date(call.startMs + call.msToFirstToken).toISOString());
    }
    return { name: `${call.provider}-chat`, kind: SpanKind.INTERNAL, scope: SCOPE, attributes };
  },

  tool: (trace, run) => ({
    name: run.call.name,
    kind: SpanKind.INTERNAL,
    scope: SCOPE,
    attributes: {
      'langfuse.observation.type': 'tool',
      'langfuse.observation.input': run.call.arguments,
      ...(run.error
        ? { 'langfuse.observation.level': 'ERROR', 'langfuse.observation.status_message': run.error.message }
        : { 'langfuse.observation.output': run.result }),
      ...propagated(trace),
    },
  }),

  retrieval: (trace, retrieval) => ({
    name: 'search-knowledge-base',
    kind: SpanKind.INTERNAL,
    scope: SCOPE,
    attributes: {
      'langfuse.observation.type': 'retriever',
      'langfuse.observation.input': JSON.stringify({ query: retrieval.query, top_k: retrieval.documents.length }),
      'langfuse.observation.output': JSON.stringify(retrieval.documents),
      ...propagated(trace),
    },
  }),
};
