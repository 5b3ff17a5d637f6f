/**
 * A dialect maps one attribute convention onto canonical fields. Spans often carry several
 * conventions at once (current and deprecated OTel GenAI names, OpenInference plus `session.id`),
 * so every matching dialect runs and map-span merges their results by precedence:
 *
 *   Langfuse > OpenInference > OTel GenAI current > OpenLLMetry > OTel GenAI old > Vercel ai.* > common
 *   (dialects/index.ts says why)
 *
 * (the ordered array lives in dialects/index.ts). Dialects are pure: no I/O, no env, no storage
 * formatting, and no `if vendor` branches inside another dialect (see DESIGN.md, Habits).
 */
import type { CanonicalEvent } from '../events/canonical-event.ts';
import type { DecodedSpan } from '../otlp/span.ts';
import type { Found, MetadataEntry } from './attribute-readers.ts';

/** Fields fixed by the span itself (identity, timing, raw attribute bags); dialects never set them. */
type SpanOwnedField =
  | 'tenant_id' | 'project_id' | 'trace_id' | 'span_id' | 'parent_span_id'
  | 'start_time' | 'end_time' | 'duration_ms' | 'span_kind'
  | 'attributes' | 'resource_attributes' | 'events';

export type MappedField = Exclude<keyof CanonicalEvent, SpanOwnedField>;
export type DialectFields = Partial<Pick<CanonicalEvent, MappedField>>;

export interface DialectResult {
  /** The canonical fields this dialect could read; absent fields are left to later dialects. */
  fields: DialectFields;
  /**
   * The attribute keys each field was read from. A key leaves `attributes` only when its field's
   * value wins the merge, so a losing dialect's value (say `gen_ai.system` when
   * `gen_ai.provider.name` won) stays visible in `attributes` instead of being dropped.
   */
  consumed: Partial<Record<MappedField, readonly string[]>>;
}

export interface Dialect {
  /** Stable id, used in tests and debugging output. */
  readonly name: string;
  /** Cheap check whether the span carries this convention at all. */
  matches(span: DecodedSpan): boolean;
  /** The fields this convention defines for the span. Must not throw on malformed values. */
  extract(span: DecodedSpan): DialectResult;
}

/** Collects a DialectResult; empty values (undefined, null, '') are skipped so later dialects can fill them. */
export class ResultBuilder {
  readonly result: DialectResult = { fields: {}, consumed: {} };

  /** Sets a field from a value; `keys` are the attributes the value came from. */
  set<K extends MappedField>(field: K, value: CanonicalEvent[K] | undefined, keys: readonly string[] = []): void {
    if (value === undefined || value === null || value === '') return;
    if (this.result.fields[field] !== undefined) return;
    this.result.fields[field] = value;
    this.result.consumed[field] = keys;
  }

  /** Sets a field from one attribute read with `firstOf`. */
  take<K extends MappedField>(field: K, found: Found<CanonicalEvent[K]> | undefined): void {
    if (found) this.set(field, found.value, [found.key]);
  }

  /**
   * Sets `metadata` from entries read from attributes (a later entry wins a shared name). Built with
   * Object.fromEntries so an entry named `__proto__` stays an ordinary key.
   */
  setMetadata(entries: readonly MetadataEntry[]): void {
    if (entries.length === 0) return;
    const metadata = Object.fromEntries(entries.map((entry) => [entry.name, entry.value]));
    this.set('metadata', metadata, [...new Set(entries.map((entry) => entry.key))]);
  }
}
