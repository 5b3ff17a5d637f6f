/**
 * The dashboard's metrics, served by the analytics query layer (chDB or Tinybird pipes):
 *   GET /api/v1/metrics/usage?from&to&granularity&group_by   requests, tokens, cost, errors, latency per bucket
 *   GET /api/v1/metrics/models?from&to                       usage and cost per provider and model
 *   GET /api/v1/metrics/latency?from&to&model                latency percentiles of model calls per model
 *   GET /api/v1/metrics/errors?from&to&granularity           spans, errors and error rate per bucket
 *   GET /api/v1/metrics/top-users?from&to&limit              users by cost
 *   GET /api/v1/metrics/top-sessions?from&to&limit           sessions by cost
 *   GET /api/v1/metrics/cost-by-project?from&to              per project (tenant owners/admins see every project)
 * Each model call counts once (counts_usage); ranges default to the last 24 hours.
 */
import Router from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import type { Context } from 'koa';
import type { ParsedUrlQuery } from 'node:querystring';
import { projectAccessOf, type Guards } from '../access/guards.ts';
import { roleAtLeast } from '../access/permissions.ts';
import { badRequest } from '../http-error.ts';
import type { AnalyticsStore, TimeRange, UsageGroupBy } from '../stores/analytics/analytics-store.ts';
import { enumParam, stringParam, timeParam } from './query-params.ts';

const GRANULARITY_SECONDS = { minute: 60, hour: 3600, day: 86_400 } as const;
const GROUP_BY: readonly UsageGroupBy[] = ['none', 'model', 'provider', 'service', 'type', 'user'];
/** A range is cut in at most this many buckets; `auto` picks the finest granularity within 200. */
const MAX_BUCKETS = 1500;
const DAY_MS = 86_400_000;

function rangeOf(query: ParsedUrlQuery): TimeRange {
  const to = timeParam(query, 'to') ?? new Date();
  const from = timeParam(query, 'from') ?? new Date(to.getTime() - DAY_MS);
  if (from >= to) throw badRequest('from must be before to');
  return { fromMs: from.getTime(), toMs: to.getTime() };
}

function bucketSecondsOf(query: ParsedUrlQuery, range: TimeRange): number {
  const requested = enumParam(query, 'granularity', ['auto', 'minute', 'hour', 'day'] as const) ?? 'auto';
  const span = range.toMs - range.fromMs;
  if (requested !== 'auto') {
    const seconds = GRANULARITY_SECONDS[requested];
    if (span / (seconds * 1000) > MAX_BUCKETS) throw badRequest(`granularity ${requested} gives more than ${MAX_BUCKETS} buckets for this range: choose a coarser one or a shorter range`);
    return seconds;
  }
  const fine = (['minute', 'hour', 'day'] as const).find((g) => span / (GRANULARITY_SECONDS[g] * 1000) <= 200);
  if (!fine && span / (GRANULARITY_SECONDS.day * 1000) > MAX_BUCKETS) throw badRequest(`the range spans more than ${MAX_BUCKETS} days: choose a shorter range`);
  return GRANULARITY_SECONDS[fine ?? 'day'];
}

function limitOf(query: ParsedUrlQuery): number {
  const raw = stringParam(query, 'limit', 4);
  const limit = raw === null ? 10 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw badRequest(`limit must be an integer from 1 to 100, got "${raw}"`);
  return limit;
}

const window = (range: TimeRange) => ({ from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString() });

export function metricsRoutes(analytics: AnalyticsStore, guards: Guards): Router {
  const router = new Router(ROUTE_MATCHING);
  const reader = guards.project('project:read');
  const scope = (ctx: Context) => {
    const { tenantId, projectId } = projectAccessOf(ctx);
    return { tenantId, projectId };
  };

  router.get('/api/v1/metrics/usage', reader, async (ctx) => {
    const range = rangeOf(ctx.query);
    const bucketSeconds = bucketSecondsOf(ctx.query, range);
    const groupBy = enumParam(ctx.query, 'group_by', GROUP_BY) ?? 'none';
    const rows = await analytics.query('usage_over_time', { ...scope(ctx), ...range, bucketSeconds, groupBy });
    // The group is named after what it groups by: {"model": "gpt-4o", ...}.
    const data = rows.map(({ group, ...row }) => (groupBy === 'none' ? row : { [groupBy === 'user' ? 'user_id' : groupBy]: group, ...row }));
    ctx.body = { ...window(range), bucket_seconds: bucketSeconds, group_by: groupBy, data };
  });

  router.get('/api/v1/metrics/models', reader, async (ctx) => {
    const range = rangeOf(ctx.query);
    ctx.body = { ...window(range), data: await analytics.query('model_breakdown', { ...scope(ctx), ...range }) };
  });

  router.get('/api/v1/metrics/latency', reader, async (ctx) => {
    const range = rangeOf(ctx.query);
    const model = stringParam(ctx.query, 'model') ?? undefined;
    ctx.body = { ...window(range), data: await analytics.query('latency_percentiles', { ...scope(ctx), ...range, model }) };
  });

  router.get('/api/v1/metrics/errors', reader, async (ctx) => {
    const range = rangeOf(ctx.query);
    const bucketSeconds = bucketSecondsOf(ctx.query, range);
    ctx.body = { ...window(range), bucket_seconds: bucketSeconds, data: await analytics.query('error_rate', { ...scope(ctx), ...range, bucketSeconds }) };
  });

  router.get('/api/v1/metrics/top-users', reader, async (ctx) => {
    const range = rangeOf(ctx.query);
    ctx.body = { ...window(range), data: await analytics.query('top_users', { ...scope(ctx), ...range, limit: limitOf(ctx.query) }) };
  });

  router.get('/api/v1/metrics/top-sessions', reader, async (ctx) => {
    const range = rangeOf(ctx.query);
    ctx.body = { ...window(range), data: await analytics.query('top_sessions', { ...scope(ctx), ...range, limit: limitOf(ctx.query) }) };
  });

  router.get('/api/v1/metrics/cost-by-project', reader, async (ctx) => {
    const range = rangeOf(ctx.query);
    const { tenantId, projectId } = scope(ctx);
    // Tenant owners and admins see every project of the tenant; everyone else their own project.
    const { role } = projectAccessOf(ctx);
    const tenantWide = role !== null && roleAtLeast(role, 'admin');
    ctx.body = { ...window(range), data: await analytics.query('cost_by_project', { tenantId, projectId: tenantWide ? undefined : projectId, ...range }) };
  });

  return router;
}
