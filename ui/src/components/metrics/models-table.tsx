/** Usage, cost and latency per provider and model; a row opens the traces that used the model. */
import { DataTable, type Column } from '../data-table.tsx';
import { Empty } from '../states.tsx';
import { formatCost, formatCount, formatDuration } from '../../format.ts';
import type { LatencyRow, ModelRow } from './metrics-api.ts';

export type ModelUsage = ModelRow & { latency: LatencyRow | null };

/** The model rows with their latency (matched by model name). */
export function withLatency(models: ModelRow[], latency: LatencyRow[]): ModelUsage[] {
  const byModel = new Map(latency.map((l) => [l.model, l]));
  return models.map((m) => ({ ...m, latency: byModel.get(m.model) ?? null }));
}

export function ModelsTable({ rows, hrefOf, onOpen }: { rows: ModelUsage[]; hrefOf: (row: ModelUsage) => string; onOpen: (row: ModelUsage) => void }) {
  if (rows.length === 0) return <Empty title="No model calls in this range" />;
  const columns: Column<ModelUsage>[] = [
    { id: 'model', label: 'Model', render: (m) => <span class="mono">{m.model}</span> },
    { id: 'provider', label: 'Provider', render: (m) => m.provider || <span class="muted">–</span> },
    { id: 'requests', label: 'Requests', align: 'right', render: (m) => formatCount(m.requests) },
    { id: 'input', label: 'Input tokens', align: 'right', render: (m) => formatCount(m.input_tokens) },
    { id: 'output', label: 'Output tokens', align: 'right', render: (m) => formatCount(m.output_tokens) },
    { id: 'cost', label: 'Cost', align: 'right', render: (m) => formatCost(m.cost_usd) },
    { id: 'avg', label: 'Avg latency', align: 'right', render: (m) => formatDuration(m.latency?.avg_ms) },
    { id: 'p95', label: 'p95 latency', align: 'right', render: (m) => formatDuration(m.latency?.p95_ms) },
    { id: 'errors', label: 'Errors', align: 'right', render: (m) => (m.errors > 0 ? <span class="status-error">{formatCount(m.errors)}</span> : <span class="muted">0</span>) },
  ];
  return <DataTable label="Models" columns={columns} rows={rows} rowKey={(m) => `${m.provider}/${m.model}`} rowHref={hrefOf} onOpen={onOpen} />;
}
