/**
 * Cost enrichment of a canonical event, in this order:
 * (a) a cost the client reported (cost_source 'reported') is kept as it is;
 * (b) usage (reported or earlier estimated) + a known price -> cost_usd computed from the tokens;
 * (c) an llm/embedding span with messages but no usage -> tokens estimated (usage_source 'estimated'),
 *     and priced as 'estimated' when the model is known;
 * (d) otherwise, including unknown models, cost_usd null with cost_source 'none': never 0, which would
 *     read as "free" in sums instead of "unpriced".
 */
import type { CanonicalEvent } from '../events/canonical-event.ts';
import { computeCost } from './compute-cost.ts';
import { estimateTokens } from './estimate-tokens.ts';
import { defaultPriceTable, type PriceTable } from './price-table.ts';
import type { ModelPriceOverride } from './price-types.ts';

export function priceEvent(event: CanonicalEvent, table: PriceTable = defaultPriceTable(), overrides?: readonly ModelPriceOverride[]): CanonicalEvent {
  if (event.cost_source === 'reported' && event.cost_usd !== null) return event;
  // Looked up only for events that get a cost: most spans (chains, tools) carry neither usage nor messages.
  const priceOf = () => (event.model ? table.findPrice(event.model, event.provider, overrides) : null);

  if (hasUsage(event)) {
    const price = priceOf();
    if (!price) return unpriced(event);
    const cost_source = event.usage_source === 'estimated' ? 'estimated' : 'computed';
    return { ...event, cost_usd: computeCost(event, price).cost_usd, cost_source };
  }

  const isModelCall = event.type === 'llm' || event.type === 'embedding';
  if (!isModelCall || (!event.input?.length && !event.output?.length)) return unpriced(event);
  const tokens = estimateTokens(event.input, event.output, event.model);
  if (tokens.input_tokens + tokens.output_tokens === 0) return unpriced(event);
  const estimated: CanonicalEvent = {
    ...event,
    ...tokens,
    total_tokens: tokens.input_tokens + tokens.output_tokens,
    usage_source: 'estimated',
  };
  const price = priceOf();
  return price ? { ...estimated, cost_usd: computeCost(estimated, price).cost_usd, cost_source: 'estimated' } : unpriced(estimated);
}

function hasUsage(event: CanonicalEvent): boolean {
  return event.usage_source !== 'none' || event.input_tokens > 0 || event.output_tokens > 0 || event.total_tokens > 0
    || event.cache_read_tokens > 0 || event.cache_write_tokens > 0;
}

function unpriced(event: CanonicalEvent): CanonicalEvent {
  return event.cost_usd === null && event.cost_source === 'none' ? event : { ...event, cost_usd: null, cost_source: 'none' };
}
