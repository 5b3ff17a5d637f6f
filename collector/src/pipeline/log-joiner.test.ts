/**
 * The log joiner's rules, round by round on a real control plane: a record waits until its span is
 * seen and its batch has left the outbox, the completed span goes back through the outbox without
 * counting twice, and a span that cannot be read backs its records off.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { ApiKeyPrincipal } from '../auth/principal.ts';
import { mapSpan } from '../mapping/map-span.ts';
import type { DecodedLogRecord } from '../otlp/log-record.ts';
import { SpanKind } from '../otlp/span.ts';
import { InMemoryAnalyticsStore } from '../stores/analytics/memory-store.ts';
import { ModelPriceOverrides } from '../stores/control/model-price-overrides.ts';
import { ProjectRetention } from '../stores/control/project-retention.ts';
import { randomSpanId, randomTraceId } from '../testing/otlp-json.ts';
import { useTestControlPlane } from '../testing/test-control-plane.ts';
import { IngestPipeline } from './ingest.ts';
import { LogIngest } from './ingest-logs.ts';
import { LogJoiner, MAX_RECORDS_PER_SPAN } from './log-joiner.ts';
import { OutboxShipper } from './outbox-shipper.ts';

const context = useTestControlPlane();
const log = pino({ level: 'silent' });

function setUp() {
  const { db } = context.cp;
  const analytics = new InMemoryAnalyticsStore();
  const shipper = new OutboxShipper(db, analytics, { batchSize: 50, pollMs: 1000, leaseMs: 60_000, maxBackoffMs: 1000 }, log);
  const priceOverrides = new ModelPriceOverrides(db);
  const retention = new ProjectRetention(db);
  const pipeline = new IngestPipeline(db, shipper, priceOverrides, retention);
  // Its own caches, cold: the joiner must read prices and retention inside its transaction (PGlite has one connection).
  const joiner = new LogJoiner({ db, analytics, shipper, priceOverrides: new ModelPriceOverrides(db), retention: new ProjectRetention(db), log }, 1000);
  const logs = new LogIngest(db, { storeOtherLogs: true }, () => {});
  const principal: ApiKeyPrincipal = { kind: 'api_key', keyId: 'k', ...context.scope, scopes: ['ingest'] };
  return { db, analytics, shipper, pipeline, joiner, logs, principal };
}

const NOW = BigInt(Date.now()) * 1_000_000n;

function chatSpan(traceId: string, spanId: string) {
  return mapSpan({
    traceId, spanId, parentSpanId: '', traceState: '', name: 'chat gpt-4o', kind: SpanKind.CLIENT,
    startTimeUnixNano: NOW, endTimeUnixNano: NOW + 1_000_000_000n,
    attributes: { 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 3 },
    events: [], links: [], status: { code: 0, message: '' }, resource: { attributes: {} }, scope: { name: 's', version: '' },
  });
}

function userMessage(traceId: string, spanId: string, content: string): DecodedLogRecord {
  return {
    traceId, spanId, timeUnixNano: NOW + 1n, observedTimeUnixNano: 0n, severityNumber: 0, severityText: '', eventName: 'gen_ai.user.message',
    body: { content }, attributes: {}, flags: 0, resource: { attributes: {} }, scope: { name: 's', version: '' },
  };
}

const pending = (db: ReturnType<typeof setUp>['db'], traceId: string) => db('span_log_records').where({ trace_id: traceId }).whereNull('merged_at').select('attempts', 'available_at');

describe('LogJoiner', () => {
  it('waits for the span to be shipped, then writes the completed span once through the outbox', async () => {
    const { db, analytics, shipper, pipeline, joiner, logs, principal } = setUp();
    const [traceId, spanId] = [randomTraceId(), randomSpanId()];
    await logs.ingestLogs(principal, { records: [userMessage(traceId, spanId, 'Hello?')], rejected: [] }, 100);
    expect(await joiner.joinOnce()).toBe(0); // the span has not arrived

    await pipeline.ingestEvents(principal, [chatSpan(traceId, spanId)], 100);
    expect(await joiner.joinOnce()).toBe(0); // seen, but its batch is still in the outbox
    await shipper.drain();
    expect(await joiner.joinOnce()).toBe(1);
    expect(await pending(db, traceId)).toEqual([]);
    await shipper.drain();

    const [span] = await analytics.query('trace_spans', { ...context.scope, traceId });
    expect(span.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Hello?' }] }]);
    expect(span).toMatchObject({ input_tokens: 10, output_tokens: 3, cost_source: 'computed' });
    const summary = await db('trace_summaries').where({ project_id: context.scope.projectId, trace_id: traceId }).first();
    expect({ spans: summary.span_count, calls: summary.llm_call_count, tokens: Number(summary.total_tokens), preview: summary.input_preview })
      .toEqual({ spans: 1, calls: 1, tokens: 13, preview: 'Hello?' });

    // A later record of the same span completes it again, with all its records.
    await logs.ingestLogs(principal, { records: [{ ...userMessage(traceId, spanId, 'Anyone?'), timeUnixNano: NOW + 2n }], rejected: [] }, 100);
    expect(await joiner.joinOnce()).toBe(1);
    await shipper.drain();
    const [again] = await analytics.query('trace_spans', { ...context.scope, traceId });
    expect(again.input?.map((m) => m.parts[0].content)).toEqual(['Hello?', 'Anyone?']);
    expect(Number((await db('trace_summaries').where({ trace_id: traceId }).first()).total_tokens)).toBe(13);
  });

  it('completes a span again only once its last completed version is shipped, counting usage once', async () => {
    const { db, analytics, shipper, pipeline, joiner, logs, principal } = setUp();
    const [traceId, spanId] = [randomTraceId(), randomSpanId()];
    const bare = { ...chatSpan(traceId, spanId), input_tokens: 0, output_tokens: 0, total_tokens: 0, usage_source: 'none' as const };
    await pipeline.ingestEvents(principal, [bare], 100);
    await shipper.drain();
    const details: DecodedLogRecord = {
      ...userMessage(traceId, spanId, ''), eventName: 'gen_ai.client.inference.operation.details', body: null,
      attributes: { 'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 20 },
    };
    await logs.ingestLogs(principal, { records: [details], rejected: [] }, 100);
    expect(await joiner.joinOnce()).toBe(1);
    const tokens = async () => Number((await db('trace_summaries').where({ project_id: context.scope.projectId, trace_id: traceId }).first()).total_tokens);
    expect(await tokens()).toBe(120);

    // The completed version is still in the outbox: the analytics store answers the bare span, so a
    // second completion now would count the usage again. It waits for the shipment.
    await logs.ingestLogs(principal, { records: [userMessage(traceId, spanId, 'and then?')], rejected: [] }, 100);
    expect(await joiner.joinOnce()).toBe(0);
    await shipper.drain();
    expect(await joiner.joinOnce()).toBe(1);
    await shipper.drain();
    expect(await tokens()).toBe(120);
    const [span] = await analytics.query('trace_spans', { ...context.scope, traceId });
    expect(span).toMatchObject({ input_tokens: 100, output_tokens: 20, usage_source: 'reported' });
    expect(span.input?.[0].parts[0].content).toBe('and then?');
  });

  // Two processes: PGlite is one connection, so only a Postgres server can hold the span's lock elsewhere.
  it.runIf(Boolean(process.env.TEST_DATABASE_URL))('waits for another process completing the same span, then leaves it to the next round', async () => {
    const { db, shipper, pipeline, joiner, logs, principal } = setUp();
    const [traceId, spanId] = [randomTraceId(), randomSpanId()];
    await pipeline.ingestEvents(principal, [chatSpan(traceId, spanId)], 100);
    await shipper.drain();
    await logs.ingestLogs(principal, { records: [userMessage(traceId, spanId, 'mine')], rejected: [] }, 100);

    // The other process holds the span's lock while it writes its completed version.
    const other = await db.transaction();
    await other.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`observa.log-join:${context.scope.projectId}:${traceId}:${spanId}`]);
    const round = joiner.joinOnce();
    while (Number((await db.raw(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).rows[0].n) === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const [outbox] = await other('ingest_outbox').insert({ tenant_id: context.scope.tenantId, project_id: context.scope.projectId, event_count: 1, payload: Buffer.from('x') }).returning('id');
    await other('span_log_records').insert({
      tenant_id: context.scope.tenantId, project_id: context.scope.projectId, trace_id: traceId, span_id: spanId, record_hash: 'theirs',
      event: JSON.stringify({ time: '2026-01-01T00:00:00.000000000Z', name: 'log', attributes: {} }), merged_at: new Date(), joined_span_id: spanId, outbox_id: outbox.id,
    });
    await other.commit();

    expect(await round).toBe(0); // its version is not shipped: this round must not read the span yet
    expect(await pending(db, traceId)).toEqual([{ attempts: 0, available_at: expect.any(Date) }]);
    await db('ingest_outbox').where({ id: outbox.id }).delete(); // shipped
    expect(await joiner.joinOnce()).toBe(1);
  });

  it(`keeps at most ${MAX_RECORDS_PER_SPAN} log records on a span, saying so once`, async () => {
    const { analytics, shipper, pipeline, joiner, logs, principal } = setUp();
    const [traceId, spanId] = [randomTraceId(), randomSpanId()];
    await pipeline.ingestEvents(principal, [chatSpan(traceId, spanId)], 100);
    await shipper.drain();
    const plainLog = (i: number): DecodedLogRecord => ({ ...userMessage(traceId, spanId, ''), eventName: '', body: `line ${i}`, timeUnixNano: NOW + BigInt(i) });
    await logs.ingestLogs(principal, { records: Array.from({ length: MAX_RECORDS_PER_SPAN + 5 }, (_, i) => plainLog(i)), rejected: [] }, 100);
    while ((await joiner.joinOnce()) > 0) await shipper.drain();
    await logs.ingestLogs(principal, { records: [plainLog(MAX_RECORDS_PER_SPAN + 10)], rejected: [] }, 100);
    while ((await joiner.joinOnce()) > 0) await shipper.drain();
    const [span] = await analytics.query('trace_spans', { ...context.scope, traceId });
    expect(span.events).toHaveLength(MAX_RECORDS_PER_SPAN);
    expect(span.events.at(-1)!.attributes['log.body']).toBe(`line ${MAX_RECORDS_PER_SPAN - 1}`);
    expect(span.attributes['observa.warnings']).toEqual([`more than ${MAX_RECORDS_PER_SPAN} log records for this span: only the first ${MAX_RECORDS_PER_SPAN} received are kept`]);
  });

  it('joins a record without a span id to the root of its trace', async () => {
    const { analytics, shipper, pipeline, joiner, logs, principal } = setUp();
    const [traceId, spanId] = [randomTraceId(), randomSpanId()];
    await pipeline.ingestEvents(principal, [chatSpan(traceId, spanId)], 100);
    await shipper.drain();
    await logs.ingestLogs(principal, { records: [userMessage(traceId, '', 'for the root')], rejected: [] }, 100);
    expect(await joiner.joinOnce()).toBe(1);
    await shipper.drain();
    const [span] = await analytics.query('trace_spans', { ...context.scope, traceId });
    expect(span.input?.[0].parts[0].content).toBe('for the root');
  });

  it('backs off records whose span was seen but cannot be read', async () => {
    const { db, analytics, shipper, pipeline, joiner, logs, principal } = setUp();
    const [traceId, spanId] = [randomTraceId(), randomSpanId()];
    await pipeline.ingestEvents(principal, [chatSpan(traceId, spanId)], 100);
    await shipper.drain();
    await analytics.delete({ tenantId: context.scope.tenantId, projectId: context.scope.projectId, traceIds: [traceId] });
    await logs.ingestLogs(principal, { records: [userMessage(traceId, spanId, 'lost')], rejected: [] }, 100);
    expect(await joiner.joinOnce()).toBe(0);
    const [row] = await pending(db, traceId);
    expect(row.attempts).toBe(1);
    expect(new Date(row.available_at).getTime()).toBeGreaterThan(Date.now());
    expect(await joiner.joinOnce()).toBe(0); // not claimed again before its time
    expect((await pending(db, traceId))[0].attempts).toBe(1);
  });
});
