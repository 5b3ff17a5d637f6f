/**
 * `POST /v0/events?name=<datasource>[&wait=true]` (Events API reference): append scope required (a JWT
 * never ingests), unknown datasource 404, body over the limit 413, and
 * `{successful_rows, quarantined_rows}` with 200 once written (wait=true) or 202 (accepted). The double
 * writes before answering either way; on Tinybird a 202's rows may not be readable yet.
 */
import type { DoubleContext } from './double-context.ts';
import { errorReply, type Reply } from './http-reply.ts';
import { ingestNdjson } from './ingest.ts';
import type { Body } from './request-body.ts';
import type { DoubleRequest } from './request-log.ts';
import { canAppend, type Grant } from './token-auth.ts';

export async function eventsEndpoint(ctx: DoubleContext, url: URL, grant: Grant, body: Body, entry: DoubleRequest): Promise<Reply> {
  const name = url.searchParams.get('name');
  if (!name) return errorReply(400, 'The "name" parameter is required');
  if (!ctx.db.tables.has(name)) return errorReply(404, `Data Source "${name}" not found`);
  if (grant.kind === 'jwt') return errorReply(403, 'JWT tokens are for reads only: use a token with DATASOURCES:APPEND');
  if (!canAppend(grant, name)) return errorReply(403, `Not enough permissions to append to Data Source "${name}"`);
  if (!body.ok) return errorReply(body.status, body.error);
  if (body.text.trim() === '') return errorReply(400, 'Empty request body: send NDJSON, one event per line');
  const result = await ingestNdjson(ctx.db, name, body.text, ctx.faults.quarantineEvery);
  Object.assign(entry, { successfulRows: result.successful_rows, quarantinedRows: result.quarantined_rows, importId: result.importId });
  const status = url.searchParams.get('wait') === 'true' ? 200 : 202;
  return { status, body: { successful_rows: result.successful_rows, quarantined_rows: result.quarantined_rows } };
}
