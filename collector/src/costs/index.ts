/** The cost engine: price table, cost computation, token estimation and event enrichment (all synchronous). */
export { priceEvent } from './price-event.ts';
export { defaultPriceTable } from './price-table.ts';
export type { ModelPriceOverride } from './price-types.ts';
export { validateOverrides } from './price-validation.ts';
