import { describe, expect, it } from 'vitest';
import { computeCost, type Usage } from './compute-cost.ts';
import { findPrice } from './price-table.ts';
import type { FoundPrice, Pricing } from './price-types.ts';

const usage = (u: Partial<Usage>): Usage => ({ input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, ...u });
const price = (model: string): FoundPrice => {
  const found = findPrice(model);
  if (!found) throw new Error(`no price for ${model}`);
  return found;
};

describe('computeCost', () => {
  it('bills cached input once, at the cache rate (gpt-4o: 1000 input incl. 800 cached + 100 output)', () => {
    const { cost_usd, breakdown } = computeCost(usage({ input_tokens: 1000, cache_read_tokens: 800, output_tokens: 100 }), price('gpt-4o'));
    // 200 x $2.50 + 800 x $1.25 + 100 x $10 per million
    expect(breakdown).toEqual({ input: 0.0005, cache_read: 0.001, cache_write: 0, output: 0.001, reasoning: 0 });
    expect(cost_usd).toBe(0.0025);
  });

  it('bills Anthropic cache writes at 1.25x and reads at 0.1x the input rate', () => {
    const cost = computeCost(usage({ input_tokens: 10_000, cache_read_tokens: 2000, cache_write_tokens: 4000, output_tokens: 500 }), price('claude-sonnet-4-5-20250929'));
    // 4000 x $3 + 2000 x $0.30 + 4000 x $3.75 + 500 x $15
    expect(cost.breakdown).toEqual({ input: 0.012, cache_read: 0.0006, cache_write: 0.015, output: 0.0075, reasoning: 0 });
    expect(cost.cost_usd).toBe(0.0351);
  });

  it('does not bill reasoning tokens twice (o3, deepseek-reasoner)', () => {
    // o3: 1000 x $2 + 2000 output (1500 of them reasoning) x $8
    const o3 = computeCost(usage({ input_tokens: 1000, output_tokens: 2000, reasoning_tokens: 1500 }), price('o3-2025-04-16'));
    expect(o3.cost_usd).toBe(0.018);
    expect(o3.breakdown).toMatchObject({ output: 0.004, reasoning: 0.012 });
    // deepseek-reasoner: 4000 miss x $0.28 + 6000 hit x $0.028 + 3000 output x $0.42
    const r1 = computeCost(usage({ input_tokens: 10_000, cache_read_tokens: 6000, output_tokens: 3000, reasoning_tokens: 2500 }), price('deepseek-reasoner'));
    expect(r1.cost_usd).toBe(0.002548);
  });

  it('bills reasoning at its own rate when the price has one, the rest of output at the output rate', () => {
    const custom: Pricing = { prices: { input: 1, output: 2, reasoning: 5 } };
    expect(computeCost(usage({ output_tokens: 100, reasoning_tokens: 40 }), custom).cost_usd).toBe(0.00032);
    // Reasoning above output (inconsistent client data) is capped at output.
    expect(computeCost(usage({ output_tokens: 10, reasoning_tokens: 40 }), custom).cost_usd).toBe(0.00005);
  });

  it('bills the whole request at the long-context tier once the prompt exceeds it (gemini-2.5-pro > 200k)', () => {
    const above = computeCost(usage({ input_tokens: 250_000, cache_read_tokens: 50_000, output_tokens: 1000 }), price('gemini-2.5-pro'));
    // 200k x $2.50 + 50k x $0.25 + 1000 x $15
    expect(above.cost_usd).toBe(0.5275);
    // Exactly at the threshold is not above it: 200k x $1.25 + 1000 x $10
    expect(computeCost(usage({ input_tokens: 200_000, output_tokens: 1000 }), price('gemini-2.5-pro')).cost_usd).toBe(0.26);
    // gemini-1.5-flash switches at 128k
    expect(computeCost(usage({ input_tokens: 128_001 }), price('gemini-1.5-flash')).cost_usd).toBe(0.01920015);
  });

  it('defaults cache prices to the input rate and floors uncached input at 0', () => {
    const plain: Pricing = { prices: { input: 1, output: 1 } };
    expect(computeCost(usage({ input_tokens: 300, cache_read_tokens: 100, cache_write_tokens: 200 }), plain).cost_usd).toBe(0.0003);
    // A client that reported input without its cached part: cached tokens are still billed, input is not negative.
    const cost = computeCost(usage({ input_tokens: 100, cache_read_tokens: 800 }), price('gpt-4o'));
    expect(cost.breakdown.input).toBe(0);
    expect(cost.cost_usd).toBe(0.001);
  });

  it('treats negative or non-finite token counts as 0', () => {
    expect(computeCost(usage({ input_tokens: -5, output_tokens: Number.NaN }), price('gpt-4o')).cost_usd).toBe(0);
  });
});
