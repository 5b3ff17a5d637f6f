/**
 * The project the dashboard is looking at. The URL is the source of truth (`/projects/:projectId/...`,
 * so a link opens the same project); this signal mirrors it for the API client, and the last one used
 * is remembered for `/`.
 */
import { signal } from '@preact/signals';

export const currentProjectId = signal<string | null>(null);

const LAST_PROJECT = 'observa.lastProject';

export function rememberProject(id: string): void {
  currentProjectId.value = id;
  try {
    localStorage.setItem(LAST_PROJECT, id);
  } catch {
    // Storage can be disabled; remembering is only a convenience.
  }
}

export function lastProject(): string | null {
  try {
    return localStorage.getItem(LAST_PROJECT);
  } catch {
    return null;
  }
}
