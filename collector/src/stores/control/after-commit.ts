/**
 * Runs `fn` once `db`'s transaction has ended (at once outside a transaction). Per-process caches of
 * liveness must be dropped after commit: dropped earlier, a concurrent read could refill them from the
 * still-uncommitted row. After a rollback dropping an entry is harmless, so `fn` runs either way.
 */
import type { Knex } from 'knex';

export function afterCommit(db: Knex, fn: () => void): void {
  if (db.isTransaction) (db as Knex.Transaction).executionPromise.then(fn, fn);
  else fn();
}
