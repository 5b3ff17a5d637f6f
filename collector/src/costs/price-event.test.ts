import { encode as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { emptyEvent, type CanonicalEvent } from '../events/canonical-event.ts';
import { priceEvent } from './price-event.ts';
import { defaultPriceTable } from './price-table.ts';

const table = defaultPriceTable();
const llm = (fields: Partial<CanonicalEvent>): CanonicalEvent => ({ ...emptyEvent(), type: 'llm', provider: 'openai', model: 'gpt-4o', ...fields });
const reported = { usage_source: 'reported' as const };

describe('priceEvent', () => {
  it('keeps a reported cost', () => {
    const event = llm({ ...reported, input_tokens: 1000, output_tokens: 100, total_tokens: 1100, cost_usd: 0.42, cost_source: 'reported' });
    expect(priceEvent(event, table)).toBe(event);
  });

  it('computes the cost from reported usage', () => {
    const priced = priceEvent(llm({ ...reported, input_tokens: 1000, cache_read_tokens: 800, output_tokens: 100, total_tokens: 1100 }), table);
    expect(priced).toMatchObject({ cost_usd: 0.0025, cost_source: 'computed', usage_source: 'reported' });
  });

  it('rounds costs to 1e-10 USD', () => {
    const priced = priceEvent(llm({ ...reported, model: 'gpt-5-nano', input_tokens: 1, output_tokens: 0, total_tokens: 1 }), table);
    expect(priced.cost_usd).toBe(1e-7 / 2);
    const tiny = priceEvent(llm({ ...reported, input_tokens: 3, output_tokens: 7, total_tokens: 10 }), table);
    expect(tiny.cost_usd).toBe(0.0000775);
  });

  it('leaves unknown models unpriced (null, never 0)', () => {
    const priced = priceEvent(llm({ ...reported, model: 'my-local-llama', input_tokens: 10, output_tokens: 5, total_tokens: 15 }), table);
    expect(priced).toMatchObject({ cost_usd: null, cost_source: 'none', usage_source: 'reported', input_tokens: 10 });
  });

  it('estimates tokens and cost for an llm span with messages but no usage', () => {
    const prompt = 'Summarise the plot of Hamlet in two sentences.';
    const reply = 'Prince Hamlet seeks revenge on his uncle Claudius, who murdered his father. His hesitation leads to tragedy.';
    const event = llm({ input: [{ role: 'user', parts: [{ type: 'text', content: prompt }] }], output: [{ role: 'assistant', parts: [{ type: 'text', content: reply }] }] });
    const priced = priceEvent(event, table);
    const input_tokens = 3 + o200k('user').length + o200k(prompt).length + 3;
    const output_tokens = o200k(reply).length;
    expect(priced).toMatchObject({ usage_source: 'estimated', cost_source: 'estimated', input_tokens, output_tokens, total_tokens: input_tokens + output_tokens });
    expect(priced.cost_usd).toBe(Math.round((input_tokens * 2.5 + output_tokens * 10) * 1e4) / 1e10);
    // An estimated event priced again (e.g. with new overrides) stays 'estimated'.
    expect(priceEvent(priced, table).cost_source).toBe('estimated');
  });

  it('estimates tokens but leaves the cost null when the model is unknown', () => {
    const event = llm({ model: 'my-local-llama', input: [{ role: 'user', parts: [{ type: 'text', content: 'Hi there' }] }] });
    expect(priceEvent(event, table)).toMatchObject({ usage_source: 'estimated', cost_usd: null, cost_source: 'none' });
  });

  it('uses project overrides before the table', () => {
    const overrides = [{ match: 'gpt-4o', prices: { input: 1, output: 1 } }];
    const priced = priceEvent(llm({ ...reported, input_tokens: 1000, output_tokens: 1000, total_tokens: 2000 }), table, overrides);
    expect(priced.cost_usd).toBe(0.002);
  });

  it('leaves spans that are not model calls unpriced', () => {
    const tool: CanonicalEvent = { ...emptyEvent(), type: 'tool', tool_name: 'search', input: [{ role: 'user', parts: [{ type: 'text', content: 'q' }] }] };
    expect(priceEvent(tool, table)).toMatchObject({ cost_usd: null, cost_source: 'none', usage_source: 'none', input_tokens: 0 });
    const chain: CanonicalEvent = { ...emptyEvent(), type: 'chain', cost_usd: 0, cost_source: 'computed' };
    expect(priceEvent(chain, table)).toMatchObject({ cost_usd: null, cost_source: 'none' });
  });
});
