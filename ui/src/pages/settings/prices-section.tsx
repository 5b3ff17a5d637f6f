/**
 * Model prices: the project's overrides (edited as rows, saved together: the PUT replaces them all)
 * and, below, the built-in table they take precedence over, searchable. Prices are USD per 1M tokens.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, put } from '../../api/client.ts';
import { ErrorState, Loading } from '../../components/states.tsx';
import { useAction } from '../../state/use-action.ts';
import { useResource } from '../../state/use-resource.ts';
import { formatTime } from '../../format.ts';
import { BuiltInPrices } from './built-in-prices.tsx';
import { RATE_KEYS, type PriceOverride, type RateKey, type SectionProps } from './settings-types.ts';

/** A row as typed: numbers stay text until saved, so a half-typed "0." is not lost. */
interface Row {
  match: string;
  rates: Record<RateKey, string>;
  tiers?: PriceOverride['tiers'];
}

function toRow(o: PriceOverride): Row {
  const rates = Object.fromEntries(RATE_KEYS.map(({ key }) => [key, o.prices[key] === undefined ? '' : String(o.prices[key])])) as Record<RateKey, string>;
  return { match: o.match, rates, tiers: o.tiers };
}

/** Rows back to the API's shape; blank rates are left out (input and output are required: the server says so). */
export function toOverrides(rows: Row[]): PriceOverride[] {
  return rows.map((row) => {
    const prices: PriceOverride['prices'] = {};
    for (const { key } of RATE_KEYS) if (row.rates[key].trim() !== '') prices[key] = Number(row.rates[key]);
    return { match: row.match.trim(), prices, ...(row.tiers?.length ? { tiers: row.tiers } : {}) };
  });
}

export function PricesSection({ projectId, canManage }: SectionProps) {
  const stored = useResource((signal) => get<{ overrides: PriceOverride[]; updated_at: string | null }>(`/api/v1/projects/${projectId}/model-prices`, {}, signal), projectId);
  const [rows, setRows] = useState<Row[]>([]);
  const save = useAction(async () => {
    await put(`/api/v1/projects/${projectId}/model-prices`, { overrides: toOverrides(rows) });
    stored.reload();
  });
  useEffect(() => setRows(stored.data?.overrides.map(toRow) ?? []), [stored.data]);

  const changeRows = (next: Row[]) => {
    save.reset();
    setRows(next);
  };
  const edit = (index: number, change: (row: Row) => Row) => changeRows(rows.map((row, i) => (i === index ? change(row) : row)));
  const emptyRates = Object.fromEntries(RATE_KEYS.map(({ key }) => [key, ''])) as Record<RateKey, string>;

  return (
    <>
      <div>
        <h2>Model prices</h2>
        <p class="section-intro">
          Overrides win over the built-in table for this project, for events ingested after the change. Match an exact model name (case-insensitive, provider prefixes
          ignored) or a regular expression starting with <code>^</code>. Prices in USD per 1M tokens.
        </p>
      </div>
      {stored.error ? (
        <ErrorState error={stored.error} retry={stored.reload} />
      ) : !stored.data ? (
        <Loading />
      ) : (
        <form class="panel" onSubmit={(event) => { event.preventDefault(); void save.run(); }} aria-label="Price overrides">
          <table class="data-table" aria-label="Price overrides">
            <thead>
              <tr>
                <th>Model</th>
                {RATE_KEYS.map(({ key, label }) => <th key={key} class="num">{label}</th>)}
                {canManage && <th />}
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 && (
                <tr><td colSpan={7} class="muted">No overrides: the built-in prices below apply.</td></tr>
              )}
              {rows.map((row, index) => (
                <tr key={index}>
                  <td>
                    {canManage ? (
                      <input aria-label="Model" required placeholder="my-model or ^my-.*" value={row.match} onInput={(e) => edit(index, (r) => ({ ...r, match: (e.target as HTMLInputElement).value }))} />
                    ) : (
                      <code>{row.match}</code>
                    )}
                    {row.tiers?.length ? <span class="badge" title="Tiers are kept as saved through the API">{row.tiers.length} tier(s)</span> : null}
                  </td>
                  {RATE_KEYS.map(({ key, label }) => (
                    <td key={key} class="num">
                      {canManage ? (
                        <input class="price-input" aria-label={`${label} price`} inputMode="decimal" pattern="[0-9]*\.?[0-9]*" required={key === 'input' || key === 'output'}
                          value={row.rates[key]} onInput={(e) => edit(index, (r) => ({ ...r, rates: { ...r.rates, [key]: (e.target as HTMLInputElement).value } }))} />
                      ) : (
                        row.rates[key] || '–'
                      )}
                    </td>
                  ))}
                  {canManage && (
                    <td class="num"><button type="button" class="danger" onClick={() => changeRows(rows.filter((_, i) => i !== index))}>Remove</button></td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          <div class="panel-body toolbar" style={{ marginBottom: 0 }}>
            {canManage ? (
              <>
                <button type="button" onClick={() => changeRows([...rows, { match: '', rates: { ...emptyRates } }])}>Add override</button>
                <button type="submit" class="primary" disabled={save.busy}>{save.busy ? 'Saving…' : 'Save overrides'}</button>
              </>
            ) : (
              <span class="small muted">Only owners and admins can change prices.</span>
            )}
            {stored.data.updated_at && <span class="small muted">Last saved {formatTime(stored.data.updated_at)}</span>}
            {save.done && <span class="form-saved" role="status">Saved.</span>}
            {save.error && <span class="form-error" role="alert">{save.error}</span>}
          </div>
        </form>
      )}
      <BuiltInPrices />
    </>
  );
}
