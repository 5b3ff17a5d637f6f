/**
 * The price table: schemas/model-prices.json, validated and compiled once, and the lookup that turns a
 * model name (+ provider) into rates. Project overrides are tried before the table.
 */
import { readFileSync } from 'node:fs';
import { normalizeModelName, viaProvider, type NormalizedModel } from './model-name.ts';
import { checkPriceEntry } from './price-validation.ts';
import type { FoundPrice, ModelPriceOverride, PriceEntry } from './price-types.ts';

export interface PriceTable {
  readonly entries: readonly PriceEntry[];
  /** The first override, else the first table entry, whose pattern matches; null when the model is unknown. */
  findPrice(model: string, provider?: string, overrides?: readonly ModelPriceOverride[]): FoundPrice | null;
}

const TABLE_FILE = new URL('../../../schemas/model-prices.json', import.meta.url);

interface Compiled {
  entry: PriceEntry;
  regex: RegExp;
  found: FoundPrice;
}

/** Validates and compiles table data (the parsed JSON); throws naming every bad entry. */
export function loadPriceTable(data: unknown, label = 'schemas/model-prices.json'): PriceTable {
  const models = typeof data === 'object' && data !== null ? (data as { models?: unknown }).models : undefined;
  if (!Array.isArray(models)) throw new Error(`${label}: expected an object with a "models" array`);
  const errors: string[] = [];
  const ids = new Set<string>();
  const compiled: Compiled[] = [];
  models.forEach((value: unknown, i) => {
    const id = typeof (value as PriceEntry | null)?.id === 'string' ? ` (${(value as PriceEntry).id})` : '';
    if (!checkPriceEntry(value, `models[${i}]${id}`, errors)) return;
    if (ids.has(value.id)) return void errors.push(`models[${i}]${id}: duplicate id`);
    ids.add(value.id);
    const found: FoundPrice = { id: value.id, origin: 'table', prices: value.prices, ...(value.tiers ? { tiers: value.tiers } : {}) };
    compiled.push({ entry: value, regex: new RegExp(value.match), found });
  });
  if (errors.length > 0) throw new Error(`${label} is invalid: ${errors.join('; ')}`);
  const fromTable = (normalized: NormalizedModel, provider: string | undefined): FoundPrice | null => {
    for (const { entry, regex, found } of compiled) {
      if (!regex.test(normalized.name)) continue;
      if (entry.requires_provider && !viaProvider(entry.provider, provider, normalized.hints)) continue;
      return found;
    }
    return null;
  };
  // Every priced span looks its model up, and a deployment sees few distinct models: remember the
  // table's answers (bounded) rather than run the table's patterns on each span.
  const remembered = new Map<string, FoundPrice | null>();
  return {
    entries: compiled.map((c) => c.entry),
    findPrice(model, provider, overrides) {
      if (!model) return null;
      const normalized = normalizeModelName(model);
      if (overrides) {
        for (const override of overrides) if (overrideMatcher(override)(normalized)) return overrideFound(override);
      }
      const key = `${provider ?? ''}\u0000${model}`;
      let found = remembered.get(key);
      if (found === undefined) {
        if (remembered.size >= REMEMBERED_MODELS) remembered.clear();
        remembered.set(key, (found = fromTable(normalized, provider)));
      }
      return found;
    },
  };
}

const REMEMBERED_MODELS = 4096;

let bundled: PriceTable | undefined;

/** The bundled table, read and validated on first use. */
export function defaultPriceTable(): PriceTable {
  bundled ??= loadPriceTable(JSON.parse(readFileSync(TABLE_FILE, 'utf8')));
  return bundled;
}

/** findPrice on the bundled table. */
export function findPrice(model: string, provider?: string, overrides?: readonly ModelPriceOverride[]): FoundPrice | null {
  return defaultPriceTable().findPrice(model, provider, overrides);
}

// Overrides are plain objects loaded per project; their compiled matcher is cached on the object itself.
type Matcher = (model: NormalizedModel) => boolean;
const matchers = new WeakMap<ModelPriceOverride, Matcher>();
const founds = new WeakMap<ModelPriceOverride, FoundPrice>();

function overrideMatcher(override: ModelPriceOverride): Matcher {
  let matcher = matchers.get(override);
  if (!matcher) {
    const match = override.match.trim().toLowerCase();
    if (match.startsWith('^')) {
      let regex: RegExp | null = null;
      try {
        regex = new RegExp(match);
      } catch {
        // validateOverrides rejects these; an unvalidated bad pattern just never matches.
      }
      matcher = (n) => regex !== null && (regex.test(n.name) || regex.test(n.raw));
    } else {
      matcher = (n) => n.name === match || n.raw === match;
    }
    matchers.set(override, matcher);
  }
  return matcher;
}

function overrideFound(override: ModelPriceOverride): FoundPrice {
  let found = founds.get(override);
  if (!found) {
    found = { id: `override:${override.match}`, origin: 'override', prices: override.prices, ...(override.tiers ? { tiers: override.tiers } : {}) };
    founds.set(override, found);
  }
  return found;
}
