/**
 * Seeds a project with many traces through the real ingest path (`POST /api/v1/events/ingest`, NDJSON,
 * the bootstrap API key), so trace summaries, sessions and the analytics store fill as in production.
 * Fixed seed: mixed models and providers, users, sessions, ~8% errors, 1-3 spans per trace, spread over
 * the last 23 hours (inside the dashboard's default 24 h range), plus one 200-span agent trace for the
 * detail view. Done when the analytics store has every span and Postgres has table statistics.
 */
import { gzipSync } from 'node:zlib';
import type { TestCollector } from '../../collector/src/testing/test-collector.ts';
import { seededRandom, text } from '../random.ts';

const MODELS = [
  { provider: 'openai', model: 'gpt-4o-mini' },
  { provider: 'openai', model: 'gpt-4o' },
  { provider: 'openai', model: 'gpt-4.1-mini' },
  { provider: 'anthropic', model: 'claude-sonnet-4-5-20250929' },
  { provider: 'anthropic', model: 'claude-haiku-4-5-20251001' },
  { provider: 'openai', model: 'o4-mini' },
];
const NAMES = ['answer-question', 'summarise-document', 'classify-ticket', 'extract-invoice', 'chat-turn', 'plan-trip'];
const TOOLS = ['get_weather', 'search_docs', 'lookup_order', 'send_email'];
/**
 * Events per ingest request (~3 MB of NDJSON). Not more: the summaries upsert binds 31 parameters per
 * trace in one statement, and a batch of more than ~2100 distinct traces passes Postgres' 65535 limit.
 */
const BATCH_EVENTS = 3000;
/** Requests in flight at once: one is written while the next is generated and sent. */
const CONCURRENCY = 2;
/** Spans of the one agent trace the detail benchmark opens. */
export const DETAIL_SPANS = 200;

export interface SeededProject {
  traces: number;
  spans: number;
  seconds: number;
  /** The DETAIL_SPANS-span trace the detail benchmark opens. */
  detailTraceId: string;
  /** A filter that keeps a few per cent of the traces. */
  filter: { model: string; status: 'error' };
}

type Event = Record<string, unknown>;

const hex = (random: () => number, length: number) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
const iso = (ms: number) => new Date(ms).toISOString();
const message = (role: string, content: string) => [{ role, parts: [{ type: 'text', content }] }];

function llmSpan(random: () => number, base: Event, startMs: number, durationMs: number): Event {
  const { provider, model } = MODELS[Math.floor(random() * random() * MODELS.length)]; // cheap models are the common ones
  const input = 200 + Math.floor(random() * 3000);
  const output = 20 + Math.floor(random() * 600);
  return {
    ...base, type: 'llm', operation_name: 'chat', name: `chat ${model}`, span_kind: 'client', provider, model,
    start_time: iso(startMs), end_time: iso(startMs + durationMs), input_tokens: input, output_tokens: output,
    cache_read_tokens: random() < 0.3 ? Math.floor(input / 2) : 0, finish_reason: 'stop',
    time_to_first_token_ms: Math.round(durationMs * 0.3),
    input: message('user', text(random, 80 + random() * 400)), output: message('assistant', text(random, 60 + random() * 300)),
  };
}

/** One trace of 1-3 spans: an LLM call alone, or a chain with an LLM call and sometimes a tool. */
function traceEvents(random: () => number, index: number, startMs: number): Event[] {
  const traceId = hex(random, 32);
  const rootId = hex(random, 16);
  const failed = random() < 0.08;
  const duration = 300 + Math.floor(random() * random() * 8000);
  const user = `user-${Math.floor(random() * 2000)}`;
  const common = {
    trace_id: traceId, service_name: 'support-bot', environment: random() < 0.9 ? 'production' : 'staging',
    session_id: `session-${Math.floor(index / 4)}`, user_id: user, tags: random() < 0.3 ? ['beta'] : [],
  };
  const shape = random();
  if (shape < 0.4) {
    const llm = llmSpan(random, { ...common, span_id: rootId }, startMs, duration);
    return [{ ...llm, status: failed ? 'error' : 'ok', ...(failed ? { status_message: 'rate limited by provider', error_type: 'RateLimitError' } : {}) }];
  }
  const root: Event = {
    ...common, span_id: rootId, type: 'chain', name: NAMES[index % NAMES.length], start_time: iso(startMs), end_time: iso(startMs + duration),
    status: failed ? 'error' : 'ok', ...(failed ? { status_message: 'upstream model failed', error_type: 'ProviderError' } : {}),
    input: message('user', text(random, 60 + random() * 200)),
  };
  const events = [root, { ...llmSpan(random, { ...common, span_id: hex(random, 16), parent_span_id: rootId }, startMs + 5, duration - 10), status: failed ? 'error' : 'ok' }];
  if (shape > 0.75) {
    events.push({
      ...common, span_id: hex(random, 16), parent_span_id: rootId, type: 'tool', operation_name: 'execute_tool', tool_name: TOOLS[index % TOOLS.length],
      name: `execute_tool ${TOOLS[index % TOOLS.length]}`, start_time: iso(startMs + 2), end_time: iso(startMs + 40), status: 'ok',
    });
  }
  return events;
}

