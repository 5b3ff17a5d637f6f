/**
 * `POST /v0/datasources/<name>/delete` and `GET /v0/jobs/<id>`, as the Data Sources API documents
 * them: `delete_condition` (form body or query) is a SQL filter, checked by selecting with it (400
 * `Failed to apply delete_condition=…` when it does not run); `dry_run=true` answers 200
 * `{rows_to_be_deleted}`; otherwise 201 with the job `{id, job_id, job_url, job, status, delete_id}`.
 * An unknown datasource is a 400, as on Tinybird; too many active delete jobs a 429. The token needs
 * DATASOURCES:CREATE or ADMIN (a JWT never deletes); the jobs API reads with the same tokens.
 */
import type { DoubleContext } from './double-context.ts';
import { errorReply, type Reply } from './http-reply.ts';
import { quarantineTableName } from './quarantine.ts';
import type { Body } from './request-body.ts';
import type { Grant } from './token-auth.ts';

/** Static ADMIN or DATASOURCES:CREATE: the tokens Tinybird accepts for deletes. */
function canDelete(grant: Grant): boolean {
  return grant.kind === 'static' && (grant.scopes.includes('ADMIN') || grant.scopes.includes('DATASOURCES:CREATE'));
}

/** The table behind a datasource name (its `_quarantine` too), or null. */
function tableOf(ctx: DoubleContext, name: string): string | null {
  if (ctx.db.tables.has(name)) return name;
  const base = name.endsWith('_quarantine') ? name.slice(0, -'_quarantine'.length) : null;
  return base !== null && ctx.db.tables.has(base) ? quarantineTableName(base) : null;
}

export async function deleteEndpoint(ctx: DoubleContext, url: URL, grant: Grant, body: Body, host: string): Promise<Reply> {
  if (!canDelete(grant)) return errorReply(403, 'Not enough permissions to delete rows: use a token with DATASOURCES:CREATE or ADMIN scope');
  if (!body.ok) return errorReply(body.status, body.error);
  const name = decodeURIComponent(/^\/v0\/datasources\/([^/]+)\/delete$/.exec(url.pathname)![1]);
  const form = new URLSearchParams(body.text);
  const argument = (key: string) => form.get(key) ?? url.searchParams.get(key);
  const table = tableOf(ctx, name);
  if (table === null) return errorReply(400, `Data Source "${name}" does not exist, can not delete a non existing Data Source`);
  const condition = argument('delete_condition')?.trim();
  if (!condition) return errorReply(400, 'The delete_condition parameter is mandatory');
  let matching: number;
  try {
    const [{ n }] = await ctx.db.rows(`SELECT count() AS n FROM ${table} WHERE (${condition})`);
    matching = Number(n);
  } catch (err) {
    return errorReply(400, `Failed to apply delete_condition='${condition}': ${(err as Error).message.split('\n')[0]}`);
  }
  if (argument('dry_run') === 'true') return { status: 200, body: { rows_to_be_deleted: matching } };
  if (ctx.jobs.active() >= ctx.maxActiveDeleteJobs) return errorReply(429, `You have reached the maximum number of delete jobs (${ctx.maxActiveDeleteJobs})`);
  const job = ctx.jobs.start(table, condition, host);
  return { status: 201, body: { id: job.id, job_id: job.job_id, job_url: job.job_url, job, status: job.status, delete_id: job.id } };
}

export function jobsEndpoint(ctx: DoubleContext, url: URL, grant: Grant): Reply {
  if (!canDelete(grant)) return errorReply(403, 'Not enough permissions to read jobs');
  const id = decodeURIComponent(url.pathname.slice('/v0/jobs/'.length));
  const job = ctx.jobs.get(id);
  return job ? { status: 200, body: job } : errorReply(404, `Job "${id}" not found`);
}
