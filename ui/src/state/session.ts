/** Who is signed in and which projects they see, loaded once after login and on reload. */
import { computed, signal } from '@preact/signals';
import { get, post, whenUnauthorized } from '../api/client.ts';
import type { Me, Project } from '../api/types.ts';

export const me = signal<Me | null>(null);
export const projects = signal<Project[]>([]);
/** 'unknown' until the first /auth/me answers. */
export const authState = signal<'unknown' | 'signed-in' | 'signed-out'>('unknown');

export const projectById = computed(() => new Map(projects.value.map((p) => [p.id, p])));

export async function loadSession(): Promise<void> {
  try {
    const [who, list] = await Promise.all([get<Me>('/api/v1/auth/me'), get<{ data: Project[] }>('/api/v1/projects')]);
    me.value = who;
    projects.value = list.data;
    authState.value = 'signed-in';
  } catch {
    signOutLocally();
  }
}

export async function signIn(email: string, password: string): Promise<void> {
  await post('/api/v1/auth/login', { email, password });
  await loadSession();
}

export async function signOut(): Promise<void> {
  try {
    await post('/api/v1/auth/logout');
  } finally {
    signOutLocally();
  }
}

function signOutLocally(): void {
  me.value = null;
  projects.value = [];
  authState.value = 'signed-out';
}

whenUnauthorized(signOutLocally);

/** The signed-in user's role in a tenant (null: not a member). */
export function roleIn(tenantId: string): string | null {
  return me.value?.tenants.find((t) => t.id === tenantId)?.role ?? null;
}
