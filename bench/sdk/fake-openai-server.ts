/**
 * A fake OpenAI server for the SDK bench, run in its own process (its CPU is not the SDKs'): answers
 * `POST /v1/chat/completions` (non-streaming) in the Chat Completions wire format, with `usage`.
 * The answer is prose of about `max_completion_tokens` (or `max_tokens`) x 4 characters, starting
 * with `bench-answer-` (the sink counts that marker to check that answers were exported), seeded by
 * the prompt's length so the same request always gets the same answer. Prints its port.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom, text } from '../random.ts';

const CREATED = 1_760_000_000;
let completions = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    if (req.method !== 'POST' || !req.url?.startsWith('/v1/chat/completions')) return send(res, 404, { error: { message: 'not found', type: 'invalid_request_error', param: null, code: null } });
    send(res, 200, completion(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest));
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));

interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  max_tokens?: number;
  max_completion_tokens?: number;
}

function completion(request: ChatRequest) {
  const prompt = request.messages.map((message) => message.content).join('\n');
  const budget = request.max_completion_tokens ?? request.max_tokens ?? 256;
  const answer = `bench-answer-${completions} ${text(seededRandom(prompt.length), budget * 4)}`;
  const promptTokens = Math.ceil(prompt.length / 4);
  const completionTokens = Math.ceil(answer.length / 4);
  return {
    id: `chatcmpl-bench${++completions}`,
    object: 'chat.completion',
    created: CREATED,
    model: `${request.model}-2024-07-18`,
    choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_bench',
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(json)), 'x-request-id': `req_bench${completions}` });
  res.end(json);
}
