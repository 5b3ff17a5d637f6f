/**
 * Cost of one model call from its token counts and a price. Token counts follow OTel GenAI:
 * input_tokens INCLUDES cache_read_tokens and cache_write_tokens; output_tokens INCLUDES reasoning_tokens.
 * Rules (each is where cost tools commonly go wrong):
 * 1. Tier: the prompt size (input incl. cached) picks the tier; above a tier's threshold the WHOLE request
 *    is billed at that tier (Gemini and Anthropic long-context pricing work this way).
 * 2. Cached input is billed once, at cache_read (input rate if the model has no cache price), and is not
 *    billed again as input: uncached input = input - cache_read - cache_write, floored at 0 (the floor
 *    absorbs clients that report input without its cached part).
 * 3. Cache writes are billed at cache_write, defaulting to the input rate.
 * 4. Reasoning tokens are billed once: at the reasoning rate if the model has one, else at the output rate;
 *    `breakdown.output` is the visible output only (output - reasoning).
 */
import type { PriceRates, Pricing } from './price-types.ts';

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
}

export interface CostBreakdown {
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
  reasoning: number;
}

export interface Cost {
  cost_usd: number;
  breakdown: CostBreakdown;
}

const count = (n: number): number => (Number.isFinite(n) && n > 0 ? n : 0);

/** Costs are stored to 1e-10 USD: far below a token's price, and free of float noise like 0.0025000000000000005. */
function roundUsd(usd: number): number {
  return Math.round(usd * 1e10) / 1e10;
}

/** The rates that apply to a request whose prompt has `promptTokens` tokens (rule 1). */
function ratesFor(price: Pricing, promptTokens: number): PriceRates {
  let rates = price.prices;
  for (const tier of price.tiers ?? []) if (promptTokens > tier.above_input_tokens) rates = tier.prices;
  return rates;
}

export function computeCost(usage: Usage, price: Pricing): Cost {
  const cacheRead = count(usage.cache_read_tokens);
  const cacheWrite = count(usage.cache_write_tokens);
  const input = count(usage.input_tokens);
  const output = count(usage.output_tokens);
  const reasoning = Math.min(count(usage.reasoning_tokens), output);
  const rates = ratesFor(price, Math.max(input, cacheRead + cacheWrite));
  // Token x (USD per million) summed first and divided once: fewer rounding steps.
  const perMillion: CostBreakdown = {
    input: Math.max(0, input - cacheRead - cacheWrite) * rates.input,
    cache_read: cacheRead * (rates.cache_read ?? rates.input),
    cache_write: cacheWrite * (rates.cache_write ?? rates.input),
    output: (output - reasoning) * rates.output,
    reasoning: reasoning * (rates.reasoning ?? rates.output),
  };
  const breakdown = {} as CostBreakdown;
  let total = 0;
  for (const key of Object.keys(perMillion) as (keyof CostBreakdown)[]) {
    breakdown[key] = roundUsd(perMillion[key] / 1e6);
    total += perMillion[key];
  }
  return { cost_usd: roundUsd(total / 1e6), breakdown };
}
