import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyPrincipal } from '../auth/principal.ts';
import { QuotaExceeded } from '../limits/quota-exceeded.ts';
import { usagePeriodOf } from '../limits/quota-period.ts';
import type { DecodedLogRecord, DecodedLogs } from '../otlp/log-record.ts';
import { openTestControlPlane, type TestControlPlane } from '../testing/test-control-plane.ts';
import { LogIngest } from './ingest-logs.ts';

let plane: TestControlPlane;
let principal: ApiKeyPrincipal;
beforeAll(async () => {
  plane = await openTestControlPlane();
  const { tenantId, projectId } = await plane.createProject();
  principal = { kind: 'api_key', keyId: '9e3c4a36-4b9f-4d55-9d4c-0a3e1f2b6c7d', tenantId, projectId, scopes: ['ingest'] };
});
afterAll(async () => {
  await plane?.close();
});

const TRACE = '0af7651916cd43dd8448eb211c80319c';

function logRecord(overrides: Partial<DecodedLogRecord>): DecodedLogRecord {
  return {
    traceId: TRACE, spanId: 'b7ad6b7169203331', timeUnixNano: 1_700_000_000_000_000_000n, observedTimeUnixNano: 0n,
    severityNumber: 0, severityText: '', eventName: '', body: null, attributes: {}, flags: 0,
    resource: { attributes: {} }, scope: { name: 's', version: '' }, ...overrides,
  };
}

const stored = () => plane.db('span_log_records').where('project_id', principal.projectId).orderBy('id').select('trace_id', 'span_id', 'event');

