import { describe, expect, it } from 'vitest';
import { normalizeModelName } from './model-name.ts';
import { findPrice, loadPriceTable } from './price-table.ts';
import { validateOverrides } from './price-validation.ts';
import type { ModelPriceOverride } from './price-types.ts';

const idOf = (model: string, provider?: string, overrides?: ModelPriceOverride[]) => findPrice(model, provider, overrides)?.id ?? null;

describe('normalizeModelName', () => {
  it('strips router, resource and Bedrock prefixes, keeps dates', () => {
    expect(normalizeModelName('openai/gpt-4o-2024-08-06')).toEqual({ raw: 'openai/gpt-4o-2024-08-06', name: 'gpt-4o-2024-08-06', hints: ['openai'] });
    expect(normalizeModelName('models/gemini-1.5-pro').name).toBe('gemini-1.5-pro');
    expect(normalizeModelName('accounts/fireworks/models/llama-v3p1-8b-instruct')).toMatchObject({ name: 'llama-v3p1-8b-instruct', hints: ['accounts', 'fireworks', 'models'] });
    expect(normalizeModelName('us.anthropic.claude-3-5-sonnet-20240620-v1:0')).toMatchObject({ name: 'claude-3-5-sonnet-20240620-v1', hints: ['anthropic'] });
    expect(normalizeModelName('claude-sonnet-4-5@20250929').name).toBe('claude-sonnet-4-5-20250929');
    expect(normalizeModelName('  GPT-4o ').name).toBe('gpt-4o');
  });
});

describe('findPrice', () => {
  it('matches dated, Vertex, Bedrock and prefixed variants to the right entry', () => {
    expect(idOf('gpt-4o-2024-08-06')).toBe('gpt-4o');
    expect(idOf('gpt-4o-2024-05-13')).toBe('gpt-4o-2024-05-13');
    expect(idOf('claude-3-5-sonnet-20241022')).toBe('claude-3-5-sonnet');
    expect(idOf('claude-sonnet-4-5@20250929')).toBe('claude-sonnet-4-5');
    expect(idOf('anthropic.claude-3-5-sonnet-20240620-v1:0')).toBe('claude-3-5-sonnet');
    expect(idOf('models/gemini-1.5-pro')).toBe('gemini-1.5-pro');
    expect(idOf('openai/gpt-4o')).toBe('gpt-4o');
    expect(idOf('claude-sonnet-4-20250514')).toBe('claude-sonnet-4');
  });

  it('keeps families apart: gpt-4o-mini is not gpt-4o, sonnet-4-5 is not sonnet-4', () => {
    expect(idOf('gpt-4o-mini')).toBe('gpt-4o-mini');
    expect(idOf('gpt-4o-mini-2024-07-18')).toBe('gpt-4o-mini');
    expect(idOf('claude-sonnet-4-5-20250929')).toBe('claude-sonnet-4-5');
    expect(idOf('o3-mini')).toBe('o3-mini');
    expect(idOf('gemini-2.5-flash-lite')).toBe('gemini-2.5-flash-lite');
  });

  it('returns null for unknown models and for variants priced differently (audio, fine-tunes, newer versions)', () => {
    for (const model of ['my-local-model', '', 'gpt-4o-audio-preview', 'ft:gpt-4o-mini-2024-07-18:acme::abc123', 'claude-opus-4-6', 'gpt-4o-minis']) {
      expect(idOf(model)).toBeNull();
    }
  });

  it('prices host-dependent models only when the provider (or a model prefix) names the host', () => {
    expect(idOf('llama-3.3-70b-versatile')).toBeNull();
    expect(idOf('llama-3.3-70b-versatile', 'groq')).toBe('groq-llama-3.3-70b-versatile');
    expect(idOf('llama-3.1-8b-instant', 'groq.chat')).toBe('groq-llama-3.1-8b-instant');
    expect(idOf('groq/gemma2-9b-it', 'openai')).toBe('groq-gemma2-9b-it');
  });

  it('tries project overrides first: exact names and ^regexes, against raw and normalised names', () => {
    const overrides: ModelPriceOverride[] = [
      { match: 'gpt-4o', prices: { input: 1, output: 2 } },
      { match: '^ft:gpt-4o-mini', prices: { input: 0.3, output: 1.2 } },
      { match: 'My-Deployment', prices: { input: 4, output: 4 } },
    ];
    expect(findPrice('openai/gpt-4o', undefined, overrides)).toMatchObject({ id: 'override:gpt-4o', origin: 'override', prices: { input: 1, output: 2 } });
    expect(idOf('gpt-4o-2024-08-06', undefined, overrides)).toBe('gpt-4o'); // exact name: dated snapshot still uses the table
    expect(idOf('ft:gpt-4o-mini-2024-07-18:acme::abc123', undefined, overrides)).toBe('override:^ft:gpt-4o-mini');
    expect(idOf('my-deployment', undefined, overrides)).toBe('override:My-Deployment');
    expect(findPrice('gpt-4o')?.origin).toBe('table');
  });
});

