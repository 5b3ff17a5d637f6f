/**
 * POST /api/v1/scores: feedback or an evaluation on a trace (and optionally one of its spans), from
 * the SDK (`score()`, an ingest or read key) or a signed-in user. Sending the same `id` again updates
 * the score, so a thumbs-up changed to a thumbs-down stays one score; ids are per project.
 * GET /api/v1/scores lists them.
 */
import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import type { Knex } from 'knex';
import { projectAccessOf, type Guards } from '../access/guards.ts';
import { badRequest } from '../http-error.ts';
import { limitParam, stringParam } from './query-params.ts';
import { isoSql } from './trace-summary.ts';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIELDS = new Set(['id', 'trace_id', 'span_id', 'name', 'value', 'comment', 'source']);

/** Longest name, string value and comment of a score, in characters (also for scores from OTel evaluation events). */
export const SCORE_LIMITS = { name: 200, value: 500, comment: 5000 } as const;

export interface Score {
  id: string;
  trace_id: string;
  span_id: string | null;
  name: string;
  data_type: 'numeric' | 'boolean' | 'categorical';
  value: number | boolean | string;
  comment: string | null;
  /** 'otel': from a gen_ai.evaluation.result log event (pipeline/evaluation-score.ts). */
  source: 'api' | 'sdk' | 'ui' | 'otel';
  created_at: string;
}

/** Checks a score body, naming the first field that is wrong. */
function parseScore(body: unknown) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('send a JSON object {trace_id, name, value, ...}');
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).find((k) => !FIELDS.has(k));
  if (unknown) throw badRequest(`unknown field "${unknown}"`);
  if (b.id !== undefined && (typeof b.id !== 'string' || !UUID.test(b.id))) throw badRequest('id must be a UUID');
  const traceId = typeof b.trace_id === 'string' ? b.trace_id.toLowerCase() : '';
  if (!TRACE_ID.test(traceId)) throw badRequest('trace_id must be 32 hex characters');
  const spanId = typeof b.span_id === 'string' ? b.span_id.toLowerCase() : b.span_id ?? null;
  if (spanId !== null && (typeof spanId !== 'string' || !SPAN_ID.test(spanId))) throw badRequest('span_id must be 16 hex characters');
  if (typeof b.name !== 'string' || b.name.trim() === '' || b.name.length > SCORE_LIMITS.name) throw badRequest(`name must be a non-empty string of at most ${SCORE_LIMITS.name} characters`);
  const value = b.value;
  const valid = (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean' || (typeof value === 'string' && value.length > 0 && value.length <= SCORE_LIMITS.value);
  if (!valid) throw badRequest(`value must be a finite number, a boolean, or a string of 1 to ${SCORE_LIMITS.value} characters`);
  if (b.comment !== undefined && b.comment !== null && (typeof b.comment !== 'string' || b.comment.length > SCORE_LIMITS.comment)) throw badRequest(`comment must be a string of at most ${SCORE_LIMITS.comment} characters`);
  const source = b.source ?? 'api';
  if (source !== 'api' && source !== 'sdk' && source !== 'ui') throw badRequest('source must be api, sdk or ui');
  return {
    id: (b.id as string | undefined) ?? randomUUID(),
    trace_id: traceId,
    span_id: spanId as string | null,
    name: b.name.trim(),
    data_type: typeof value === 'number' ? 'numeric' : typeof value === 'boolean' ? 'boolean' : 'categorical',
    value_number: typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : null,
    value_string: typeof value === 'string' ? value : null,
    comment: (b.comment as string | null | undefined) ?? null,
    source,
  };
}

export function scoreColumns(db: Knex) {
  return ['id', 'trace_id', 'span_id', 'name', 'data_type', 'value_number', 'value_string', 'comment', 'source', db.raw(`${isoSql('created_at')} AS created_iso`)];
}

export function toScore(row: Record<string, any>): Score {
  const value = row.data_type === 'numeric' ? Number(row.value_number) : row.data_type === 'boolean' ? Number(row.value_number) === 1 : row.value_string;
  return { id: row.id, trace_id: row.trace_id, span_id: row.span_id, name: row.name, data_type: row.data_type, value, comment: row.comment, source: row.source, created_at: row.created_iso };
}

export function scoresRoutes(db: Knex, guards: Guards): Router {
  const router = new Router(ROUTE_MATCHING);

  router.post('/api/v1/scores', guards.project('scores:write'), async (ctx) => {
    const project = projectAccessOf(ctx);
    const score = parseScore(ctx.request.body);
    const row = {
      ...score,
      tenant_id: project.tenantId,
      project_id: project.projectId,
      created_by_user: project.userId,
      created_by_key: project.apiKeyId,
    };
    const existing = await db('scores').where({ tenant_id: project.tenantId, project_id: project.projectId, id: score.id }).first('id');
    const [stored] = await db('scores')
      .insert(row)
      .onConflict(['project_id', 'id'])
      .merge({ ...score, updated_at: db.fn.now() })
      .returning(scoreColumns(db));
    ctx.status = existing ? 200 : 201;
    ctx.body = toScore(stored);
  });

  router.get('/api/v1/scores', guards.project('project:read'), async (ctx) => {
    const { tenantId, projectId } = projectAccessOf(ctx);
    const query = db('scores').select(scoreColumns(db)).where({ tenant_id: tenantId, project_id: projectId });
    const traceIdParam = stringParam(ctx.query, 'trace_id', 32);
    if (traceIdParam !== null) query.where('trace_id', traceIdParam.toLowerCase());
    const name = stringParam(ctx.query, 'name', SCORE_LIMITS.name);
    if (name !== null) query.where('name', name);
    const rows = await query.orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limitParam(ctx.query));
    ctx.body = { data: rows.map(toScore) };
  });

  return router;
}
