/** GET /api/v1/traces (sortable, keyset pagination; newest first by default) and GET /api/v1/traces/:traceId. */
import type { ParsedUrlQuery } from 'node:querystring';
import Router from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import type { Knex } from 'knex';
import { projectAccessOf, type Guards } from '../access/guards.ts';
import { badRequest, notFound } from '../http-error.ts';
import type { AnalyticsStore } from '../stores/analytics/analytics-store.ts';
import { keysetPage, type SortKey } from './keyset-page.ts';
import { scoreColumns, toScore } from './scores-routes.ts';
import { enumParam, limitParam, stringParam, timeParam } from './query-params.ts';
import { toTraceSummary, traceSummaryColumns } from './trace-summary.ts';

const TRACE_ID = /^[0-9a-f]{32}$/;

/**
 * What the list sorts by: each a non-null expression over trace_summaries, exact as text, with an index
 * on (project_id, expression, trace_id) (migration 0014), and compared as its column's own type so the
 * cursor condition can use that index.
 */
const SORTS = {
  start_time: { value: 'start_time', type: 'timestamptz' },
  duration_ms: { value: 'extract(epoch FROM end_time - start_time)', type: 'numeric' },
  total_cost_usd: { value: 'total_cost_usd', type: 'numeric' },
  total_tokens: { value: 'total_tokens', type: 'bigint' },
} as const;
const SORT_NAMES = Object.keys(SORTS) as (keyof typeof SORTS)[];

function sortKey(q: ParsedUrlQuery): SortKey {
  const sort = enumParam(q, 'sort', SORT_NAMES) ?? 'start_time';
  const order = enumParam(q, 'order', ['desc', 'asc'] as const) ?? 'desc';
  return { name: `${sort}:${order}`, ...SORTS[sort], order, id: 'trace_id' };
}

export function traceId(raw: string): string {
  const id = raw.toLowerCase();
  if (!TRACE_ID.test(id)) throw badRequest('traceId must be 32 hex characters');
  return id;
}

export function tracesRoutes(db: Knex, analytics: AnalyticsStore, guards: Guards): Router {
  const router = new Router(ROUTE_MATCHING);
  const reader = guards.project('project:read');

  router.get('/api/v1/traces', reader, async (ctx) => {
    const { tenantId, projectId } = projectAccessOf(ctx);
    const q = ctx.query;
    const sort = sortKey(q);
    const query = db('trace_summaries').select(traceSummaryColumns(db)).where({ tenant_id: tenantId, project_id: projectId });

    const from = timeParam(q, 'from');
    const to = timeParam(q, 'to');
    if (from) query.where('start_time', '>=', from);
    if (to) query.where('start_time', '<', to);
    for (const column of ['session_id', 'user_id', 'conversation_id'] as const) {
      const value = stringParam(q, column);
      if (value !== null) query.where(column, value);
    }
    const model = stringParam(q, 'model');
    if (model !== null) query.whereRaw('models @> ARRAY[?]::text[]', [model]);
    const tag = stringParam(q, 'tag');
    if (tag !== null) query.whereRaw('tags @> ARRAY[?]::text[]', [tag]);
    const status = enumParam(q, 'status', ['ok', 'error', 'unset'] as const);
    // A literal, not a bound 0: the planner must see the partial index's own predicate (migration 0015).
    if (status === 'error') query.whereRaw('error_count > 0');
    if (status === 'ok') query.where('error_count', 0).where('ok_count', '>', 0);
    if (status === 'unset') query.where({ error_count: 0, ok_count: 0 });
    const text = stringParam(q, 'q', 200);
    if (text !== null) {
      const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.where((w) => w.whereILike('name', pattern).orWhereILike('input_preview', pattern).orWhereILike('output_preview', pattern));
    }
    ctx.body = await keysetPage(query, sort, limitParam(q), q.cursor, toTraceSummary);
  });

  router.get('/api/v1/traces/:traceId', reader, async (ctx) => {
    const { tenantId, projectId } = projectAccessOf(ctx);
    const id = traceId(ctx.params.traceId);
    const row = await db('trace_summaries').select(traceSummaryColumns(db)).where({ tenant_id: tenantId, project_id: projectId, trace_id: id }).first();
    if (!row) throw notFound(`trace ${id} not found in this project`);
    const [spans, scores] = await Promise.all([
      analytics.query('trace_spans', { tenantId, projectId, traceId: id }),
      db('scores').select(scoreColumns(db)).where({ tenant_id: tenantId, project_id: projectId, trace_id: id }).orderBy('created_at'),
    ]);
    ctx.body = { trace: toTraceSummary(row), spans, scores: scores.map(toScore) };
  });

  return router;
}
