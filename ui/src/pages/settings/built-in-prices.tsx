/** The built-in model price table, read-only, filtered by the `price` URL parameter (a deep link). */
import { get } from '../../api/client.ts';
import { DataTable, type Column } from '../../components/data-table.tsx';
import { Empty, ErrorState, Loading } from '../../components/states.tsx';
import { useResource } from '../../state/use-resource.ts';
import { useUrlQuery } from '../../state/url-query.ts';
import { safeHref } from '../../safe-href.ts';
import { RATE_KEYS, type BuiltInPrice } from './settings-types.ts';

export function BuiltInPrices() {
  const table = useResource((signal) => get<{ data: BuiltInPrice[] }>('/api/v1/model-prices', {}, signal), 'built-in');
  const { query, setQuery } = useUrlQuery();
  const search = query.price ?? '';
  const needle = search.trim().toLowerCase();
  const rows = (table.data?.data ?? []).filter((p) => !needle || `${p.id} ${p.provider} ${p.match}`.toLowerCase().includes(needle));

  const columns: Column<BuiltInPrice>[] = [
    {
      id: 'id',
      label: 'Model',
      render: (p) => (
        <>
          <a href={safeHref(p.source) ?? undefined} target="_blank" rel="noreferrer" title={`Updated ${p.updated}; source: ${p.source}`}><strong>{p.id}</strong></a> <span class="muted small">{p.provider}</span>{' '}
          {p.tiers.length > 0 && <span class="badge" title={p.tiers.map((t) => `above ${t.above_input_tokens.toLocaleString('en-US')} input tokens: $${t.prices.input} / $${t.prices.output}`).join('\n')}>tiered</span>}
        </>
      ),
    },
    { id: 'match', label: 'Matches', render: (p) => <code class="clip match" title={p.match}>{p.match}</code> },
    // Only the rates some model has (no built-in model prices reasoning separately today).
    ...RATE_KEYS.filter(({ key }) => table.data?.data.some((p) => p.prices[key] !== undefined)).map(({ key, label }): Column<BuiltInPrice> => ({ id: key, label, align: 'right', render: (p) => (p.prices[key] === undefined ? '–' : `$${p.prices[key]}`) })),
  ];

  return (
    <div>
      <div class="page-header" style={{ marginBottom: 8 }}>
        <h3 style={{ margin: 0 }}>Built-in prices</h3>
        <input type="search" aria-label="Search built-in prices" placeholder="Search model or provider" size={28} value={search} onInput={(e) => setQuery({ price: (e.target as HTMLInputElement).value })} />
      </div>
      {table.error ? (
        <ErrorState error={table.error} retry={table.reload} />
      ) : !table.data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Empty title="No model matches">Try another name, or add an override above.</Empty>
      ) : (
        <div class="table-scroll"><DataTable label="Built-in prices" columns={columns} rows={rows} rowKey={(p) => p.id} /></div>
      )}
    </div>
  );
}
