/**
 * What happened in one trace of the LLM workload (the conversation, the model calls, the tool runs), kept
 * apart from how an instrumentation spells it: each `Convention` writes the same facts under its own
 * attribute names, so the workload mixes conventions without mixing up its content.
 */
import type { Attributes, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

export type Scope = ReadableSpan['instrumentationScope'];
export type Resource = ReadableSpan['resource'];

export interface ToolCall {
  id: string;
  name: string;
  /** The JSON text the model produced. */
  arguments: string;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  text: string;
  /** Set on an assistant message that calls a tool. */
  toolCall?: ToolCall;
  /** Set on a tool message: the call it answers. */
  toolCallId?: string;
}

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON schema of the arguments, as JSON text. */
  parameters: string;
}

export interface LlmCall {
  provider: 'openai' | 'anthropic';
  model: string;
  responseModel: string;
  responseId: string;
  temperature: number;
  maxTokens: number;
  stream: boolean;
  tools: ToolDefinition[];
  messages: ChatMessage[];
  /** The assistant's answer; it calls a tool when `finishReason` is 'tool_calls'. */
  output: ChatMessage;
  finishReason: 'stop' | 'tool_calls';
  usage: { input: number; output: number; cacheRead: number };
  /** When the request was sent (epoch milliseconds) and how long until its first token and its end. */
  startMs: number;
  msToFirstToken: number;
  durationMs: number;
  /** Set when the call failed (the span has ERROR status and an exception event, and no output). */
  error?: { type: string; message: string };
}

export interface ToolRun {
  call: ToolCall;
  definition: ToolDefinition;
  /** What the tool returned, as JSON text. */
  result: string;
  error?: { type: string; message: string };
}

export interface Retrieval {
  query: string;
  embeddingModel: string;
  documents: { id: string; content: string; score: number; source: string }[];
}

/** Facts every span of a trace shares. */
export interface TraceFacts {
  app: string;
  agentName: string;
  sessionId: string;
  userId: string;
  conversationId: string;
  tags: string[];
  question: string;
  answer: string;
  model: string;
  provider: LlmCall['provider'];
  /** Whether the app streams its model calls (all of them). */
  stream: boolean;
  usage: { input: number; output: number };
}

export interface SpanShape {
  name: string;
  kind: SpanKind;
  scope: Scope;
  attributes: Attributes;
  /** Events the convention records besides exceptions (which every convention gets for failures). */
  events?: { name: string; atMs: number; attributes: Attributes }[];
}

/** One instrumentation's spelling of an agent trace. */
export interface Convention {
  name: string;
  resource: Resource;
  /** The status of a span that did not fail: some instrumentations set OK, others leave it UNSET. */
  successStatus: SpanStatusCode.OK | SpanStatusCode.UNSET;
  /**
   * Where the app's own metadata goes (every span is filled up to its attribute count with it): the
   * prefix this convention's users put free-form keys under.
   */
  metadataPrefix: string;
  agent(trace: TraceFacts): SpanShape;
  llm(trace: TraceFacts, call: LlmCall): SpanShape;
  tool(trace: TraceFacts, run: ToolRun): SpanShape;
  retrieval(trace: TraceFacts, retrieval: Retrieval): SpanShape;
}

/** OpenAI chat-completions message JSON, the form several conventions record requests in. */
export function openAiMessage(message: ChatMessage): Record<string, unknown> {
  if (message.toolCall) {
    const { id, name, arguments: args } = message.toolCall;
    return { role: 'assistant', content: message.text, tool_calls: [{ id, type: 'function', function: { name, arguments: args } }] };
  }
  if (message.role === 'tool') return { role: 'tool', tool_call_id: message.toolCallId, content: message.text };
  return { role: message.role, content: message.text };
}

export function openAiTool(tool: ToolDefinition): Record<string, unknown> {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: JSON.parse(tool.parameters) } };
}

/** Usage and cost per 1M tokens, dollars: enough for conventions that report a cost. */
export function costOf(usage: LlmCall['usage']): { input: number; output: number; total: number } {
  const input = (usage.input * 2.5) / 1e6;
  const output = (usage.output * 10) / 1e6;
  return { input, output, total: input + output };
}