describe('LogIngest', () => {
  it('stores records as span events of their span once, refusing those without a trace and (when configured) other logs', async () => {
    let pokes = 0;
    const ingest = new LogIngest(plane.db, { storeOtherLogs: false }, () => (pokes += 1));
    const logs: DecodedLogs = {
      records: [
        logRecord({ eventName: 'gen_ai.user.message', body: { content: 'Hi\u0000there' }, attributes: { 'gen_ai.system': 'openai' } }),
        logRecord({ traceId: '', eventName: 'gen_ai.choice', body: { index: 0 } }),
        logRecord({ body: 'plain text log', severityText: 'INFO' }),
        logRecord({ spanId: '', eventName: 'gen_ai.choice', body: { index: 0, message: { role: 'assistant', content: 'Hello' } } }),
      ],
      rejected: [{ index: 1, reason: 'log record 1: span_id must be 8 bytes or empty, got 3' }],
    };
    const result = await ingest.ingestLogs(principal, logs, 900);
    // Indexes are positions in the request: the decoder's rejection at 1 shifts the records after it.
    expect(result.rejected).toEqual([
      { index: 1, reason: 'log record 1: span_id must be 8 bytes or empty, got 3' },
      { index: 2, reason: 'log record 2 has no trace_id: Observa keeps log records as events of their trace; emit it while a span is active' },
      { index: 3, reason: 'log record 3 ("log") is not a GenAI event, and this collector stores only GenAI log events (OBSERVA_STORE_OTHER_LOGS=false)' },
    ]);
    expect(result.accepted).toBe(2);
    expect(pokes).toBe(1);
    const rows = await stored();
    expect(rows.map((r) => [r.trace_id, r.span_id])).toEqual([[TRACE, 'b7ad6b7169203331'], [TRACE, '']]);
    // The body's fields are the event's attributes; a NUL (which Postgres text cannot hold) is replaced and noted.
    expect(rows[0].event).toEqual({
      time: '2023-11-14T22:13:20.000000000Z', name: 'gen_ai.user.message',
      attributes: { 'gen_ai.system': 'openai', content: 'Hi\uFFFDthere', 'observa.warnings': ['attributes.content: NUL character(s) replaced by U+FFFD'] },
    });

    // A retrying exporter sends the same records again: nothing new is stored.
    await ingest.ingestLogs(principal, logs, 900);
    expect(await stored()).toHaveLength(2);
    const usage = await plane.db('usage_counters').where({ tenant_id: principal.tenantId, period_start: usagePeriodOf(new Date()).key }).first('events', 'bytes');
    expect({ events: Number(usage.events), bytes: Number(usage.bytes) }).toEqual({ events: 0, bytes: 1800 });
  });

  it('keeps other logs with their body and severity by default', async () => {
    const ingest = new LogIngest(plane.db, { storeOtherLogs: true }, () => {});
    const result = await ingest.ingestLogs(principal, { records: [logRecord({ spanId: 'c7ad6b7169203331', body: 'disk almost full', severityText: 'WARN', severityNumber: 13 })], rejected: [] }, 10);
    expect(result).toEqual({ accepted: 1, rejected: [] });
    const [row] = await plane.db('span_log_records').where('span_id', 'c7ad6b7169203331').select('event');
    expect(row.event).toEqual({ time: '2023-11-14T22:13:20.000000000Z', name: 'log', attributes: { 'log.body': 'disk almost full', 'log.severity_text': 'WARN', 'log.severity_number': 13 } });
  });

  it('turns gen_ai.evaluation.result events into scores of their span, once, refusing those that say no score', async () => {
    const ingest = new LogIngest(plane.db, { storeOtherLogs: false }, () => {});
    const evaluation = (attributes: DecodedLogRecord['attributes'], timeUnixNano = 1_700_000_000_000_000_000n) =>
      logRecord({ spanId: 'd7ad6b7169203331', eventName: 'gen_ai.evaluation.result', attributes, timeUnixNano });
    const logs: DecodedLogs = {
      records: [
        evaluation({ 'gen_ai.evaluation.name': 'relevance', 'gen_ai.evaluation.score.value': 0.85, 'gen_ai.evaluation.score.label': 'relevant', 'gen_ai.evaluation.explanation': 'Answers the question.' }),
        evaluation({ 'gen_ai.evaluation.name': 'toxicity', 'gen_ai.evaluation.score.label': 'no\u0000ne' }, 1_700_000_000_000_000_001n),
        evaluation({ 'gen_ai.evaluation.score.value': 1 }),
        evaluation({ 'gen_ai.evaluation.name': 'empty' }),
      ],
      rejected: [],
    };
    const result = await ingest.ingestLogs(principal, logs, 10);
    expect(result.rejected).toEqual([
      { index: 2, reason: 'log record 2 (gen_ai.evaluation.result) needs gen_ai.evaluation.name, a string of 1 to 200 characters' },
      { index: 3, reason: 'log record 3 (gen_ai.evaluation.result) has neither gen_ai.evaluation.score.value nor gen_ai.evaluation.score.label' },
    ]);
    await ingest.ingestLogs(principal, logs, 10); // re-sent: the same scores
    const scores = await plane.db('scores').where({ project_id: principal.projectId, trace_id: TRACE }).orderBy('name')
      .select('span_id', 'name', 'data_type', 'value_number', 'value_string', 'comment', 'source', 'created_by_key');
    expect(scores).toEqual([
      { span_id: 'd7ad6b7169203331', name: 'relevance', data_type: 'numeric', value_number: 0.85, value_string: null, comment: 'relevant: Answers the question.', source: 'otel', created_by_key: null },
      { span_id: 'd7ad6b7169203331', name: 'toxicity', data_type: 'categorical', value_number: null, value_string: 'no\uFFFDne', comment: null, source: 'otel', created_by_key: null },
    ].map((s) => ({ ...s, created_by_key: principal.keyId })));
    // Kept as span events too (GenAI events, so even with other logs refused).
    expect(await plane.db('span_log_records').where({ span_id: 'd7ad6b7169203331' })).toHaveLength(2);
  });

  it('refuses a tenant whose monthly quota is used up, storing nothing', async () => {
    const { tenantId, projectId } = await plane.createProject();
    await plane.db('tenants').where({ id: tenantId }).update({ monthly_event_quota: 10 });
    await plane.db('usage_counters').insert({ tenant_id: tenantId, period_start: usagePeriodOf(new Date()).key, events: 11, bytes: 0 });
    const ingest = new LogIngest(plane.db, { storeOtherLogs: true }, () => {});
    const over = { ...principal, tenantId, projectId };
    await expect(ingest.ingestLogs(over, { records: [logRecord({ eventName: 'gen_ai.user.message', body: { content: 'x' } })], rejected: [] }, 10)).rejects.toBeInstanceOf(QuotaExceeded);
    expect(Number((await plane.db('span_log_records').where('project_id', projectId).count({ n: '*' }))[0].n)).toBe(0);
  });
});
