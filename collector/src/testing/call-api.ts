/** One JSON API call as a given session or key, for route tests: status, parsed body (or null), headers. */
import type { TestCollector } from './test-collector.ts';

export interface ApiAnswer {
  status: number;
  body: any;
  headers: Headers;
}

export async function callApi(
  collector: TestCollector,
  method: string,
  pathname: string,
  options: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${collector.url}${pathname}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}