/** An agent run of `spans` spans: turns of plan → LLM call → tool call, nested under one root. */
function agentTrace(random: () => number, spans: number, startMs: number): Event[] {
  const traceId = hex(random, 32);
  const rootId = hex(random, 16);
  const common = { trace_id: traceId, service_name: 'support-bot', environment: 'production', session_id: 'session-agent', user_id: 'user-agent' };
  const events: Event[] = [{
    ...common, span_id: rootId, type: 'agent', name: 'research-agent', start_time: iso(startMs), end_time: iso(startMs + spans * 100), status: 'ok',
    input: message('user', 'Find the three cheapest flights to Paris next week and e-mail me a summary.'),
    output: message('assistant', text(random, 400)),
  }];
  for (let turn = 0; events.length < spans; turn++) {
    const at = startMs + turn * 300;
    const stepId = hex(random, 16);
    events.push({ ...common, span_id: stepId, parent_span_id: rootId, type: 'chain', name: `step ${turn + 1}`, start_time: iso(at), end_time: iso(at + 290), status: 'ok' });
    if (events.length < spans) events.push({ ...llmSpan(random, { ...common, span_id: hex(random, 16), parent_span_id: stepId }, at + 1, 200), status: 'ok' });
    if (events.length < spans) {
      const tool = TOOLS[turn % TOOLS.length];
      events.push({ ...common, span_id: hex(random, 16), parent_span_id: stepId, type: 'tool', operation_name: 'execute_tool', tool_name: tool, name: `execute_tool ${tool}`, start_time: iso(at + 205), end_time: iso(at + 280), status: 'ok' });
    }
  }
  return events;
}

async function send(collector: TestCollector, events: Event[]): Promise<void> {
  const body = gzipSync(events.map((e) => JSON.stringify(e)).join('\n'), { level: 1 });
  for (let attempt = 1; ; attempt++) {
    // As a client would: retry a dropped connection, and a 503 or 429 that asks for a short wait (two
    // writers touching one session may conflict; backpressure). A batch stored after all comes back as duplicates.
    const response = await collector.request('/api/v1/events/ingest', { method: 'POST', headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' }, body })
      .catch((err: Error) => (attempt < 5 ? null : Promise.reject(err)));
    const wait = Number(response?.headers.get('retry-after') ?? 1);
    if (response === null || (attempt < 5 && [503, 429].includes(response.status) && wait <= 10)) {
      await response?.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      continue;
    }
    const answer = await response.json() as { rejected?: unknown[] };
    if (response.status !== 200 || answer.rejected?.length) throw new Error(`ingest answered ${response.status}: ${JSON.stringify(answer).slice(0, 500)}`);
    return;
  }
}

/** Waits until every acknowledged batch is in the analytics store (as `shipped()`, with room for a big backlog). */
async function waitShipped(collector: TestCollector, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await collector.shipper.backlog()).rows > 0) {
    if (Date.now() > deadline) throw new Error(`outbox did not drain within ${timeoutMs / 1000} s`);
    await collector.shipper.drain();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function seedTraces(collector: TestCollector, traces: number, now = Date.now()): Promise<SeededProject> {
  const random = seededRandom(7);
  const started = performance.now();
  const spread = 23 * 3_600_000;
  const detail = agentTrace(random, DETAIL_SPANS, now - 10 * 60_000);
  let pending: Event[] = [...detail];
  let spans = 0;
  const inFlight = new Set<Promise<void>>();
  let failure: Error | null = null;
  const flush = async () => {
    const batch = pending;
    pending = [];
    spans += batch.length;
    const request: Promise<void> = send(collector, batch).catch((err: Error) => void (failure ??= err)).finally(() => inFlight.delete(request));
    inFlight.add(request);
    if (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
    if (failure) throw failure;
  };
  // Oldest first, as an app would send them; the newest trace starts a minute ago.
  for (let i = 0; i < traces - 1; i++) {
    pending.push(...traceEvents(random, i, now - spread + Math.floor((i / traces) * spread) - 60_000));
    if (pending.length >= BATCH_EVENTS) await flush();
  }
  if (pending.length > 0) await flush();
  await Promise.all(inFlight);
  if (failure) throw failure;
  await waitShipped(collector, 10 * 60_000);
  // Table statistics, as autovacuum gathers them soon after a bulk load in production; without them the
  // planner takes the 100 000-row table for an empty one (development servers often run autovacuum off).
  await collector.db.raw('ANALYZE');
  return { traces, spans, seconds: (performance.now() - started) / 1000, detailTraceId: detail[0].trace_id as string, filter: { model: 'gpt-4o', status: 'error' } };
}
