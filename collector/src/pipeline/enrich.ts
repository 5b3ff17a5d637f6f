/**
 * Enrichment: what the server knows and the client cannot claim. The tenant and project always come
 * from the API key and the retention from the project, overwriting anything the payload said; then the cost engine prices the event
 * (reported cost kept, else computed from usage, else estimated from messages) with the project's
 * price overrides ahead of the built-in table.
 *
 * Before pricing, `normaliseEvent` brings every value inside what the stores can hold (Postgres text
 * cannot hold NUL, the analytics store refuses unpaired surrogates, bigint/decimal columns overflow, one huge string can exceed an analytics request,
 * deep nesting overflows JSON.stringify);
 * each change is recorded on the event under `observa.warnings`, so nothing is altered silently.
 */
import { defaultPriceTable, priceEvent, type ModelPriceOverride } from '../costs/index.ts';
import { TOKEN_FIELDS, type CanonicalEvent } from '../events/canonical-event.ts';
import { MAX_ATTRIBUTE_DEPTH } from '../otlp/span.ts';
import { WARNINGS_ATTRIBUTE } from '../otlp/validate-span.ts';
import type { BatchScope } from './write-batch.ts';

export interface ProjectSettings {
  retentionDays: number;
  priceOverrides: readonly ModelPriceOverride[];
}

/** Longest string kept, in UTF-16 characters (8x the SDK's default attribute limit: a ~64k-token prompt). */
export const MAX_STRING_CHARS = 262_144;
/** Largest token count per field and span: no single call comes near it, and sums over millions of spans stay exact. */
export const MAX_TOKENS = 1_000_000_000;
/** Largest cost of one span in USD: far above any real call, and sums stay inside the decimal(20,10) columns. */
export const MAX_COST_USD = 1_000_000;
/** Deepest nesting kept in an event's values (messages, attributes), counted from the event; as deep as OTLP AnyValues may be. */
export const MAX_NESTING_DEPTH = MAX_ATTRIBUTE_DEPTH + 2;

const NUL = /\u0000/g;
/**
 * NUL and unpaired surrogates (JSON.stringify writes half a pair as an escape the analytics store
 * refuses) become U+FFFD; `toWellFormed` is the platform's own check and repair for the latter.
 */
export const cleanText = (text: string) => text.replace(NUL, '\uFFFD').toWellFormed();

/** The enriched event, and what normalising its values changed (also kept on the event). */
export function enrich(event: CanonicalEvent, scope: BatchScope, project: ProjectSettings): { event: CanonicalEvent; warnings: string[] } {
  const stamped = { ...event, tenant_id: scope.tenantId, project_id: scope.projectId, retention_days: project.retentionDays };
  const warnings = normaliseEvent(stamped);
  const priced = priceEvent(stamped, defaultPriceTable(), project.priceOverrides);
  if (priced.cost_usd !== null && !(priced.cost_usd <= MAX_COST_USD)) {
    recordWarnings(priced, [`cost_usd ${priced.cost_usd} computed from usage is over ${MAX_COST_USD}: dropped`]);
    return { event: { ...priced, cost_usd: null, cost_source: 'none' }, warnings };
  }
  return { event: priced, warnings };
}

/**
 * Brings `event` (in place) inside the stores' bounds and returns what was changed, one line per
 * change (also appended to attributes[observa.warnings]). Idempotent: a normalised event yields [].
 */
export function normaliseEvent(event: CanonicalEvent): string[] {
  const warnings: string[] = [];
  cleanStrings(event, warnings);
  for (const field of TOKEN_FIELDS) {
    const count = event[field];
    if (Number.isInteger(count) && count >= 0 && count <= MAX_TOKENS) continue;
    warnings.push(`${field} ${count} is not an integer in [0, ${MAX_TOKENS}]: set to 0`);
    event[field] = 0;
  }
  const cost = event.cost_usd;
  if (cost !== null && !(cost >= 0 && cost <= MAX_COST_USD)) {
    warnings.push(`cost_usd ${cost} is not in [0, ${MAX_COST_USD}]: dropped`);
    event.cost_usd = null;
    event.cost_source = 'none';
  }
  if (!(event.duration_ms >= 0 && Number.isFinite(event.duration_ms))) {
    warnings.push(`duration_ms ${event.duration_ms} is not a finite number >= 0: set to 0`);
    event.duration_ms = 0;
  }
  const ttft = event.time_to_first_token_ms;
  if (ttft !== null && !(ttft >= 0 && Number.isFinite(ttft))) {
    warnings.push(`time_to_first_token_ms ${ttft} is not a finite number >= 0: dropped`);
    event.time_to_first_token_ms = null;
  }
  recordWarnings(event, warnings);
  return warnings;
}

