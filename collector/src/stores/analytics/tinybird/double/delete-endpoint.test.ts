import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, APPEND, bodyOf, ndjsonOf, postEvents, signReadJwt, someEvents, startDouble } from './double.fixtures.ts';
import type { DeleteJob } from './delete-jobs.ts';
import type { TinybirdDouble } from './tinybird-double.ts';

let double: TinybirdDouble;
beforeAll(async () => { double = await startDouble({ rateLimitPerSecond: 1000, maxActiveDeleteJobs: 1, tokens: [{ token: 'p.create', scopes: ['DATASOURCES:CREATE'] }] }); });
afterEach(() => double.faults.reset());
afterAll(() => double.close());

const spanCount = async (tenant: string) => Number((await double.sql('SELECT count() AS n FROM events WHERE tenant_id = {t:String}', { t: tenant }))[0].n);

function postDelete(form: Record<string, string>, options: { token?: string; datasource?: string } = {}): Promise<Response> {
  return fetch(`${double.host}/v0/datasources/${options.datasource ?? 'events'}/delete`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${options.token ?? ADMIN}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

const readJob = async (id: string, token = ADMIN) => fetch(`${double.host}/v0/jobs/${id}`, { headers: { Authorization: `Bearer ${token}` } });

async function finished(id: string): Promise<DeleteJob> {
  for (;;) {
    const job = await bodyOf<DeleteJob>(await readJob(id));
    if (job.status === 'done' || job.status === 'error') return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function seeded(n: number): Promise<string> {
  const events = someEvents(n);
  expect((await postEvents(double, ndjsonOf(events))).status).toBe(200);
  return events[0].tenant_id;
}

describe('POST /v0/datasources/<ds>/delete and GET /v0/jobs/<id>', () => {
  it('answers 201 with a waiting job, which ends done with rows_affected once the rows are gone', async () => {
    const tenant = await seeded(3);
    double.faults.deleteJobDelayMs = 100;
    const response = await postDelete({ delete_condition: `tenant_id = '${tenant}'` }, { token: 'p.create' });
    expect(response.status).toBe(201);
    const body = await bodyOf<{ id: string; job_id: string; delete_id: string; job_url: string; status: string; job: DeleteJob }>(response);
    expect(body).toMatchObject({ job_id: body.id, delete_id: body.id, status: 'waiting', job: { kind: 'delete_data', status: 'waiting', delete_condition: `tenant_id = '${tenant}'`, datasource: { name: 'events' } } });
    expect(body.job_url).toBe(`${double.host}/v0/jobs/${body.id}`);
    expect(await spanCount(tenant)).toBe(3); // still waiting
    expect(await finished(body.id)).toMatchObject({ status: 'done', rows_affected: 3 });
    expect(await spanCount(tenant)).toBe(0);
  });

  it('counts the matching rows without deleting them on dry_run=true', async () => {
    const tenant = await seeded(2);
    const response = await postDelete({ delete_condition: `tenant_id = '${tenant}'`, dry_run: 'true' });
    expect([response.status, await bodyOf(response)]).toEqual([200, { rows_to_be_deleted: 2 }]);
    expect(await spanCount(tenant)).toBe(2);
  });

  it('refuses a missing or invalid condition and an unknown datasource with 400, tokens without the scope with 403', async () => {
    expect((await postDelete({})).status).toBe(400);
    const invalid = await postDelete({ delete_condition: 'no_such_column = 1' });
    expect(invalid.status).toBe(400);
    expect((await bodyOf(invalid)).error).toMatch(/^Failed to apply delete_condition='no_such_column = 1'/);
    const unknown = await postDelete({ delete_condition: '1 = 1' }, { datasource: 'nope' });
    expect([unknown.status, (await bodyOf(unknown)).error]).toEqual([400, 'Data Source "nope" does not exist, can not delete a non existing Data Source']);
    expect((await postDelete({ delete_condition: '1 = 0' }, { token: APPEND })).status).toBe(403);
    expect((await postDelete({ delete_condition: '1 = 0' }, { token: await signReadJwt({ pipe: 'trace_spans' }) })).status).toBe(403);
    expect((await readJob('whatever', APPEND)).status).toBe(403);
    expect((await readJob('no-such-job')).status).toBe(404);
  });

  it('answers 429 while the workspace has its maximum of active delete jobs', async () => {
    double.faults.deleteJobDelayMs = 300;
    const first = await postDelete({ delete_condition: '1 = 0' });
    expect(first.status).toBe(201);
    const second = await postDelete({ delete_condition: '1 = 0' });
    expect([second.status, (await bodyOf(second)).error]).toEqual([429, 'You have reached the maximum number of delete jobs (1)']);
    await finished((await bodyOf<{ id: string }>(first)).id);
    const third = await postDelete({ delete_condition: '1 = 0' });
    expect(third.status).toBe(201);
    await finished((await bodyOf<{ id: string }>(third)).id);
  });

  it('ends an accepted job in error with its reason when told to, deleting nothing', async () => {
    const tenant = await seeded(1);
    double.faults.failNextDeleteJobs(1, 'too many parts');
    const response = await postDelete({ delete_condition: `tenant_id = '${tenant}'` });
    expect(await finished((await bodyOf<{ id: string }>(response)).id)).toMatchObject({ status: 'error', error: 'too many parts' });
    expect(await spanCount(tenant)).toBe(1);
  });
});
