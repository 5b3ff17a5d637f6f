/**
 * The ingest step for OTLP logs after decoding: each record is kept as a span event waiting for its
 * span (span_log_records), and the log joiner (log-joiner.ts) completes the span's canonical event
 * once the span is stored, whichever of the two arrived first. Records without a trace id have no
 * span to join and are refused one by one, as are records that are not GenAI events when the
 * deployment stores only those (OBSERVA_STORE_OTHER_LOGS=false). The request's bytes count toward the
 * tenant's usage; records add no events to the monthly quota (they complete existing ones), but a
 * tenant already over its quota is refused here too. A `gen_ai.evaluation.result` event also becomes a
 * score of its span (evaluation-score.ts), in the same transaction.
 */
import type { Knex } from 'knex';
import type { ApiKeyPrincipal } from '../auth/principal.ts';
import { countUsageWithinQuota } from '../limits/quota-counter.ts';
import type { DecodedLogs, RejectedLogRecord } from '../otlp/log-record.ts';
import { requestIndex } from './ingest.ts';
import { EVALUATION_EVENT, evaluationScore, type ScoreRow } from './evaluation-score.ts';
import { GENAI_LOG_EVENTS, logRecordEvent, recordHash } from './log-record-event.ts';

const INSERT_CHUNK = 5_000; // rows per INSERT: at most 12 parameters each stays under Postgres' 65535 limit

export interface LogIngestResult {
  /** Records stored (new or already known from an earlier delivery). */
  accepted: number;
  rejected: RejectedLogRecord[];
}

export class LogIngest {
  constructor(
    private readonly db: Knex,
    private readonly options: { storeOtherLogs: boolean },
    /** Called after records were stored: the joiner may have spans to complete. */
    private readonly onStored: () => void,
  ) {}

  async ingestLogs(principal: ApiKeyPrincipal, decoded: DecodedLogs, wireBytes: number, now = new Date()): Promise<LogIngestResult> {
    const rejected: RejectedLogRecord[] = [];
    const rows: Record<string, string>[] = [];
    const scores: ScoreRow[] = [];
    decoded.records.forEach((record, position) => {
      const index = requestIndex(position, decoded.rejected);
      const name = record.eventName || 'log';
      if (record.traceId === '') {
        rejected.push({ index, reason: `log record ${index} has no trace_id: Observa keeps log records as events of their trace; emit it while a span is active` });
      } else if (!this.options.storeOtherLogs && !GENAI_LOG_EVENTS.has(name)) {
        rejected.push({ index, reason: `log record ${index} ("${name}") is not a GenAI event, and this collector stores only GenAI log events (OBSERVA_STORE_OTHER_LOGS=false)` });
      } else {
        const score = name === EVALUATION_EVENT ? evaluationScore(record, index, principal) : null;
        if (score && 'reason' in score) {
          rejected.push({ index, reason: score.reason });
          return;
        }
        if (score) scores.push(score);
        const event = logRecordEvent(record);
        rows.push({
          tenant_id: principal.tenantId, project_id: principal.projectId, trace_id: record.traceId, span_id: record.spanId,
          record_hash: recordHash(event), event: JSON.stringify(event),
        });
      }
    });
    if (rows.length > 0) {
      await this.db.transaction(async (trx) => {
        for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
          await trx('span_log_records').insert(rows.slice(i, i + INSERT_CHUNK)).onConflict(['project_id', 'trace_id', 'span_id', 'record_hash']).ignore();
        }
        for (let i = 0; i < scores.length; i += INSERT_CHUNK) {
          await trx('scores').insert(scores.slice(i, i + INSERT_CHUNK)).onConflict(['project_id', 'id']).ignore();
        }
        await countUsageWithinQuota(trx, principal.tenantId, { events: 0, bytes: wireBytes }, now);
      });
      this.onStored();
    }
    return { accepted: rows.length, rejected: [...decoded.rejected, ...rejected].sort((a, b) => a.index - b.index) };
  }
}
