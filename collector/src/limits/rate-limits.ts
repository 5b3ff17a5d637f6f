/**
 * The collector's four request limits (requests per minute, 0 disables one; defaults and why in
 * config.ts), and where app.ts puts them:
 * - ingestion per client IP: before the API key is verified (cheap; blunts key guessing);
 * - ingestion per tenant: right after the key named the tenant, before any body byte is read;
 * - JSON API per client IP: before the API routers and the JSON body parser;
 * - JSON API per tenant: inside the guards, once they resolved the tenant (access/guards.ts). Routes
 *   that act on no tenant (instance administration, the caller's own account) are limited per IP only.
 * Health checks and the dashboard's static assets are not limited.
 */
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import type { Access } from '../access/guards.ts';
import type { AdmissionContext, AdmissionStep } from '../app/admission-context.ts';
import type { RateLimitsConfig } from '../config.ts';
import { clientNetwork } from './client-network.ts';
import { asMiddleware, rateLimitCheck, type LimiterSource, type RateLimitCheck } from './rate-limit.ts';

export interface RateLimits {
  /** Ingestion steps: over HTTP and gRPC alike (app/ingest-admission.ts). */
  ingestPerIp: AdmissionStep;
  ingestPerTenant: AdmissionStep;
  apiPerIp: (ctx: Context, next: Next) => Promise<void>;
  /** The hook the guards run once ctx.state.access is set. */
  apiPerTenant: RateLimitCheck;
}

/** ctx.ip is the socket's address, or X-Forwarded-For's client with OBSERVA_TRUST_PROXY; IPv6 counts per /64. */
const clientIp = (ctx: AdmissionContext) => (ctx.ip ? clientNetwork(ctx.ip) : null);
const tenantOf = (ctx: AdmissionContext) => (ctx.state.access as Access | undefined)?.tenantId || null;

export function createRateLimits(config: RateLimitsConfig, store: LimiterSource, log: Logger): RateLimits {
  const apiPerIp = asMiddleware(rateLimitCheck({ name: 'api-ip', scope: 'API', subject: 'client IP', perMinute: config.apiPerIp, keyOf: clientIp }, store, log));
  return {
    ingestPerIp: asMiddleware(rateLimitCheck({ name: 'ingest-ip', scope: 'ingestion', subject: 'client IP', perMinute: config.ingestPerIp, keyOf: clientIp }, store, log)),
    ingestPerTenant: asMiddleware(rateLimitCheck({ name: 'ingest-tenant', scope: 'ingestion', subject: 'tenant', perMinute: config.ingestPerTenant, keyOf: tenantOf }, store, log)),
    // Only the JSON API counts per IP: the dashboard's pages and assets pass uncounted.
    apiPerIp: (ctx, next) => (ctx.path.startsWith('/api/') ? apiPerIp(ctx, next) : next()),
    apiPerTenant: rateLimitCheck({ name: 'api-tenant', scope: 'API', subject: 'tenant', perMinute: config.apiPerTenant, keyOf: tenantOf }, store, log),
  };
}