describe('loadPriceTable', () => {
  const entry = { id: 'x', provider: 'acme', match: '^x$', unit: 'per_million_tokens', prices: { input: 1, output: 2 }, updated: '2025-01-01', source: 'https://acme.test/pricing', examples: ['x'] };

  it('names the bad entry and field', () => {
    expect(() => loadPriceTable({ models: [entry, { ...entry, id: 'bad', prices: { input: -1, output: 2 } }] }))
      .toThrow('models[1] (bad).prices.input must be a non-negative number');
    expect(() => loadPriceTable({ models: [{ ...entry, match: 'x' }] })).toThrow('models[0] (x).match must be anchored with ^ and $');
    expect(() => loadPriceTable({ models: [{ ...entry, match: '^(x$' }] })).toThrow('models[0] (x).match is not a valid regular expression');
    expect(() => loadPriceTable({ models: [entry, entry] })).toThrow('models[1] (x): duplicate id');
    expect(() => loadPriceTable([])).toThrow('expected an object with a "models" array');
  });
});

describe('validateOverrides', () => {
  it('accepts valid overrides and returns clean copies', () => {
    const result = validateOverrides([{ match: ' gpt-4o ', prices: { input: 1, output: 2, cache_read: 0.5 }, tiers: [{ above_input_tokens: 1000, prices: { input: 2, output: 4 } }] }]);
    expect(result).toEqual({ ok: true, value: [{ match: 'gpt-4o', prices: { input: 1, output: 2, cache_read: 0.5 }, tiers: [{ above_input_tokens: 1000, prices: { input: 2, output: 4 } }] }] });
  });

  it('names each bad field', () => {
    const result = validateOverrides([
      { match: '', prices: { input: 1 } },
      { match: '^(gpt', prices: { input: 'cheap', output: 1, extra: 3 }, tiers: [{ above_input_tokens: 0, prices: { input: 1, output: 1 } }] },
      { match: 'a', prices: { input: 1, output: 1 }, tiers: [{ above_input_tokens: 10, prices: { input: 1, output: 1 } }, { above_input_tokens: 5, prices: { input: 1, output: 1 } }] },
      { match: 'A', prices: { input: 1, output: 1 }, color: 'red' },
    ]);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual([
      '[0].match must be a model name or a regex starting with ^',
      '[0].prices.output is required',
      expect.stringContaining('[1].match is not a valid regular expression'),
      '[1].prices.extra is not a known field',
      '[1].prices.input must be a non-negative number',
      '[1].tiers[0].above_input_tokens must be a positive integer',
      "[2].tiers[1].above_input_tokens must be greater than the previous tier's",
      '[3].color is not a known field',
      '[3].match "A" appears twice',
    ]);
    expect(validateOverrides({ match: 'x' })).toEqual({ ok: false, errors: ['model prices must be an array of {match, prices, tiers?}'] });
  });
});
