/** Every view's URL, in one place: pages link with these, and the URL is the deep link. */
export const paths = {
  login: '/login',
  traces: (projectId: string) => `/projects/${projectId}/traces`,
  trace: (projectId: string, traceId: string, spanId?: string) =>
    `/projects/${projectId}/traces/${encodeURIComponent(traceId)}${spanId ? `?span=${encodeURIComponent(spanId)}` : ''}`,
  sessions: (projectId: string) => `/projects/${projectId}/sessions`,
  session: (projectId: string, sessionId: string) => `/projects/${projectId}/sessions/${encodeURIComponent(sessionId)}`,
  users: (projectId: string) => `/projects/${projectId}/users`,
  metrics: (projectId: string) => `/projects/${projectId}/metrics`,
  settings: (projectId: string, section = 'keys') => `/projects/${projectId}/settings/${section}`,
  invitation: (token: string) => `/invitations/${encodeURIComponent(token)}`,
};
