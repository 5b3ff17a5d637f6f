/**
 * Two rotations of one key at once: exactly one wins (201), the other gets a clear 4xx, never a 500,
 * and only the winner leaves a new key and an audit entry. On Postgres the test holds the key's row lock
 * until both rotations wait for it, so both really overlap inside ApiKeys.rotate and the loser gets 409.
 * PGlite has one connection, so the two serialise: the loser sees the key revoked up front (400) or 409.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addMember, type TestMember } from '../testing/add-member.ts';
import { callApi } from '../testing/call-api.ts';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

let collector: TestCollector;
let admin: TestMember;

beforeAll(async () => {
  collector = await startTestCollector();
  admin = await addMember(collector, { role: 'admin' });
}, 60_000);

afterAll(async () => {
  await collector?.close();
});

/** Resolves once `count` backends wait for a row lock (Postgres only). */
async function lockWaiters(count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { rows } = await collector.db.raw(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if (rows[0].n >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${rows[0].n} of ${count} rotations reached the row lock`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it('answers one of two simultaneous rotations of a key with 201 and the other with a 4xx', async () => {
  const project = collector.projectId;
  const created = await callApi(collector, 'POST', `/api/v1/projects/${project}/api-keys`, { token: admin.token, body: { name: 'rotated twice', scopes: ['ingest'] } });
  expect(created.status).toBe(201);
  const rotate = () => callApi(collector, 'POST', `/api/v1/projects/${project}/api-keys/${created.body.id}/rotate`, { token: admin.token });

  let answers;
  if (onPostgres) {
    const holder = await collector.db.transaction();
    await holder('api_keys').where({ id: created.body.id }).forUpdate().first('id');
    const both = Promise.all([rotate(), rotate()]);
    await lockWaiters(2);
    await holder.commit();
    answers = await both;
  } else {
    answers = await Promise.all([rotate(), rotate()]);
  }

  const statuses = answers.map((a) => a.status).sort();
  if (onPostgres) expect(statuses).toEqual([201, 409]);
  else expect([[201, 400], [201, 409]]).toContainEqual(statuses);
  const loser = answers.find((a) => a.status !== 201)!;
  expect(loser.body.error.message).toMatch(onPostgres ? /was revoked or rotated meanwhile/ : /revoked/);

  const keys = await collector.db('api_keys').where({ name: 'rotated twice' }).select('id', 'revoked_at');
  expect(keys).toHaveLength(2);
  expect(keys.filter((k) => k.revoked_at === null)).toHaveLength(1);
  const audited = await collector.db('audit_logs').where({ action: 'api_key.rotate', target_id: created.body.id }).select('details');
  expect(audited).toHaveLength(1);
  const winner = answers.find((a) => a.status === 201)!;
  expect(audited[0].details.replaced_by).toBe(winner.body.id);
}, 30_000);
