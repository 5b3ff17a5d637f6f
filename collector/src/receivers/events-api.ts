/**
 * POST /api/v1/events/ingest: canonical events as a JSON array or NDJSON. Each event is validated on
 * its own; invalid ones are reported by index with the reason, the valid ones are stored.
 */
import Router, { type RouterMiddleware } from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import type { AuthState } from '../auth/authenticate.ts';
import type { ApiKeyPrincipal } from '../auth/principal.ts';
import type { CanonicalEvent } from '../events/canonical-event.ts';
import { HttpError, badRequest } from '../http-error.ts';
import type { IngestPipeline } from '../pipeline/ingest.ts';
import { validateCanonicalEvent } from './canonical-event-validator.ts';
import { readBody } from './read-body.ts';

interface Rejection {
  index: number;
  reason: string;
}

/** An accepted event that was normalised (NUL replaced, string cut): the change, also kept on the event. */
interface Warning {
  index: number;
  warning: string;
}

/** A JSON array, a single object, or NDJSON (one event per line); a line that is not JSON is one rejection. */
function parseEvents(text: string): { items: unknown[]; rejected: Rejection[] } {
  const trimmed = text.trim();
  if (trimmed === '') return { items: [], rejected: [] };
  if (trimmed.startsWith('[')) {
    try {
      return { items: JSON.parse(trimmed) as unknown[], rejected: [] };
    } catch (err) {
      throw badRequest(`body is not valid JSON: ${(err as Error).message}`);
    }
  }
  try {
    return { items: [JSON.parse(trimmed)], rejected: [] }; // one (possibly pretty-printed) event
  } catch {
    // not one JSON document: read it as NDJSON below
  }
  const items: unknown[] = [];
  const rejected: Rejection[] = [];
  trimmed.split('\n').forEach((line, index) => {
    try {
      items.push(JSON.parse(line));
    } catch {
      items.push(undefined);
      rejected.push({ index, reason: `line ${index + 1} is not valid JSON` });
    }
  });
  return { items, rejected };
}

export function eventsApi(pipeline: IngestPipeline, admit: RouterMiddleware[], maxBodyBytes: number): Router {
  const router = new Router(ROUTE_MATCHING);
  router.post('/api/v1/events/ingest', ...admit, async (ctx) => {
    const type = ctx.request.type;
    if (type && !['application/json', 'application/x-ndjson', 'application/ndjson', 'application/jsonl', 'text/plain'].includes(type)) {
      throw new HttpError(415, `unsupported Content-Type "${type}": send application/json (an array) or application/x-ndjson`);
    }
    const body = await readBody(ctx.req, maxBodyBytes);
    const { items, rejected } = parseEvents(body.bytes.toString('utf8'));
    const valid: CanonicalEvent[] = [];
    // Per valid event: its request index and what validation changed (the pipeline adds what normalising did).
    const accepted: { index: number; warnings: string[] }[] = [];
    items.forEach((item, index) => {
      if (item === undefined) return;
      const result = validateCanonicalEvent(item);
      if ('reason' in result) {
        rejected.push({ index, reason: `event ${index}: ${result.reason}` });
        return;
      }
      valid.push(result.event);
      accepted.push({ index, warnings: result.warnings });
    });
    rejected.sort((a, b) => a.index - b.index);
    if (valid.length === 0 && rejected.length > 0) {
      ctx.status = 400;
      ctx.body = { error: { status: 400, message: `all ${rejected.length} events were rejected` }, accepted: 0, rejected };
      return;
    }
    const principal = (ctx.state.auth as AuthState).principal as ApiKeyPrincipal;
    const result = await pipeline.ingestEvents(principal, valid, body.wireBytes);
    const warnings: Warning[] = accepted.flatMap(({ index, warnings: own }, i) =>
      [...own, ...result.warnings[i]].map((warning) => ({ index, warning: `event ${index}: ${warning}` })));
    ctx.body = { accepted: valid.length, duplicates: result.duplicates, rejected, ...(warnings.length > 0 ? { warnings } : {}) };
  });
  return router;
}
