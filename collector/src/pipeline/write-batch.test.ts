/**
 * The ingest transaction on a real Postgres (TEST_DATABASE_URL) or PGlite: summaries built across
 * batches in any order, sessions recomputed, duplicates ignored, usage counted, outbox appended.
 */
import { describe, expect, it } from 'vitest';
import { emptyEvent, type CanonicalEvent } from '../events/canonical-event.ts';
import { randomSpanId, randomTraceId } from '../testing/otlp-json.ts';
import { useTestControlPlane } from '../testing/test-control-plane.ts';
import { decodeOutboxPayload } from './outbox-payload.ts';
import { writeBatch } from './write-batch.ts';

const plane = useTestControlPlane();

const at = (second: number) => `2026-02-01T00:00:${String(second).padStart(2, '0')}.000001000Z`;

function span(traceId: string, overrides: Partial<CanonicalEvent> = {}): CanonicalEvent {
  return {
    ...emptyEvent(), tenant_id: plane.scope.tenantId, project_id: plane.scope.projectId, trace_id: traceId, span_id: randomSpanId(),
    parent_span_id: randomSpanId(), name: 'child', start_time: at(10), end_time: at(11), ...overrides,
  };
}

const summary = (traceId: string) => plane.cp.db('trace_summaries').where({ project_id: plane.scope.projectId, trace_id: traceId }).first();

describe('writeBatch', () => {
  it('builds one summary from batches that arrive child first, root last', async () => {
    const traceId = randomTraceId();
    const rootId = randomSpanId();
    await writeBatch(plane.cp.db, plane.scope, [span(traceId, { parent_span_id: rootId, type: 'llm', model: 'gpt-4o', input_tokens: 10, output_tokens: 5, total_tokens: 15, status: 'ok', tags: ['b'] })], 100);
    expect(await summary(traceId)).toMatchObject({ name: 'child', root_span_id: '', span_count: 1, session_id: null });
    await writeBatch(plane.cp.db, plane.scope, [span(traceId, { span_id: rootId, parent_span_id: '', name: 'agent run', start_time: at(5), end_time: at(20), session_id: 'sess-1', user_id: 'u', tags: ['a'], type: 'agent', model: 'gpt-4o-mini' })], 100);
    const row = await summary(traceId);
    expect(row).toMatchObject({ name: 'agent run', root_span_id: rootId, span_count: 2, llm_call_count: 1, input_tokens: 10, total_tokens: 15, ok_count: 1, session_id: 'sess-1', user_id: 'u', models: ['gpt-4o', 'gpt-4o-mini'], tags: ['a', 'b'] });
    expect(new Date(row.start_time).toISOString()).toBe('2026-02-01T00:00:05.000Z');
    expect(new Date(row.end_time).toISOString()).toBe('2026-02-01T00:00:20.000Z');
    // The session appeared with the root: its totals include the child counted in the first batch.
    expect(await plane.cp.db('sessions').where({ project_id: plane.scope.projectId, session_id: 'sess-1' }).first()).toMatchObject({ trace_count: 1, span_count: 2, total_tokens: 15 });
  });

  it('recomputes session totals across traces, and conversations likewise', async () => {
    for (const tokens of [3, 4]) {
      await writeBatch(plane.cp.db, plane.scope, [span(randomTraceId(), { parent_span_id: '', session_id: 'sess-2', conversation_id: 'conv-2', total_tokens: tokens, status: 'error' })], 10);
    }
    expect(await plane.cp.db('sessions').where({ session_id: 'sess-2' }).first()).toMatchObject({ trace_count: 2, total_tokens: 7, error_count: 2 });
    expect(await plane.cp.db('conversations').where({ conversation_id: 'conv-2' }).first()).toMatchObject({ trace_count: 2, session_id: 'sess-2' });
  });

  it('lets a late root span move the trace to its own session, leaving no stale session behind', async () => {
    const traceId = randomTraceId();
    const rootId = randomSpanId();
    await writeBatch(plane.cp.db, plane.scope, [span(traceId, { parent_span_id: rootId, session_id: 'child-guess', total_tokens: 2 })], 1);
    expect(await plane.cp.db('sessions').where({ project_id: plane.scope.projectId, session_id: 'child-guess' }).first()).toMatchObject({ trace_count: 1 });
    await writeBatch(plane.cp.db, plane.scope, [span(traceId, { span_id: rootId, parent_span_id: '', session_id: 'root-session' })], 1);
    expect((await summary(traceId)).session_id).toBe('root-session');
    expect(await plane.cp.db('sessions').where({ project_id: plane.scope.projectId, session_id: 'root-session' }).first()).toMatchObject({ trace_count: 1, total_tokens: 2 });
    expect(await plane.cp.db('sessions').where({ project_id: plane.scope.projectId, session_id: 'child-guess' }).first()).toBeUndefined();
  });

  it('ignores spans already written, within a batch and across batches, and counts usage of new ones only', async () => {
    const usage = async () => Number((await plane.cp.db('usage_counters').where({ tenant_id: plane.scope.tenantId }).sum('events as n').first())?.n ?? 0);
    const before = await usage();
    const traceId = randomTraceId();
    const a = span(traceId, { total_tokens: 5 });
    const b = span(traceId, { total_tokens: 7 });
    const first = await writeBatch(plane.cp.db, plane.scope, [a, a, b], 300);
    expect(first).toMatchObject({ written: 2, duplicates: 1 });
    const outboxRows = await plane.cp.db('ingest_outbox').where({ id: first.outboxId });
    expect((await decodeOutboxPayload(outboxRows[0].payload)).map((e) => e.span_id).sort()).toEqual([a.span_id, b.span_id].sort());

    const again = await writeBatch(plane.cp.db, plane.scope, [b, a], 300);
    expect(again).toEqual({ written: 0, duplicates: 2, outboxId: null });
    expect(await summary(traceId)).toMatchObject({ span_count: 2, total_tokens: 12 });
    expect(await usage()).toBe(before + 2);
  });

  it('keeps projects apart: the same trace and span ids in two projects are two traces', async () => {
    const other = await plane.cp.createProject();
    const traceId = randomTraceId();
    const shared = span(traceId, { total_tokens: 1 });
    await writeBatch(plane.cp.db, plane.scope, [shared], 1);
    const result = await writeBatch(plane.cp.db, other, [{ ...shared, tenant_id: other.tenantId, project_id: other.projectId }], 1);
    expect(result.written).toBe(1);
    expect(await plane.cp.db('trace_summaries').where({ trace_id: traceId }).count('* as n').first()).toMatchObject({ n: 2 });
  });

  it('rolls the whole batch back when any part fails', async () => {
    const traceId = randomTraceId();
    const broken = span(traceId, { start_time: 'not a time' });
    await expect(writeBatch(plane.cp.db, plane.scope, [span(traceId), broken], 1)).rejects.toThrow();
    expect(await summary(traceId)).toBeUndefined();
    expect(await plane.cp.db('seen_spans').where({ trace_id: traceId })).toHaveLength(0);
  });
});
