/**
 * A model call is counted once however its wrapper and provider spans arrive (same batch, child
 * first, parent first, interleaved), on a real Postgres or PGlite.
 */
import { describe, expect, it } from 'vitest';
import { emptyEvent, type CanonicalEvent } from '../events/canonical-event.ts';
import { randomSpanId, randomTraceId } from '../testing/otlp-json.ts';
import { useTestControlPlane } from '../testing/test-control-plane.ts';
import { decodeOutboxPayload } from './outbox-payload.ts';
import { writeBatch } from './write-batch.ts';

const plane = useTestControlPlane();

function span(traceId: string, parent: string, tokens: number, overrides: Partial<CanonicalEvent> = {}): CanonicalEvent {
  return {
    ...emptyEvent(), tenant_id: plane.scope.tenantId, project_id: plane.scope.projectId, trace_id: traceId, span_id: randomSpanId(), parent_span_id: parent,
    type: 'llm', name: 'call', start_time: '2026-01-01T00:00:00.000000000Z', end_time: '2026-01-01T00:00:01.000000000Z',
    input_tokens: tokens, total_tokens: tokens, ...overrides,
  };
}

async function write(...events: CanonicalEvent[]) {
  const result = await writeBatch(plane.cp.db, plane.scope, events, 1);
  const [row] = await plane.cp.db('ingest_outbox').where({ id: result.outboxId });
  return new Map((await decodeOutboxPayload(row.payload)).map((e) => [e.span_id, e.counts_usage]));
}

async function totals(traceId: string) {
  const row = await plane.cp.db('trace_summaries').where({ project_id: plane.scope.projectId, trace_id: traceId }).first();
  return { total_tokens: Number(row.total_tokens), llm_call_count: Number(row.llm_call_count) };
}

describe('counting each model call once', () => {
  it('a wrapper and its provider call in one batch: the inner call counts (Vercel generateText/doGenerate)', async () => {
    const t = randomTraceId();
    const outer = span(t, '', 100, { name: 'ai.generateText' });
    const inner = span(t, outer.span_id, 100, { name: 'ai.generateText.doGenerate' });
    const shipped = await write(outer, inner);
    expect(shipped.get(outer.span_id)).toBe(false);
    expect(shipped.get(inner.span_id)).toBe(true);
    expect(await totals(t)).toEqual({ total_tokens: 100, llm_call_count: 1 });
  });

  it('follows nesting through spans without usage (chain -> agent -> llm)', async () => {
    const t = randomTraceId();
    const chain = span(t, '', 50, { type: 'chain' });
    const agent = span(t, chain.span_id, 0, { type: 'agent' });
    const llm = span(t, agent.span_id, 50);
    await write(llm, agent, chain);
    expect(await totals(t)).toEqual({ total_tokens: 50, llm_call_count: 1 });
  });

  it('the provider call first, its wrapper in a later batch: the wrapper does not count again', async () => {
    const t = randomTraceId();
    const outer = span(t, '', 70);
    const mid = span(t, outer.span_id, 0, { type: 'chain' });
    const inner = span(t, mid.span_id, 70);
    await write(inner);
    await write(mid);
    expect((await write(outer)).get(outer.span_id)).toBe(false);
    expect(await totals(t)).toEqual({ total_tokens: 70, llm_call_count: 1 });
  });

  it('an agent with an aggregate arriving first keeps it; its calls arriving later do not add to it', async () => {
    const t = randomTraceId();
    const agent = span(t, '', 30, { type: 'agent' });
    await write(agent);
    const shipped = await write(span(t, agent.span_id, 10), span(t, agent.span_id, 20));
    expect([...shipped.values()]).toEqual([false, false]);
    expect((await totals(t)).total_tokens).toBe(30);
  });

  it('an aggregate arriving between its calls: the calls count, the aggregate does not', async () => {
    const t = randomTraceId();
    const agentId = randomSpanId();
    await write(span(t, agentId, 10));
    expect((await write(span(t, '', 30, { span_id: agentId, type: 'agent' }))).get(agentId)).toBe(false);
    await write(span(t, agentId, 20));
    expect((await totals(t)).total_tokens).toBe(30);
  });

  it('sibling calls both count; a span marked not counting by its sender stays so', async () => {
    const t = randomTraceId();
    const root = span(t, '', 0, { type: 'chain' });
    await write(root, span(t, root.span_id, 5), span(t, root.span_id, 6), span(t, root.span_id, 7, { counts_usage: false }));
    expect(await totals(t)).toEqual({ total_tokens: 11, llm_call_count: 2 });
  });

  it('terminates on hostile parent cycles', async () => {
    const t = randomTraceId();
    const a = randomSpanId();
    const b = randomSpanId();
    await write(span(t, b, 1, { span_id: a }), span(t, a, 2, { span_id: b }));
    expect((await totals(t)).total_tokens).toBeLessThanOrEqual(3);
  });
});