/** Room left for the marker, so a cut string (marker included) is within the limit and a second pass leaves it alone. */
const MARKER_ROOM = 40;

/** The first characters of `text` (never half a surrogate pair) and how many were cut. */
function truncate(text: string): string {
  let keep = MAX_STRING_CHARS - MARKER_ROOM;
  const last = text.charCodeAt(keep - 1);
  if (last >= 0xd800 && last <= 0xdbff) keep -= 1;
  return `${text.slice(0, keep)}…[truncated ${text.length - keep} chars]`;
}

/** At most this many string warnings are listed per event (a million bad attributes make one line, not a million). */
const LISTED_STRING_WARNINGS = 10;

/** Appends `warnings` to the event's observa.warnings list. */
export function recordWarnings(event: CanonicalEvent, warnings: string[]): void {
  if (warnings.length === 0) return;
  const previous = event.attributes[WARNINGS_ATTRIBUTE];
  event.attributes = { ...event.attributes, [WARNINGS_ATTRIBUTE]: [...(Array.isArray(previous) ? previous : []), ...warnings] };
}

/** Where a nested value sits, built only when a warning names it (a deep or wide event must not build paths for every node). */
interface Place {
  parent: Place | null;
  key: string;
  depth: number;
}

const pathOf = (place: Place): string => {
  const keys: string[] = [];
  for (let p: Place | null = place; p; p = p.parent) keys.push(cleanText(p.key.length > 64 ? `${p.key.slice(0, 64)}…` : p.key));
  return keys.reverse().join('.');
};

/**
 * Replaces NUL and unpaired surrogates by U+FFFD in every string and key of `event` (a canonical event
 * or a log record on its way to one), cuts strings to MAX_STRING_CHARS and values
 * nested deeper than MAX_NESTING_DEPTH (JSON.stringify, used to write the outbox, is recursive), in
 * place: the event and its nested values belong to this request. Iterative, so depth costs no stack.
 */
export function cleanStrings(event: object, warnings: string[]): void {
  let changed = 0;
  const note = (place: Place, what: string) => {
    changed += 1;
    if (changed <= LISTED_STRING_WARNINGS) warnings.push(`${pathOf(place)}: ${what}`);
  };
  const stack: { value: Record<string, unknown>; place: Place | null }[] = [{ value: event as unknown as Record<string, unknown>, place: null }];
  while (stack.length > 0) {
    const { value, place } = stack.pop()!;
    for (const key of Object.keys(value)) {
      const child = value[key];
      const childPlace: Place = { parent: place, key, depth: (place?.depth ?? 0) + 1 };
      if (typeof child === 'string') {
        let text = child;
        if (text.includes('\u0000')) {
          text = text.replace(NUL, '\uFFFD');
          note(childPlace, 'NUL character(s) replaced by U+FFFD');
        }
        if (!text.isWellFormed()) {
          text = text.toWellFormed();
          note(childPlace, 'unpaired UTF-16 surrogate(s) replaced by U+FFFD');
        }
        if (text.length > MAX_STRING_CHARS) {
          note(childPlace, `${text.length} characters truncated to ${MAX_STRING_CHARS}`);
          text = truncate(text);
        }
        if (text !== child) value[key] = text;
      } else if (child !== null && typeof child === 'object') {
        if (childPlace.depth < MAX_NESTING_DEPTH) stack.push({ value: child as Record<string, unknown>, place: childPlace });
        else {
          value[key] = `[nested deeper than ${MAX_NESTING_DEPTH} levels]`;
          note(childPlace, `nested deeper than ${MAX_NESTING_DEPTH} levels: replaced by a marker`);
        }
      }
      if ((key.includes('\u0000') || !key.isWellFormed()) && !Array.isArray(value)) {
        note(childPlace, 'NUL or unpaired surrogate in the key replaced by U+FFFD');
        // defineProperty: the cleaned key is data, never a prototype change (as in otlp/span.ts setAttribute).
        Object.defineProperty(value, cleanText(key), { value: value[key], enumerable: true, writable: true, configurable: true });
        delete value[key];
      }
    }
  }
  if (changed > LISTED_STRING_WARNINGS) warnings.push(`and ${changed - LISTED_STRING_WARNINGS} more string(s) normalised`);
}
