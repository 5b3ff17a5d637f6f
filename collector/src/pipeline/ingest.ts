/**
 * The ingest pipeline after decoding: map each span to a canonical event, enrich it (tenant and
 * project from the key, cost), write the batch in one transaction, then wake the shipper.
 */
import type { Knex } from 'knex';
import type { ApiKeyPrincipal } from '../auth/principal.ts';
import type { CanonicalEvent } from '../events/canonical-event.ts';
import { mapSpan } from '../mapping/map-span.ts';
import type { DecodedSpan, RejectedSpan } from '../otlp/span.ts';
import { rejectSpan, timeProblem } from '../otlp/validate-span.ts';
import { enrich } from './enrich.ts';
import type { ModelPriceOverrides } from '../stores/control/model-price-overrides.ts';
import type { ProjectRetention } from '../stores/control/project-retention.ts';
import type { OutboxShipper } from './outbox-shipper.ts';
import { writeBatch, type WriteResult } from './write-batch.ts';

export interface IngestResult extends WriteResult {
  rejected: RejectedSpan[];
}

/**
 * The request position of decoded span (or log record) `position`: each one the decoder rejected before it shifts it
 * by one. `skipped` is in request order, as the decoders report it.
 */
export function requestIndex(position: number, skipped: readonly RejectedSpan[]): number {
  let index = position;
  for (const rejected of skipped) {
    if (rejected.index > index) break;
    index += 1;
  }
  return index;
}

export class IngestPipeline {
  constructor(
    private readonly db: Knex,
    private readonly shipper: OutboxShipper,
    private readonly priceOverrides: ModelPriceOverrides,
    private readonly retention: ProjectRetention,
  ) {}

  /**
   * Spans that cannot be mapped are rejected one by one (index + reason); the rest are written.
   * `skipped` are the spans the decoder already rejected, so indexes name positions in the request.
   */
  async ingestSpans(principal: ApiKeyPrincipal, spans: DecodedSpan[], wireBytes: number, skipped: RejectedSpan[] = []): Promise<IngestResult> {
    const events: CanonicalEvent[] = [];
    const rejected: RejectedSpan[] = [];
    spans.forEach((span, position) => {
      const outOfWindow = timeProblem(span.startTimeUnixNano, span.endTimeUnixNano);
      if (outOfWindow !== null) {
        rejected.push(rejectSpan(requestIndex(position, skipped), outOfWindow));
        return;
      }
      try {
        events.push(mapSpan(span));
      } catch (err) {
        const index = requestIndex(position, skipped);
        rejected.push({ index, reason: `span ${index} could not be mapped: ${err instanceof Error ? err.message : String(err)}` });
      }
    });
    return { ...(await this.ingestEvents(principal, events, wireBytes)), rejected };
  }

  /** `warnings[i]`: what normalising event i changed (NUL replaced, string cut, …), also kept on the stored event. */
  async ingestEvents(principal: ApiKeyPrincipal, events: CanonicalEvent[], wireBytes: number): Promise<WriteResult & { warnings: string[][] }> {
    const scope = { tenantId: principal.tenantId, projectId: principal.projectId };
    const [priceOverrides, retentionDays] = await Promise.all([this.priceOverrides.forProject(scope.projectId), this.retention.days(scope.projectId)]);
    const project = { priceOverrides, retentionDays };
    const enriched = events.map((e) => enrich(e, scope, project));
    const result = await writeBatch(this.db, scope, enriched.map((e) => e.event), wireBytes);
    if (result.outboxId !== null) this.shipper.poke();
    return { ...result, warnings: enriched.map((e) => e.warnings) };
  }
}
