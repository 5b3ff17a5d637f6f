/**
 * The shared fake OpenAI server (fixtures/fake-llm-server.ts: chat completions, embeddings) with
 * two additions, served in front of it rather than by editing it:
 * - `POST /v1/responses`, the Responses API (fake-responses-api.ts);
 * - failures on demand: a request with header `x-fake-status: 400` (any status >= 400) gets
 *   OpenAI's error body with that status, so the real client raises its own error class.
 * Every other request is piped to the shared server unchanged (SSE included, chunk by chunk).
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, listen, readBody, startFakeLlmServer } from '../../../../fixtures/fake-llm-server.ts';
import { handleResponses } from './fake-responses-api.ts';
import { isObject, requestedFailure, sendJson } from './http.ts';

export interface FakeOpenAIServer {
  /** `${url}/v1`, what OpenAI clients take as baseURL. */
  readonly baseURL: string;
  close(): Promise<void>;
}

export async function startFakeOpenAIServer(): Promise<FakeOpenAIServer> {
  const upstream = await startFakeLlmServer();
  let responses = 0;
  const server = createServer((req, res) => {
    void route(req, res, upstream.url, () => ++responses).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(err), type: 'server_error', param: null, code: null } });
      else res.end();
    });
  });
  await listen(server);
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    close: async () => {
      await closeServer(server);
      await upstream.close();
    },
  };
}

async function route(req: IncomingMessage, res: ServerResponse, upstream: string, nextResponse: () => number): Promise<void> {
  const failure = requestedFailure(req.headers['x-fake-status']);
  if (failure !== undefined) {
    await readBody(req);
    const type = failure >= 500 ? 'server_error' : 'invalid_request_error';
    sendJson(res, failure, { error: { message: `fake failure ${failure}`, type, param: null, code: null } }, { 'x-request-id': 'req_fake_error' });
    return;
  }
  if (req.method === 'POST' && (req.url ?? '').split('?')[0] === '/v1/responses') {
    const body: unknown = JSON.parse(await readBody(req));
    if (!isObject(body)) return sendJson(res, 400, { error: { message: 'body must be an object', type: 'invalid_request_error', param: null, code: null } });
    await handleResponses(body, res, nextResponse());
    return;
  }
  await pipe(req, res, upstream);
}

function pipe(req: IncomingMessage, res: ServerResponse, upstream: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const forward = request(`${upstream}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('end', resolve);
      answer.on('error', reject);
    });
    forward.on('error', reject);
    req.pipe(forward);
  });
}
