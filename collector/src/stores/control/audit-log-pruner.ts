/**
 * Deletes audit entries older than OBSERVA_AUDIT_RETENTION_DAYS. The append-only trigger (migration
 * 0011) lets a DELETE through only in a transaction that set `observa.audit_prune`, and this is the
 * one place that sets it.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';

const FIRST_RUN_MS = 60_000;
const DAY_MS = 24 * 3600_000;

/** Returns how many entries were deleted. */
export async function pruneAuditLogs(db: Knex, retentionDays: number): Promise<number> {
  return db.transaction(async (trx) => {
    await trx.raw("SET LOCAL observa.audit_prune = 'on'");
    // Raw, for the row count: knex-pglite answers a builder's delete() with PGlite's result object.
    const result = await trx.raw('DELETE FROM audit_logs WHERE created_at < now() - make_interval(days => ?)', [retentionDays]);
    return Number(result.rowCount);
  });
}

/**
 * Prunes a minute after start (so a deployment restarted more often than daily still prunes), then
 * daily; `firstRunMs` moves the first prune (tests). A retention of 0 days keeps every entry. `stop`
 * waits for a prune in progress, so the database can be closed after it; it may be called more than once.
 */
export function startAuditLogPruner(db: Knex, retentionDays: number, log: Logger, firstRunMs = FIRST_RUN_MS): { stop(): Promise<void> } {
  if (retentionDays === 0) return { async stop() {} };
  let pruning: Promise<unknown> | null = null;
  const run = () => {
    if (pruning) return;
    pruning = pruneAuditLogs(db, retentionDays).then(
      (deleted) => deleted > 0 && log.info({ deleted, retentionDays }, 'pruned the audit log'),
      (err) => log.warn({ err: err.message }, 'pruning the audit log failed'),
    ).finally(() => { pruning = null; });
  };
  const first = setTimeout(run, firstRunMs);
  const daily = setInterval(run, DAY_MS);
  first.unref();
  daily.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(daily);
      await pruning;
    },
  };
}
