/**
 * Every router matches paths exactly: case-sensitive and without a tolerated trailing slash. The
 * middlewares in front of the routers (CSRF, per-IP limits, JSON bodies) decide by path, so the routers
 * must not answer spellings those checks do not recognise (`/API/v1/...`, `/api/v1/auth/login/`).
 */
export const ROUTE_MATCHING = { sensitive: true, strict: true } as const;
