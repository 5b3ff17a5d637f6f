/**
 * GET /api/v1/metrics/usage?from&to&granularity&group_by: requests, tokens, cost, errors and latency
 * percentiles per time bucket, from the analytics store. Each model call counts once (counts_usage).
 */
import Router, { type RouterMiddleware } from '@koa/router';
import type { ProjectScope } from '../auth/authenticate.ts';
import { badRequest } from '../http-error.ts';
import type { AnalyticsStore, UsageGroupBy } from '../stores/analytics/analytics-store.ts';
import { enumParam, timeParam } from './query-params.ts';

const GRANULARITY_SECONDS = { minute: 60, hour: 3600, day: 86_400 } as const;
type Granularity = keyof typeof GRANULARITY_SECONDS;
const GROUP_BY: readonly UsageGroupBy[] = ['none', 'model', 'provider', 'service', 'type'];
/** A range is cut in at most this many buckets; `auto` picks the finest granularity within it. */
const MAX_BUCKETS = 1500;
const DAY_MS = 86_400_000;

function pickGranularity(rangeMs: number, requested: Granularity | 'auto'): number {
  if (requested !== 'auto') {
    const seconds = GRANULARITY_SECONDS[requested];
    if (rangeMs / (seconds * 1000) > MAX_BUCKETS) throw badRequest(`granularity ${requested} gives more than ${MAX_BUCKETS} buckets for this range: choose a coarser one or a shorter range`);
    return seconds;
  }
  const fine = (['minute', 'hour', 'day'] as const).find((g) => rangeMs / (GRANULARITY_SECONDS[g] * 1000) <= 200);
  return GRANULARITY_SECONDS[fine ?? 'day'];
}

export function metricsRoutes(analytics: AnalyticsStore, requireReader: RouterMiddleware): Router {
  const router = new Router();
  router.get('/api/v1/metrics/usage', requireReader, async (ctx) => {
    const { tenantId, projectId } = ctx.state.auth.project as ProjectScope;
    const to = timeParam(ctx.query, 'to') ?? new Date();
    const from = timeParam(ctx.query, 'from') ?? new Date(to.getTime() - DAY_MS);
    if (from >= to) throw badRequest('from must be before to');
    const granularity = enumParam(ctx.query, 'granularity', ['auto', 'minute', 'hour', 'day'] as const) ?? 'auto';
    const groupBy = enumParam(ctx.query, 'group_by', GROUP_BY) ?? 'none';
    const bucketSeconds = pickGranularity(to.getTime() - from.getTime(), granularity);
    const rows = await analytics.query('usage_over_time', { tenantId, projectId, fromMs: from.getTime(), toMs: to.getTime(), bucketSeconds, groupBy });
    ctx.body = {
      from: from.toISOString(),
      to: to.toISOString(),
      bucket_seconds: bucketSeconds,
      group_by: groupBy,
      // The group is named after what it groups by: {"model": "gpt-4o", ...}.
      data: rows.map(({ group, ...row }) => (groupBy === 'none' ? row : { [groupBy]: group, ...row })),
    };
  });
  return router;
}
