/**
 * Draws what happens in one agent run, from a seeded PRNG: maybe a retrieval, then one to three model
 * calls with a tool run between each two, a rate-limited attempt now and then, and when each step starts
 * and ends. Sizes follow LLM apps: prompts of 1-8 KB (system prompt, the user's question with pasted
 * context, earlier tool rounds), final answers of 1-8 KB, tool-calling turns of a call and no text.
 */
import { text } from '../random.ts';
import type { ChatMessage, LlmCall, Retrieval, ToolDefinition, ToolRun, TraceFacts } from './convention.ts';

export type Step =
  | { kind: 'agent'; startMs: number; endMs: number }
  | { kind: 'llm'; startMs: number; endMs: number; call: LlmCall }
  | { kind: 'tool'; startMs: number; endMs: number; run: ToolRun }
  | { kind: 'retrieval'; startMs: number; endMs: number; retrieval: Retrieval };

export interface TracePlan {
  facts: TraceFacts;
  /** The app's own metadata, in the order spans take it when filled up to their attribute count. */
  metadata: [string, string | number | boolean][];
  /** In start order; the first is the agent run, parent of all the others. */
  steps: Step[];
}

const SESSIONS = 300;
const USERS = 200;

const MODELS = [
  { provider: 'openai', model: 'gpt-4o', responseModel: 'gpt-4o-2024-08-06' },
  { provider: 'openai', model: 'gpt-4o-mini', responseModel: 'gpt-4o-mini-2024-07-18' },
  { provider: 'openai', model: 'gpt-4.1', responseModel: 'gpt-4.1-2025-04-14' },
  { provider: 'anthropic', model: 'claude-sonnet-4-5', responseModel: 'claude-sonnet-4-5-20250929' },
] as const;

const AGENTS = ['travel-planner', 'support-triage', 'order-assistant', 'research-helper', 'billing-bot'];
const TAGS = ['production', 'beta', 'vip', 'mobile', 'eval', 'internal'];

interface Tool extends ToolDefinition {
  args(random: () => number): Record<string, unknown>;
}

const TOOLS: Tool[] = [
  { name: 'get_weather', description: 'Current weather and 3-day forecast for a city', parameters: '{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}', args: (r) => ({ city: pick(r, ['Paris', 'Lisbon', 'Tokyo', 'Austin', 'Nairobi']) }) },
  { name: 'search_flights', description: 'Search direct and one-stop flights', parameters: '{"type":"object","properties":{"from":{"type":"string"},"to":{"type":"string"},"date":{"type":"string","format":"date"}},"required":["from","to","date"]}', args: (r) => ({ from: pick(r, ['CDG', 'LHR', 'JFK']), to: pick(r, ['LIS', 'HND', 'AUS']), date: `2026-07-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}` }) },
  { name: 'lookup_order', description: 'Order status, items and shipping by order id', parameters: '{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}', args: (r) => ({ order_id: `ORD-${100000 + Math.floor(r() * 900000)}` }) },
  { name: 'search_docs', description: 'Full-text search over the help center', parameters: '{"type":"object","properties":{"query":{"type":"string"},"limit":{"type":"integer"}},"required":["query"]}', args: (r) => ({ query: text(r, 30), limit: 5 }) },
  { name: 'create_ticket', description: 'Open a support ticket for a human agent', parameters: '{"type":"object","properties":{"subject":{"type":"string"},"priority":{"type":"string","enum":["low","normal","high"]}},"required":["subject"]}', args: (r) => ({ subject: text(r, 40), priority: pick(r, ['low', 'normal', 'high']) }) },
];

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)];
}

