/**
 * Enrichment: what the server knows and the client cannot claim. The tenant and project always come
 * from the API key, overwriting anything the payload said. (The cost engine joins here next.)
 */
import type { CanonicalEvent } from '../events/canonical-event.ts';
import type { BatchScope } from './write-batch.ts';

export function enrich(event: CanonicalEvent, scope: BatchScope): CanonicalEvent {
  return { ...event, tenant_id: scope.tenantId, project_id: scope.projectId };
}
