/**
 * Enrichment: what the server knows and the client cannot claim. The tenant and project always come
 * from the API key and the retention from the project, overwriting anything the payload said; then the cost engine prices the event
 * (reported cost kept, else computed from usage, else estimated from messages) with the project's
 * price overrides ahead of the built-in table.
 */
import { defaultPriceTable, priceEvent, type ModelPriceOverride } from '../costs/index.ts';
import type { CanonicalEvent } from '../events/canonical-event.ts';
import type { BatchScope } from './write-batch.ts';

export interface ProjectSettings {
  retentionDays: number;
  priceOverrides: readonly ModelPriceOverride[];
}

export function enrich(event: CanonicalEvent, scope: BatchScope, project: ProjectSettings): CanonicalEvent {
  const stamped = { ...event, tenant_id: scope.tenantId, project_id: scope.projectId, retention_days: project.retentionDays };
  return priceEvent(stamped, defaultPriceTable(), project.priceOverrides);
}
