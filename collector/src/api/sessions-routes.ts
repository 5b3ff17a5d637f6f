/** GET /api/v1/sessions (most recently active first) and GET /api/v1/sessions/:sessionId. */
import Router from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import type { Knex } from 'knex';
import { projectAccessOf, type Guards } from '../access/guards.ts';
import { notFound } from '../http-error.ts';
import { keysetPage, newestFirst } from './keyset-page.ts';
import { limitParam, stringParam, timeParam } from './query-params.ts';
import { isoSql, toTraceSummary, traceSummaryColumns } from './trace-summary.ts';

function sessionColumns(db: Knex) {
  return [
    'session_id', 'project_id', 'user_id', 'trace_count', 'span_count', 'llm_call_count', 'error_count',
    'input_tokens', 'output_tokens', 'total_tokens', 'total_cost_usd', 'models',
    db.raw(`${isoSql('start_time')} AS start_iso`),
    db.raw(`${isoSql('end_time')} AS end_iso`),
    db.raw('(extract(epoch FROM end_time - start_time) * 1000)::float8 AS duration_ms'),
  ];
}

function toSession(row: Record<string, any>) {
  return {
    session_id: row.session_id,
    project_id: row.project_id,
    user_id: row.user_id,
    start_time: row.start_iso,
    end_time: row.end_iso,
    duration_ms: Number(row.duration_ms),
    trace_count: Number(row.trace_count),
    span_count: Number(row.span_count),
    llm_call_count: Number(row.llm_call_count),
    error_count: Number(row.error_count),
    input_tokens: Number(row.input_tokens),
    output_tokens: Number(row.output_tokens),
    total_tokens: Number(row.total_tokens),
    total_cost_usd: Number(row.total_cost_usd),
    models: row.models,
  };
}

export function sessionsRoutes(db: Knex, guards: Guards): Router {
  const router = new Router(ROUTE_MATCHING);
  const reader = guards.project('project:read');

  router.get('/api/v1/sessions', reader, async (ctx) => {
    const { tenantId, projectId } = projectAccessOf(ctx);
    const q = ctx.query;
    const query = db('sessions').select(sessionColumns(db)).where({ tenant_id: tenantId, project_id: projectId });
    const from = timeParam(q, 'from');
    const to = timeParam(q, 'to');
    if (from) query.where('end_time', '>=', from);
    if (to) query.where('start_time', '<', to);
    const userId = stringParam(q, 'user_id');
    if (userId !== null) query.where('user_id', userId);
    ctx.body = await keysetPage(query, newestFirst('end_time', 'session_id'), limitParam(q), q.cursor, toSession);
  });

  router.get('/api/v1/sessions/:sessionId', reader, async (ctx) => {
    const { tenantId, projectId } = projectAccessOf(ctx);
    const sessionId = ctx.params.sessionId;
    const scope = { tenant_id: tenantId, project_id: projectId, session_id: sessionId };
    const session = await db('sessions').select(sessionColumns(db)).where(scope).first();
    if (!session) throw notFound(`session ${sessionId} not found in this project`);
    // A session replays in order: its traces oldest first (capped; the traces API pages further).
    const traces = await db('trace_summaries').select(traceSummaryColumns(db)).where(scope).orderBy([{ column: 'start_time' }, { column: 'trace_id' }]).limit(1000);
    ctx.body = { session: toSession(session), traces: traces.map(toTraceSummary) };
  });

  return router;
}
