/**
 * A delete selector as ClickHouse conditions, validated once for every backend. chDB binds the values
 * as parameters; Tinybird's delete API takes the condition as SQL text, so there each value is
 * written by `sqlString` from a validated value only: strict ids as plain quoted literals, free-form
 * ids (session, end user) hex-encoded (`unhex('…')`), times as integers. Nothing is concatenated as given.
 */
import type { CanonicalEvent } from '../../events/canonical-event.ts';
import { AnalyticsDeleteError, type DeleteSelector } from './analytics-store.ts';

/** Tenant and project ids (uuids in the control plane; test scopes add a prefix). */
const SCOPE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const TRACE_ID = /^[0-9a-f]{32}$/;
/** The canonical event schema's limit for session_id and user_id. */
const MAX_FREE_ID = 512;
/** Trace ids in one delete: keeps one Tinybird condition well under its request limits. */
export const MAX_TRACE_IDS_PER_DELETE = 500;

type Clause =
  | { column: 'tenant_id' | 'project_id' | 'session_id' | 'user_id'; op: '='; value: string }
  | { column: 'trace_id'; op: 'IN'; value: readonly string[] }
  | { column: 'start_time'; op: '<'; value: number };

const refuse = (message: string) => new AnalyticsDeleteError(`invalid delete selector: ${message}`, false);

function freeId(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_FREE_ID) throw refuse(`${name} must be a non-empty string of at most ${MAX_FREE_ID} characters`);
  return value;
}

/** The selector's conditions, tenant and project first; throws a permanent AnalyticsDeleteError when it is malformed. */
function deleteClauses(selector: DeleteSelector): Clause[] {
  const { tenantId, projectId } = selector;
  if (typeof tenantId !== 'string' || !SCOPE_ID.test(tenantId)) throw refuse('tenantId must be 1-64 letters, digits, "_" or "-"');
  if (typeof projectId !== 'string' || !SCOPE_ID.test(projectId)) throw refuse('projectId must be 1-64 letters, digits, "_" or "-"');
  const targets = (['traceIds', 'sessionId', 'userId', 'olderThan', 'wholeProject'] as const).filter((k) => k in selector);
  if (targets.length !== 1) throw refuse(`name exactly one of traceIds, sessionId, userId, olderThan, wholeProject (got ${targets.join(', ') || 'none'})`);
  const clauses: Clause[] = [{ column: 'tenant_id', op: '=', value: tenantId }, { column: 'project_id', op: '=', value: projectId }];
  if ('traceIds' in selector) {
    const ids = selector.traceIds;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_TRACE_IDS_PER_DELETE) throw refuse(`traceIds must list 1 to ${MAX_TRACE_IDS_PER_DELETE} trace ids`);
    const bad = ids.find((id) => typeof id !== 'string' || !TRACE_ID.test(id));
    if (bad !== undefined) throw refuse(`trace id ${JSON.stringify(bad)} is not 32 lowercase hex characters`);
    clauses.push({ column: 'trace_id', op: 'IN', value: ids });
  } else if ('sessionId' in selector) {
    clauses.push({ column: 'session_id', op: '=', value: freeId('sessionId', selector.sessionId) });
  } else if ('userId' in selector) {
    clauses.push({ column: 'user_id', op: '=', value: freeId('userId', selector.userId) });
  } else if ('olderThan' in selector) {
    const at = selector.olderThan;
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw refuse('olderThan must be a valid Date');
    clauses.push({ column: 'start_time', op: '<', value: at.getTime() });
  } else if (selector.wholeProject !== true) {
    throw refuse('wholeProject must be true');
  }
  return clauses;
}

/** The condition with `{pN:Type}` placeholders and their values, for chDB's bound queries. */
export function boundDeleteCondition(selector: DeleteSelector): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {};
  const sql = deleteClauses(selector).map((c, i) => {
    const name = `p${i}`;
    params[name] = c.value;
    if (c.op === 'IN') return `${c.column} IN {${name}:Array(String)}`;
    if (c.op === '<') return `${c.column} < fromUnixTimestamp64Milli({${name}:Int64}, 'UTC')`;
    return `${c.column} = {${name}:String}`;
  });
  return { sql: sql.join(' AND '), params };
}

/** A string literal no value can break out of: plain when it is only [A-Za-z0-9_-], else hex-encoded. */
function sqlString(value: string): string {
  return /^[A-Za-z0-9_-]+$/.test(value) ? `'${value}'` : `unhex('${Buffer.from(value, 'utf8').toString('hex')}')`;
}

/** The condition as SQL text, for Tinybird's `delete_condition`. */
export function literalDeleteCondition(selector: DeleteSelector): string {
  return deleteClauses(selector).map((c) => {
    if (c.op === 'IN') return `${c.column} IN (${c.value.map(sqlString).join(', ')})`;
    if (c.op === '<') return `${c.column} < fromUnixTimestamp64Milli(${Math.trunc(c.value)}, 'UTC')`;
    return `${c.column} = ${sqlString(c.value)}`;
  }).join(' AND ');
}

/** Whether a stored event is selected (the in-memory store); start times are RFC 3339 UTC there. */
export function eventMatcher(selector: DeleteSelector): (event: CanonicalEvent) => boolean {
  const clauses = deleteClauses(selector);
  return (event) => clauses.every((c) => {
    if (c.op === 'IN') return c.value.includes(event.trace_id);
    if (c.op === '<') return Date.parse(event.start_time) < c.value;
    return event[c.column] === c.value;
  });
}
