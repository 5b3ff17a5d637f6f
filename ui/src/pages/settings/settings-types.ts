/** The JSON shapes of the settings routes (docs/api.md), for the settings pages only. */
import type { Role } from '../../api/types.ts';

export type Scope = 'ingest' | 'read';

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  project_id: string;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  active: boolean;
}

/** The answer to create and rotate: the only time the key itself is seen. */
export interface CreatedKey {
  id: string;
  key: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  project_id: string;
  replaces?: string;
}

export interface Member {
  user_id: string;
  email: string;
  name: string | null;
  role: Role;
  joined_at: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  invited_by: string | null;
  invited_by_email: string | null;
  created_at: string;
  expires_at: string;
}

export interface CreatedInvitation {
  id: string;
  email: string;
  role: Role;
  expires_at: string;
  accept_url: string;
}

export interface MaskedToken {
  set: boolean;
  last4: string | null;
}

export interface AnalyticsSettings {
  host: string | null;
  workspace_id: string | null;
  append_token: MaskedToken;
  admin_token: MaskedToken;
  source: 'tenant' | 'default';
  updated_at: string | null;
}

export type RateKey = 'input' | 'output' | 'cache_read' | 'cache_write' | 'reasoning';
export type Rates = Partial<Record<RateKey, number>>;

/** The rates a price has, in the order tables show them (USD per 1M tokens). */
export const RATE_KEYS: { key: RateKey; label: string }[] = [
  { key: 'input', label: 'Input' },
  { key: 'output', label: 'Output' },
  { key: 'cache_read', label: 'Cache read' },
  { key: 'cache_write', label: 'Cache write' },
  { key: 'reasoning', label: 'Reasoning' },
];

export interface PriceOverride {
  match: string;
  prices: Rates;
  tiers?: { above_input_tokens: number; prices: Rates }[];
}

export interface BuiltInPrice {
  id: string;
  provider: string;
  match: string;
  prices: Rates;
  tiers: { above_input_tokens: number; prices: Rates }[];
  updated: string;
  source: string;
}

export interface Usage {
  tenant_id: string;
  period_start: string;
  resets_at: string;
  events: number;
  bytes: number;
  monthly_event_quota: number | null;
  remaining: number | null;
  used_ratio: number | null;
  ingestion_refused: boolean;
  history: { period_start: string; events: number; bytes: number }[];
}

export interface AuditEntry {
  id: number;
  created_at: string;
  tenant_id: string | null;
  action: string;
  actor: { user_id: string | null; email: string | null; api_key_id: string | null };
  ip: string | null;
  target_type: string | null;
  target_id: string | null;
  details: Record<string, unknown> | null;
}

/** What every section gets from the settings page. */
export interface SectionProps {
  projectId: string;
  tenantId: string;
  /** Owner or admin of the project's tenant: may change settings. */
  canManage: boolean;
  role: Role | null;
}
