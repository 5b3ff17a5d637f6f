/**
 * The dashboard's one way to the JSON API: same-origin fetch with the session cookie, the CSRF header
 * on writes (docs/api.md#authentication) and the current project as `x-observa-project-id`.
 * Errors become ApiError with the server's message, so every page can show what went wrong.
 */
import { currentProjectId } from '../state/project.ts';

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Called on 401 so the app can send the user to the login page. */
let onUnauthorized: () => void = () => {};
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

function csrfToken(): string | null {
  const match = document.cookie.match(/(?:^|;\s*)observa_csrf=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : null;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

/** `path?query`, skipping empty values. */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function api<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const projectId = currentProjectId.value;
  if (projectId) headers['x-observa-project-id'] = projectId;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const csrf = csrfToken();
    if (csrf) headers['x-observa-csrf'] = csrf;
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'The collector cannot be reached. Check that it is running.');
  }
  if (response.status === 401 && !path.startsWith('/api/v1/auth/login')) onUnauthorized();
  const text = await response.text();
  const json = text ? safeJson(text) : null;
  if (!response.ok) {
    const message = json?.error?.message ?? (text || response.statusText);
    throw new ApiError(response.status, message);
  }
  return json as T;
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) => api<T>('GET', withQuery(path, query), undefined, signal);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = <T>(path: string) => api<T>('DELETE', path);
