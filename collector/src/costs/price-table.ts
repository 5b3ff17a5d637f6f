/**
 * The price table: schemas/model-prices.json, validated and compiled once, and the lookup that turns a
 * model name (+ provider) into rates. Project overrides are tried before the table.
 */
import { readFileSync } from 'node:fs';
import { normalizeModelName, viaProvider, type NormalizedModel } from './model-name.ts';
import { checkPriceEntry } from './price-validation.ts';
import type { FoundPrice, ModelPriceOverride, PriceEntry, Pricing } from './price-types.ts';

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
    compiled.push({ entry: value, regex: new RegExp(value.match), found: foundPrice(value.id, 'table', value) });
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
      // Normalised only when something needs it: a remembered table answer does not.
      let normalized: NormalizedModel | undefined;
      if (overrides && overrides.length > 0) {
        normalized = normalizeModelName(model);
        for (const override of overrides) {
          const compiled = compiledOverride(override);
          if (compiled.matches(normalized)) return compiled.found;
        }
      }
      const key = `${provider ?? ''}\u0000${model}`;
      let found = remembered.get(key);
      if (found === undefined) {
        if (remembered.size >= REMEMBERED_MODELS) remembered.clear();
        remembered.set(key, (found = fromTable(normalized ?? normalizeModelName(model), provider)));
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

function foundPrice(id: string, origin: FoundPrice['origin'], pricing: Pricing): FoundPrice {
  return { id, origin, prices: pricing.prices, ...(pricing.tiers ? { tiers: pricing.tiers } : {}) };
}

// Overrides are plain objects loaded per project; their compiled form is cached on the object itself.
interface CompiledOverride {
  matches(model: NormalizedModel): boolean;
  found: FoundPrice;
}
const compiledOverrides = new WeakMap<ModelPriceOverride, CompiledOverride>();

function compiledOverride(override: ModelPriceOverride): CompiledOverride {
  let compiled = compiledOverrides.get(override);
  if (!compiled) {
    compiled = { matches: overrideMatcher(override.match.trim().toLowerCase()), found: foundPrice(`override:${override.match}`, 'override', override) };
    compiledOverrides.set(override, compiled);
  }
  return compiled;
}

/** `^...` is a regex, anything else an exact name; both are tried on the normalised and the raw name. */
function overrideMatcher(match: string): (model: NormalizedModel) => boolean {
  if (!match.startsWith('^')) return (n) => n.name === match || n.raw === match;
  let regex: RegExp;
  try {
    regex = new RegExp(match);
  } catch {
    return () => false; // validateOverrides rejects these; an unvalidated bad pattern just never matches.
  }
  return (n) => regex.test(n.name) || regex.test(n.raw);
}
