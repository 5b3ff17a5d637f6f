/**
 * The store client rate-limiter-flexible's RateLimiterPostgres queries, running each query through
 * knex so one code path serves a Postgres server and embedded PGlite alike. The library's own 'knex'
 * store type hands a pg query config ({ text, values, name }) to the raw driver connection, which
 * PGlite's query(sql, params) rejects; and knex-pglite reports no rowCount for SELECTs. Through
 * knex.raw the limiter also queues on knex's pool like every other control-plane query.
 */
import type { Knex } from 'knex';

export interface StoreQuery {
  text: string;
  values?: unknown[];
}

export interface StoreClient {
  query(query: StoreQuery): Promise<{ rows: Record<string, unknown>[]; rowCount: number }>;
}

export function knexStoreClient(db: Knex): StoreClient {
  return {
    async query({ text, values = [] }) {
      // knex binds positional `?`; the limiter numbers its parameters ($1..$n) and repeats some.
      const bindings: unknown[] = [];
      const sql = text.replace(/\$(\d+)/g, (_, n: string) => {
        bindings.push(values[Number(n) - 1]);
        return '?';
      });
      const result = await db.raw(sql, bindings as Knex.RawBinding[]);
      return { rows: result.rows, rowCount: Math.max(result.rowCount ?? 0, result.rows.length) };
    },
  };
}
