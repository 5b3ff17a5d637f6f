/**
 * The audit log is append-only (migration 0011) on Postgres and PGlite alike: the application can
 * insert, but updates, deletes and truncation fail with a clear error, except the retention pruner's
 * deletes of entries past OBSERVA_AUDIT_RETENTION_DAYS.
 */
import { describe, expect, it } from 'vitest';
import { recordAudit } from '../../api/audit.ts';
import { useTestControlPlane } from '../../testing/test-control-plane.ts';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { pruneAuditLogs, startAuditLogPruner } from './audit-log-pruner.ts';

const context = useTestControlPlane();

async function insertAged(action: string, ageDays: number): Promise<void> {
  await context.cp.db('audit_logs').insert({ action, created_at: context.cp.db.raw('now() - make_interval(days => ?)', [ageDays]) });
}

async function actions(): Promise<string[]> {
  return (await context.cp.db('audit_logs').orderBy('id').select('action')).map((r) => r.action);
}

describe('append-only audit_logs', () => {
  it('refuses updates, deletes and truncation from the application', async () => {
    const { db } = context.cp;
    await recordAudit(db, { tenantId: context.scope.tenantId, action: 'api_key.create', targetType: 'api_key', targetId: 'k1' });
    await expect(db('audit_logs').update({ action: 'api_key.view' })).rejects.toThrow(/audit_logs is append-only: UPDATE is not allowed/);
    await expect(db('audit_logs').where({ target_id: 'k1' }).delete()).rejects.toThrow(/audit_logs is append-only: DELETE is not allowed/);
    // Even a statement that matches nothing, so a probe learns nothing either.
    await expect(db('audit_logs').where({ target_id: 'no such entry' }).delete()).rejects.toThrow(/append-only/);
    await expect(db.raw('TRUNCATE audit_logs')).rejects.toThrow(/audit_logs is append-only: TRUNCATE is not allowed/);
    expect(await actions()).toContain('api_key.create');
    expect(await db('audit_logs').where({ target_id: 'k1' }).first('action')).toMatchObject({ action: 'api_key.create' });
  });

  it('honours the prune flag only for deletes, and only inside the transaction that set it', async () => {
    const { db } = context.cp;
    // A transaction that sets the flag and rolls back leaves nothing behind for the next statement.
    await expect(db.transaction(async (trx) => {
      await trx.raw("SET LOCAL observa.audit_prune = 'on'");
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    await expect(db('audit_logs').delete()).rejects.toThrow(/append-only/);
    await expect(db.transaction(async (trx) => {
      await trx.raw("SET LOCAL observa.audit_prune = 'on'");
      await trx('audit_logs').update({ action: 'rewritten' });
    })).rejects.toThrow(/UPDATE is not allowed/);
  });

  it('prunes entries older than the retention, and nothing else', async () => {
    await insertAged('old.entry', 401);
    await insertAged('recent.entry', 399);
    expect(await pruneAuditLogs(context.cp.db, 400)).toBe(1);
    const left = await actions();
    expect(left).not.toContain('old.entry');
    expect(left).toEqual(expect.arrayContaining(['recent.entry', 'api_key.create']));
    expect(await pruneAuditLogs(context.cp.db, 400)).toBe(0);
    // Pruning left no permission behind on the pooled connection.
    await expect(context.cp.db('audit_logs').where({ action: 'recent.entry' }).delete()).rejects.toThrow(/append-only/);
  });
});

describe('the audit pruner at shutdown', () => {
  it('stop() waits for a prune in progress, so the database is not closed under it', async () => {
    let started = () => {};
    let finish = () => {};
    const pruneStarted = new Promise<void>((resolve) => { started = resolve; });
    // A database whose prune transaction runs until the test finishes it.
    const held = { transaction: () => { started(); return new Promise<number>((resolve) => { finish = () => resolve(0); }); } };
    const pruner = startAuditLogPruner(held as unknown as Knex, 30, pino({ level: 'silent' }), 0);
    await pruneStarted;
    let stopped = false;
    const stopping = Promise.resolve(pruner.stop()).then(() => { stopped = true; });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
  });
});
