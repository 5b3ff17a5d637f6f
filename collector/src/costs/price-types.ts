/** Rates in USD per million tokens (`per_million_tokens`, the only unit the table uses). */
export interface PriceRates {
  input: number;
  output: number;
  /** Cached input tokens (cache hits); absent = billed at the input rate. */
  cache_read?: number;
  /** Cache creation tokens (Anthropic); absent = billed at the input rate. */
  cache_write?: number;
  /** Reasoning tokens, which are part of output tokens; absent = billed at the output rate. */
  reasoning?: number;
}

/** Above `above_input_tokens` prompt tokens the whole request is billed at `prices`. */
export interface PriceTier {
  above_input_tokens: number;
  prices: PriceRates;
}

/** What computeCost needs. */
export interface Pricing {
  prices: PriceRates;
  tiers?: PriceTier[];
}

/** One entry of schemas/model-prices.json. */
export interface PriceEntry extends Pricing {
  id: string;
  provider: string;
  match: string;
  unit: 'per_million_tokens';
  updated: string;
  source: string;
  examples: string[];
  requires_provider?: boolean;
  note?: string;
}

/**
 * A project's own price for a model, tried before the table. `match` starting with `^` is a regex,
 * anything else an exact model name (case-insensitive); both are compared with the raw model name and
 * its normalised form, so `gpt-4o` also covers `openai/gpt-4o` and `^ft:gpt-4o-mini` covers fine-tunes.
 */
export interface ModelPriceOverride extends Pricing {
  match: string;
}

/** What findPrice returns: the rates plus where they came from. */
export interface FoundPrice extends Pricing {
  id: string;
  origin: 'table' | 'override';
}
