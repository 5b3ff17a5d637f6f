/**
 * Validation of price data: the bundled table (schemas/model-prices.json) and project overrides sent to
 * `PUT /api/v1/projects/:projectId/model-prices`. Messages name the entry and the field, so a typo in
 * either is found without reading code.
 */
import type { ModelPriceOverride, PriceEntry, PriceRates, PriceTier } from './price-types.ts';

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const RATE_KEYS = ['input', 'output', 'cache_read', 'cache_write', 'reasoning'] as const;
const ENTRY_KEYS = ['id', 'provider', 'match', 'unit', 'prices', 'tiers', 'updated', 'source', 'examples', 'requires_provider', 'note'];
const OVERRIDE_KEYS = ['match', 'prices', 'tiers'];
const MAX_OVERRIDES = 200;
const MAX_MATCH = 200;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownKeys(value: Json, allowed: readonly string[], path: string, errors: string[]): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) errors.push(`${path}.${key} is not a known field`);
}

function checkRates(value: unknown, path: string, errors: string[]): void {
  if (!isObject(value)) return void errors.push(`${path} must be an object of USD-per-million-token rates`);
  unknownKeys(value, RATE_KEYS, path, errors);
  for (const key of RATE_KEYS) {
    const rate = value[key];
    if (rate === undefined && (key === 'input' || key === 'output')) errors.push(`${path}.${key} is required`);
    else if (rate !== undefined && (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0)) {
      errors.push(`${path}.${key} must be a non-negative number`);
    }
  }
}

function checkTiers(value: unknown, path: string, errors: string[]): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) return void errors.push(`${path} must be an array`);
  let previous = 0;
  value.forEach((tier: unknown, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(tier)) return void errors.push(`${at} must be an object`);
    unknownKeys(tier, ['above_input_tokens', 'prices'], at, errors);
    const above = tier.above_input_tokens;
    if (typeof above !== 'number' || !Number.isInteger(above) || above <= 0) errors.push(`${at}.above_input_tokens must be a positive integer`);
    else if (above <= previous) errors.push(`${at}.above_input_tokens must be greater than the previous tier's`);
    else previous = above;
    checkRates(tier.prices, `${at}.prices`, errors);
  });
}

function checkRegex(source: string, path: string, errors: string[]): void {
  try {
    new RegExp(source);
  } catch (error) {
    errors.push(`${path} is not a valid regular expression (${(error as Error).message})`);
  }
}

/** Checks one table entry; `at` names it in messages, e.g. `models[3] (gpt-4o)`. */
export function checkPriceEntry(value: unknown, at: string, errors: string[]): value is PriceEntry {
  const before = errors.length;
  if (!isObject(value)) {
    errors.push(`${at} must be an object`);
    return false;
  }
  unknownKeys(value, ENTRY_KEYS, at, errors);
  for (const key of ['id', 'provider', 'match', 'updated', 'source']) {
    if (typeof value[key] !== 'string' || value[key] === '') errors.push(`${at}.${key} must be a non-empty string`);
  }
  if (typeof value.match === 'string') {
    // Anchored so `gpt-4o` cannot silently price `gpt-4o-mini` or `ft:gpt-4o...`.
    if (!value.match.startsWith('^') || !value.match.endsWith('$')) errors.push(`${at}.match must be anchored with ^ and $`);
    checkRegex(value.match, `${at}.match`, errors);
  }
  if (value.unit !== 'per_million_tokens') errors.push(`${at}.unit must be "per_million_tokens"`);
  if (typeof value.updated === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(value.updated)) errors.push(`${at}.updated must be a YYYY-MM-DD date`);
  if (typeof value.source === 'string' && !value.source.startsWith('https://')) errors.push(`${at}.source must be an https URL`);
  const examples = value.examples;
  if (!Array.isArray(examples) || examples.length === 0 || examples.some((e) => typeof e !== 'string' || e === '')) {
    errors.push(`${at}.examples must be a non-empty array of model names`);
  }
  if (value.requires_provider !== undefined && typeof value.requires_provider !== 'boolean') errors.push(`${at}.requires_provider must be a boolean`);
  if (value.note !== undefined && typeof value.note !== 'string') errors.push(`${at}.note must be a string`);
  checkRates(value.prices, `${at}.prices`, errors);
  checkTiers(value.tiers, `${at}.tiers`, errors);
  return errors.length === before;
}

/** Validates the body of `PUT .../model-prices`: an array of overrides. Returns copies with only known fields. */
export function validateOverrides(input: unknown): Validation<ModelPriceOverride[]> {
  if (!Array.isArray(input)) return { ok: false, errors: ['model prices must be an array of {match, prices, tiers?}'] };
  if (input.length > MAX_OVERRIDES) return { ok: false, errors: [`at most ${MAX_OVERRIDES} model prices per project`] };
  const errors: string[] = [];
  const seen = new Set<string>();
  input.forEach((item: unknown, i) => {
    const at = `[${i}]`;
    if (!isObject(item)) return void errors.push(`${at} must be an object with match and prices`);
    unknownKeys(item, OVERRIDE_KEYS, at, errors);
    const match = typeof item.match === 'string' ? item.match.trim() : '';
    if (match === '') errors.push(`${at}.match must be a model name or a regex starting with ^`);
    else if (match.length > MAX_MATCH) errors.push(`${at}.match must be at most ${MAX_MATCH} characters`);
    else if (match.startsWith('^')) checkRegex(match, `${at}.match`, errors);
    if (match !== '' && seen.has(match.toLowerCase())) errors.push(`${at}.match "${match}" appears twice`);
    seen.add(match.toLowerCase());
    checkRates(item.prices, `${at}.prices`, errors);
    checkTiers(item.tiers, `${at}.tiers`, errors);
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: input.map((item: Json) => copyOverride(item)) };
}

function copyOverride(item: Json): ModelPriceOverride {
  const override: ModelPriceOverride = { match: (item.match as string).trim(), prices: copyRates(item.prices as Json) };
  if (Array.isArray(item.tiers)) {
    override.tiers = item.tiers.map((t: Json): PriceTier => ({ above_input_tokens: t.above_input_tokens as number, prices: copyRates(t.prices as Json) }));
  }
  return override;
}

function copyRates(rates: Json): PriceRates {
  const copy: Record<string, number> = {};
  for (const key of RATE_KEYS) if (typeof rates[key] === 'number') copy[key] = rates[key] as number;
  return copy as unknown as PriceRates;
}
