/**
 * A batch spanning thousands of traces is written in one transaction on PGlite and Postgres alike: its
 * statements are chunked under Postgres' 65 535 bind parameters (~31 per trace summary: 2 100 traces broke it).
 */
import { expect, it } from 'vitest';
import { emptyEvent } from '../events/canonical-event.ts';
import { randomSpanId, randomTraceId } from '../testing/otlp-json.ts';
import { useTestControlPlane } from '../testing/test-control-plane.ts';
import { writeBatch } from './write-batch.ts';

const plane = useTestControlPlane();

it('writes 5 000 spans of 5 000 traces (with sessions) in one batch', async () => {
  const { scope, cp } = plane;
  const events = Array.from({ length: 5000 }, (_, i) => ({
    ...emptyEvent(), tenant_id: scope.tenantId, project_id: scope.projectId, trace_id: randomTraceId(), span_id: randomSpanId(),
    name: 'x', start_time: '2026-01-01T00:00:00.000000000Z', end_time: '2026-01-01T00:00:01.000000000Z', input_tokens: 1, total_tokens: 1,
    session_id: `s-${i % 300}`, conversation_id: `c-${i % 7}`,
  }));
  expect(await writeBatch(cp.db, scope, events, 1)).toMatchObject({ written: 5000, duplicates: 0 });
  expect(await cp.db('trace_summaries').where({ project_id: scope.projectId }).count('* as n').first()).toMatchObject({ n: 5000 });
  expect(await cp.db('sessions').where({ project_id: scope.projectId }).count('* as n').first()).toMatchObject({ n: 300 });
  expect((await writeBatch(cp.db, scope, events, 1)).duplicates).toBe(5000);
});
