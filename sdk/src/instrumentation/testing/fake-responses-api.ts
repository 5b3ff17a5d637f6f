/**
 * The OpenAI Responses API (`POST /v1/responses`) for the fake OpenAI server: a Response object,
 * or with `stream: true` the documented SSE event sequence (`response.created`, `...in_progress`,
 * `output_item.added`, `content_part.added`, `output_text.delta`..., `function_call_arguments.delta`...,
 * the matching `.done` events, `response.completed` carrying the whole response and its usage).
 *
 * Rules: function tools + a user turn last -> a `function_call`; a `function_call_output` last ->
 * a text quoting it; otherwise a fixed text. `reasoning` in the request adds a reasoning item
 * with a summary; `max_output_tokens` below 16 makes the response `incomplete`.
 */
import type { ServerResponse } from 'node:http';
import { MODEL_SNAPSHOTS } from '../../../../fixtures/fake-llm-server.ts';
import { argumentsFor, EVENT_DELAY_MS, FIRST_EVENT_DELAY_MS, isObject, sendJson, sleep, startEventStream, words, writeNamedEvent, type Json } from './http.ts';

export const RESPONSES_TEXT = 'Responses say hello from the fake model.';
export const REASONING_SUMMARY = 'The user wants a greeting.';
export const RESPONSES_USAGE = {
  text: { input: 36, cached: 0, output: 12, reasoning: 0 },
  reasoning: { input: 40, cached: 8, output: 30, reasoning: 18 },
  tool_call: { input: 80, cached: 32, output: 15, reasoning: 0 },
  after_tool: { input: 120, cached: 64, output: 20, reasoning: 0 },
} as const;

export const CREATED_AT = 1_760_000_000;

export async function handleResponses(body: Json, res: ServerResponse, n: number): Promise<void> {
  const id = `resp_fake${String(n).padStart(4, '0')}`;
  const requested = typeof body.model === 'string' ? body.model : 'gpt-4o-mini';
  const { output, kind } = plan(body, n);
  const u = RESPONSES_USAGE[kind];
  const incomplete = typeof body.max_output_tokens === 'number' && body.max_output_tokens < 16;
  const response: Json = {
    id,
    object: 'response',
    created_at: CREATED_AT,
    status: incomplete ? 'incomplete' : 'completed',
    error: null,
    incomplete_details: incomplete ? { reason: 'max_output_tokens' } : null,
    instructions: body.instructions ?? null,
    model: MODEL_SNAPSHOTS[requested] ?? requested,
    output,
    parallel_tool_calls: true,
    temperature: body.temperature ?? 1,
    top_p: body.top_p ?? 1,
    tools: body.tools ?? [],
    usage: {
      input_tokens: u.input,
      input_tokens_details: { cached_tokens: u.cached },
      output_tokens: u.output,
      output_tokens_details: { reasoning_tokens: u.reasoning },
      total_tokens: u.input + u.output,
    },
  };
  if (body.stream === true) await stream(res, response);
  else sendJson(res, 200, response, { 'x-request-id': `req_${id}` });
}

function plan(body: Json, n: number): { output: Json[]; kind: keyof typeof RESPONSES_USAGE } {
  const items = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : Array.isArray(body.input) ? body.input.filter(isObject) : [];
  const last = items.at(-1);
  const tools = Array.isArray(body.tools) ? body.tools.filter((t) => isObject(t) && t.type === 'function') : [];
  const reasoning: Json[] = isObject(body.reasoning) ? [{ type: 'reasoning', id: `rs_fake${n}`, summary: [{ type: 'summary_text', text: REASONING_SUMMARY }] }] : [];
  if (tools.length > 0 && last?.role === 'user' && body.tool_choice !== 'none') {
    const tool = tools[0] as Json;
    const call = { type: 'function_call', id: `fc_fake${n}`, call_id: `call_fake${n}`, name: tool.name, arguments: JSON.stringify(argumentsFor(tool.parameters)), status: 'completed' };
    return { output: [...reasoning, call], kind: 'tool_call' };
  }
  if (last?.type === 'function_call_output') return { output: [...reasoning, message(n, `The tool says ${String(last.output)}.`)], kind: 'after_tool' };
  return { output: [...reasoning, message(n, RESPONSES_TEXT)], kind: reasoning.length > 0 ? 'reasoning' : 'text' };
}

function message(n: number, text: string): Json {
  return { type: 'message', id: `msg_fake${n}`, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] };
}

async function stream(res: ServerResponse, response: Json): Promise<void> {
  startEventStream(res, { 'x-request-id': `req_${String(response.id)}` });
  let seq = 0;
  const send = async (type: string, data: Json): Promise<void> => {
    writeNamedEvent(res, type, { type, sequence_number: seq++, ...data });
    await sleep(EVENT_DELAY_MS);
  };
  const pending = { ...response, status: 'in_progress', output: [], usage: null, incomplete_details: null };
  await send('response.created', { response: pending });
  await sleep(FIRST_EVENT_DELAY_MS);
  await send('response.in_progress', { response: pending });
  const output = response.output as Json[];
  for (const [output_index, item] of output.entries()) {
    if (item.type === 'message') {
      const text = String((item.content as Json[])[0].text);
      await send('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', content: [] } });
      const at = { item_id: item.id, output_index, content_index: 0 };
      await send('response.content_part.added', { ...at, part: { type: 'output_text', text: '', annotations: [] } });
      for (const delta of words(text)) await send('response.output_text.delta', { ...at, delta, logprobs: [] });
      await send('response.output_text.done', { ...at, text, logprobs: [] });
      await send('response.content_part.done', { ...at, part: { type: 'output_text', text, annotations: [] } });
    } else if (item.type === 'function_call') {
      const args = String(item.arguments);
      await send('response.output_item.added', { output_index, item: { ...item, arguments: '', status: 'in_progress' } });
      for (let i = 0; i < args.length; i += 8) await send('response.function_call_arguments.delta', { item_id: item.id, output_index, delta: args.slice(i, i + 8) });
      await send('response.function_call_arguments.done', { item_id: item.id, output_index, arguments: args });
    } else {
      await send('response.output_item.added', { output_index, item });
    }
    await send('response.output_item.done', { output_index, item });
  }
  await send(response.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response });
  res.end();
}