const between = (random: () => number, low: number, high: number) => low + random() * (high - low);
const int = (random: () => number, low: number, high: number) => Math.floor(between(random, low, high + 1));
const hex = (random: () => number, chars: number) => Array.from({ length: Math.ceil(chars / 8) }, () => Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0')).join('').slice(0, chars);
const tokens = (message: { text: string }) => Math.ceil(message.text.length / 4);

/** The app's metadata keys and how their values are drawn: strings, numbers and booleans, as apps set them. */
const METADATA: [string, (r: () => number) => string | number | boolean][] = [
  ['tenant_id', (r) => `tenant-${int(r, 1, 40)}`],
  ['plan', (r) => pick(r, ['free', 'pro', 'team', 'enterprise'])],
  ['region', (r) => pick(r, ['eu-west-1', 'us-east-1', 'ap-south-1'])],
  ['channel', (r) => pick(r, ['web', 'ios', 'android', 'slack', 'api'])],
  ['locale', (r) => pick(r, ['en-US', 'fr-FR', 'de-DE', 'ja-JP', 'pt-BR'])],
  ['app_version', (r) => `3.${int(r, 0, 20)}.${int(r, 0, 9)}`],
  ['experiment', (r) => `exp-${int(r, 1, 12)}`],
  ['ab_bucket', (r) => pick(r, ['A', 'B'])],
  ['request_id', (r) => `req_${hex(r, 24)}`],
  ['workspace_id', (r) => `ws_${int(r, 1, 500)}`],
  ['priority', (r) => int(r, 1, 5)],
  ['retry_count', (r) => int(r, 0, 2)],
  ['cache_hit', (r) => r() < 0.3],
  ['latency_budget_ms', (r) => pick(r, [2000, 5000, 10000])],
  ['route', (r) => pick(r, ['/chat', '/assist', '/support/ask'])],
  ['client', (r) => pick(r, ['web-app', 'mobile', 'cli'])],
  ['org_id', (r) => `org_${hex(r, 12)}`],
  ['team', (r) => pick(r, ['growth', 'support', 'platform'])],
  ['prompt_variant', (r) => pick(r, ['v7', 'v8-concise', 'v8-verbose'])],
  ['guardrails_enabled', (r) => r() < 0.8],
  ['max_steps', (r) => pick(r, [4, 8, 12])],
  ['temperature_override', (r) => Math.round(between(r, 0, 1) * 100) / 100],
  ['user_agent', (r) => `Mozilla/5.0 (${pick(r, ['Macintosh; Intel Mac OS X 14_5', 'Windows NT 10.0; Win64; x64', 'iPhone; CPU iPhone OS 17_5 like Mac OS X'])}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15`],
  ['referrer', (r) => `https://app.example.com/${pick(r, ['inbox', 'orders', 'trips', 'billing'])}/${int(r, 1000, 9999)}`],
  ['timezone', (r) => pick(r, ['Europe/Paris', 'America/New_York', 'Asia/Tokyo'])],
  ['country', (r) => pick(r, ['FR', 'US', 'JP', 'BR', 'DE'])],
  ['device', (r) => pick(r, ['desktop', 'phone', 'tablet'])],
  ['browser', (r) => pick(r, ['chrome', 'safari', 'firefox', 'edge'])],
  ['ip_hash', (r) => hex(r, 16)],
  ['moderation_score', (r) => Math.round(r() * 1000) / 1000],
  ['safety_level', (r) => pick(r, ['standard', 'strict'])],
  ['sample_rate', (r) => pick(r, [1, 0.5, 0.1])],
  ['conversation_turn', (r) => int(r, 1, 20)],
  ['is_internal', (r) => r() < 0.05],
  ['feature', (r) => pick(r, ['chat', 'autocomplete', 'summarize', 'triage'])],
  ['deployment', (r) => pick(r, ['blue', 'green'])],
  ['release', () => 'r-2026-05-28'],
  ['source', (r) => pick(r, ['widget', 'email', 'api'])],
];

function toolResult(random: () => number, tool: Tool, args: Record<string, unknown>): string {
  const notes = text(random, between(random, 150, 800));
  switch (tool.name) {
    case 'get_weather':
      return JSON.stringify({ city: args.city, forecast: ['Mon', 'Tue', 'Wed'].map((day) => ({ day, highC: int(random, 8, 32), rain: random() < 0.4 })), notes });
    case 'search_flights':
      return JSON.stringify({ flights: Array.from({ length: int(random, 1, 4) }, () => ({ number: `AF${int(random, 100, 999)}`, departs: `${int(random, 6, 22)}:${int(random, 10, 59)}`, priceEur: int(random, 90, 900) })), notes });
    case 'lookup_order':
      return JSON.stringify({ order_id: args.order_id, status: pick(random, ['shipped', 'processing', 'delivered']), items: int(random, 1, 5), notes });
    case 'search_docs':
      return JSON.stringify({ results: [{ title: text(random, 40), snippet: notes }] });
    default:
      return JSON.stringify({ ticket_id: `T-${int(random, 1000, 9999)}`, status: 'open', notes });
  }
}

export function planTrace(random: () => number, startMs: number): TracePlan {
  const session = int(random, 0, SESSIONS - 1);
  const model = pick(random, MODELS);
  const calls = pick(random, [1, 1, 1, 2, 2, 2, 2, 3, 3, 3]);
  const question = `${text(random, between(random, 60, 200))}?`;
  const facts: TraceFacts = {
    app: pick(random, ['travel', 'support', 'shop']),
    agentName: pick(random, AGENTS),
    sessionId: `sess-${String(session).padStart(4, '0')}`,
    userId: `user-${session % USERS}`,
    conversationId: `conv_${hex(random, 20)}`,
    tags: TAGS.filter(() => random() < 0.25),
    question,
    answer: '',
    model: model.model,
    provider: model.provider,
    stream: random() < 0.4,
    usage: { input: 0, output: 0 },
  };
  const metadata = METADATA.map(([key, draw]): [string, string | number | boolean] => [key, draw(random)]);
  const tools = TOOLS.filter(() => random() < 0.5);
  if (tools.length === 0) tools.push(pick(random, TOOLS));

  const agent: Step = { kind: 'agent', startMs, endMs: 0 };
  const steps: Step[] = [agent];
  let now = startMs + between(random, 2, 15);

  let retrieved = '';
  if (random() < 0.35) {
    const documents = Array.from({ length: int(random, 3, 5) }, (_, i) => ({
      id: `kb-${int(random, 1, 4000)}-${i}`, content: text(random, between(random, 200, 700)), score: Math.round(between(random, 0.55, 0.95) * 1000) / 1000, source: `help/${pick(random, ['billing', 'travel', 'orders'])}.md`,
    }));
    const endMs = now + between(random, 80, 450);
    steps.push({ kind: 'retrieval', startMs: now, endMs, retrieval: { query: question, embeddingModel: 'text-embedding-3-small', documents } });
    retrieved = documents.map((d) => d.content).join('\n');
    now = endMs + between(random, 1, 5);
  }

  // The first prompt is 1-6 KB; each tool round adds a call and a result of under 1 KB, so no prompt passes 8 KB.
  const system: ChatMessage = { role: 'system', text: `You are the ${facts.agentName} assistant. ${text(random, between(random, 250, 600))}` };
  const firstPrompt = between(random, 1024, 6144);
  const pasted = text(random, Math.max(100, firstPrompt - system.text.length - question.length - retrieved.length));
  const messages: ChatMessage[] = [system, { role: 'user', text: `${question}\n\n${retrieved}${pasted}` }];

  const callContext: CallContext = { random, model, facts, tools };
  for (let i = 0; i < calls; i++) {
    const last = i === calls - 1;
    if (random() < 0.04) {
      // A rate-limited attempt, retried after a back-off.
      const failed = llmCall(callContext, messages, now, 'rate-limited');
      steps.push({ kind: 'llm', startMs: now, endMs: now + failed.durationMs, call: failed });
      now += failed.durationMs + between(random, 200, 1200);
    }
    const call = llmCall(callContext, messages, now, last ? 'answer' : 'tool-call');
    steps.push({ kind: 'llm', startMs: now, endMs: now + call.durationMs, call });
    now += call.durationMs + between(random, 1, 8);
    if (last) {
      facts.answer = call.output.text;
      break;
    }
    const tool = tools.find((t) => t.name === call.output.toolCall!.name)!;
    const failed = random() < 0.03;
    const run: ToolRun = {
      call: call.output.toolCall!,
      definition: tool,
      result: failed ? '' : toolResult(random, tool, JSON.parse(call.output.toolCall!.arguments) as Record<string, unknown>),
      error: failed ? { type: 'TimeoutError', message: `${tool.name} did not answer within 5000 ms` } : undefined,
    };
    const endMs = now + (failed ? 5000 : between(random, 15, 1500));
    steps.push({ kind: 'tool', startMs: now, endMs, run });
    now = endMs + between(random, 1, 5);
    messages.push(call.output, { role: 'tool', text: failed ? `error: ${run.error!.message}` : run.result, toolCallId: run.call.id });
  }
  agent.endMs = now + between(random, 1, 10);
  return { facts, metadata, steps };
}

interface CallContext {
  random: () => number;
  model: (typeof MODELS)[number];
  facts: TraceFacts;
  tools: Tool[];
}

/** One model call on `messages` (copied: later rounds append to the conversation). */
function llmCall({ random, model, facts, tools }: CallContext, messages: ChatMessage[], startMs: number, outcome: 'answer' | 'tool-call' | 'rate-limited'): LlmCall {
  const answers = outcome === 'answer';
  const rateLimited = outcome === 'rate-limited';
  const input = messages.reduce((sum, m) => sum + tokens(m), 0);
  const tool = pick(random, tools);
  const output: ChatMessage = answers
    ? { role: 'assistant', text: text(random, between(random, 1024, 8192)) }
    : { role: 'assistant', text: '', toolCall: { id: `call_${hex(random, 24)}`, name: tool.name, arguments: JSON.stringify(tool.args(random)) } };
  const outputTokens = answers ? tokens(output) : int(random, 15, 60);
  const msToFirstToken = between(random, 250, 1200);
  const call: LlmCall = {
    provider: model.provider,
    model: model.model,
    responseModel: model.responseModel,
    responseId: `chatcmpl-${hex(random, 24)}`,
    temperature: pick(random, [0, 0.2, 0.7, 1]),
    maxTokens: pick(random, [1024, 2048, 4096]),
    stream: facts.stream,
    tools,
    messages: [...messages],
    output,
    finishReason: answers ? 'stop' : 'tool_calls',
    usage: { input, output: outputTokens, cacheRead: random() < 0.5 ? Math.floor(input * between(random, 0.3, 0.9)) : 0 },
    startMs,
    msToFirstToken,
    durationMs: rateLimited ? between(random, 150, 900) : msToFirstToken + outputTokens * between(random, 8, 25),
  };
  if (rateLimited) {
    call.error = { type: 'RateLimitError', message: `429 Rate limit reached for ${model.model} on tokens per min (TPM): Limit 30000, Used 29874, Requested ${input}.` };
  } else {
    facts.usage.input += input;
    facts.usage.output += outputTokens;
  }
  return call;
}
