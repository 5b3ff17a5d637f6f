/** The cost engine: price table, cost computation, token estimation and event enrichment (all synchronous). */
export { computeCost, ratesFor, roundUsd, type Cost, type CostBreakdown, type Usage } from './compute-cost.ts';
export { encodingFor, estimateTokens, type EncodingName } from './estimate-tokens.ts';
export { normalizeModelName, type NormalizedModel } from './model-name.ts';
export { priceEvent } from './price-event.ts';
export { defaultPriceTable, findPrice, loadPriceTable, type PriceTable } from './price-table.ts';
export type { FoundPrice, ModelPriceOverride, PriceEntry, PriceRates, PriceTier, Pricing } from './price-types.ts';
export { MAX_OVERRIDES, validateOverrides, type Validation } from './price-validation.ts';
