/**
 * A local stand-in for the Anthropic Messages API (`POST /v1/messages`), enough for the real
 * `@anthropic-ai/sdk` client: a Message as JSON, or with `stream: true` the documented SSE
 * sequence `message_start`, `content_block_start`, `ping`, `content_block_delta`...,
 * `content_block_stop`, `message_delta` (stop reason, cumulative output tokens), `message_stop`.
 *
 * Rules: tools + a user turn without tool results last -> a `tool_use` block (`stop_reason:
 * tool_use`); a `tool_result` last -> a text quoting it; otherwise a fixed text. `thinking`
 * enabled adds a thinking block first. A `cache_control` anywhere in `system` reports cache
 * usage (USAGE.cached), else USAGE.plain: input tokens exclude cache reads and writes, as
 * Anthropic's do.
 *
 * Failures on demand: header `x-fake-status: 400` (any status >= 400) answers Anthropic's error
 * body with that status; `x-fake-stream-error: overloaded_error` sends an `error` event after
 * two text deltas of a stream.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, listen, readBody } from '../../../../fixtures/fake-llm-server.ts';
import { argumentsFor, EVENT_DELAY_MS, FIRST_EVENT_DELAY_MS, isObject, requestedFailure, sendJson, sleep, startEventStream, words, writeNamedEvent, type Json } from './http.ts';

export const ANTHROPIC_TEXT = 'Bonjour! This answer comes from the fake Claude.';
export const THINKING_TEXT = 'The user greets me; I should greet back.';
export const MODEL = 'claude-sonnet-5-5';
/** What the fake reports back for MODEL, as the API reports a dated snapshot. */
export const MODEL_SNAPSHOT = 'claude-sonnet-5-5-20260301';
export const USAGE = {
  plain: { input_tokens: 21, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 17 },
  cached: { input_tokens: 21, cache_creation_input_tokens: 1200, cache_read_input_tokens: 3400, output_tokens: 17 },
} as const;

export interface FakeAnthropicServer {
  /** What Anthropic clients take as baseURL (no `/v1`). */
  readonly url: string;
  readonly requests: Json[];
  close(): Promise<void>;
}

export async function startFakeAnthropicServer(): Promise<FakeAnthropicServer> {
  const requests: Json[] = [];
  let counter = 0;
  const server: Server = createServer((req, res) => {
    void handle(req, res, requests, () => ++counter).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'api_error', String(err));
      else res.end();
    });
  });
  await listen(server);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => closeServer(server) };
}

async function handle(req: IncomingMessage, res: ServerResponse, log: Json[], next: () => number): Promise<void> {
  const text = await readBody(req);
  const failure = requestedFailure(req.headers['x-fake-status']);
  if (failure !== undefined) return sendError(res, failure, failure >= 500 ? 'api_error' : 'invalid_request_error', `fake failure ${failure}`);
  if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/v1/messages') return sendError(res, 404, 'not_found_error', `unknown ${req.method} ${req.url}`);
  const body: unknown = JSON.parse(text);
  if (!isObject(body)) return sendError(res, 400, 'invalid_request_error', 'body must be an object');
  log.push(body);
  const message = answer(body, next());
  const streamError = req.headers['x-fake-stream-error'];
  if (body.stream === true) await stream(res, message, typeof streamError === 'string' ? streamError : undefined);
  else sendJson(res, 200, message, { 'request-id': `req_fake${String(message.id)}` });
}

function answer(body: Json, n: number): Json {
  const messages = Array.isArray(body.messages) ? body.messages.filter(isObject) : [];
  const last = messages.at(-1);
  const lastBlocks = last && Array.isArray(last.content) ? last.content.filter(isObject) : [];
  const toolResult = lastBlocks.find((b) => b.type === 'tool_result');
  const tools = Array.isArray(body.tools) ? body.tools.filter(isObject) : [];
  const content: Json[] = [];
  if (isObject(body.thinking) && body.thinking.type === 'enabled') content.push({ type: 'thinking', thinking: THINKING_TEXT, signature: 'sig_fake' });
  let stopReason = 'end_turn';
  if (toolResult) content.push({ type: 'text', text: `The tool says ${JSON.stringify(toolResult.content)}.` });
  else if (tools.length > 0 && last?.role === 'user') {
    content.push({ type: 'tool_use', id: `toolu_fake${String(n).padStart(4, '0')}`, name: tools[0].name, input: argumentsFor(tools[0].input_schema) });
    stopReason = 'tool_use';
  } else content.push({ type: 'text', text: ANTHROPIC_TEXT });
  const cached = JSON.stringify(body.system ?? '').includes('cache_control');
  return {
    id: `msg_fake${String(n).padStart(4, '0')}`,
    type: 'message',
    role: 'assistant',
    model: body.model === MODEL ? MODEL_SNAPSHOT : body.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { ...(cached ? USAGE.cached : USAGE.plain), service_tier: 'standard' },
  };
}

async function stream(res: ServerResponse, message: Json, streamError: string | undefined): Promise<void> {
  startEventStream(res, { 'request-id': `req_fake${String(message.id)}` });
  const send = async (type: string, data: Json): Promise<void> => {
    writeNamedEvent(res, type, { type, ...data });
    await sleep(EVENT_DELAY_MS);
  };
  const usage = message.usage as Json;
  await send('message_start', { message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } });
  await sleep(FIRST_EVENT_DELAY_MS);
  let deltas = 0;
  for (const [index, block] of (message.content as Json[]).entries()) {
    const empty = block.type === 'text' ? { type: 'text', text: '' } : block.type === 'thinking' ? { type: 'thinking', thinking: '' } : { ...block, input: {} };
    await send('content_block_start', { index, content_block: empty });
    if (index === 0) await send('ping', {});
    for (const delta of blockDeltas(block)) {
      if (streamError && ++deltas > 2) {
        await send('error', { error: { type: streamError, message: 'Overloaded' } });
        res.end();
        return;
      }
      await send('content_block_delta', { index, delta });
    }
    await send('content_block_stop', { index });
  }
  await send('message_delta', { delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
  await send('message_stop', {});
  res.end();
}

function blockDeltas(block: Json): Json[] {
  if (block.type === 'text') return words(String(block.text)).map((text) => ({ type: 'text_delta', text }));
  if (block.type === 'thinking') return [...words(String(block.thinking)).map((thinking) => ({ type: 'thinking_delta', thinking })), { type: 'signature_delta', signature: block.signature }];
  const json = JSON.stringify(block.input);
  const out: Json[] = [];
  for (let i = 0; i < json.length; i += 6) out.push({ type: 'input_json_delta', partial_json: json.slice(i, i + 6) });
  return out;
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { type: 'error', error: { type, message }, request_id: 'req_fake_error' }, { 'request-id': 'req_fake_error' });
}
