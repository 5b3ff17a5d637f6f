/**
 * What happens to a finished span before export, in this order: deprecated GenAI names normalised,
 * the built-in redaction detectors, the user's `redact` hook, then the size limit (last, so redaction
 * sees whole values and what leaves the process is bounded). `observa.redacted` and
 * `observa.truncated` list the keys touched; event keys are listed as `events.<event name>.<key>`.
 */
import type { Attributes, SpanStatus } from '@opentelemetry/api';
import { isAttributeValue } from '@opentelemetry/core';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { ProcessingConfig } from './config.ts';
import type { DropCounter } from './drop-counter.ts';
import { normalizeGenAi } from './normalize-gen-ai.ts';
import { processedSpan } from './processed-span.ts';
import { Redactor } from './redaction/redactor.ts';
import { OBSERVA } from './semconv.ts';
import { truncateAttributes, truncateString } from './truncate-attributes.ts';
import type { RedactableSpan } from './types.ts';

export class SpanTransform {
  readonly #redactor: Redactor;

  constructor(
    private readonly config: ProcessingConfig,
    private readonly drops: DropCounter,
  ) {
    this.#redactor = new Redactor(config.detectors);
  }

  /** The span as it should be exported, or undefined when it must not leave (the redact hook threw). */
  apply(span: ReadableSpan): ReadableSpan | undefined {
    const attributes: Attributes = { ...span.attributes };
    normalizeGenAi(attributes);
    const events: TimedEvent[] = span.events.map((event) => ({ ...event, attributes: { ...event.attributes } }));
    const status: SpanStatus = { ...span.status };

    const redacted = this.#redactor.redactAttributes(attributes);
    forEachEvent(events, (event, prefix) => redacted.push(...this.#redactor.redactAttributes(event).map((key) => prefix + key)));
    if (status.message) status.message = this.#redactor.redactText(status.message);

    if (this.config.redact) {
      const changed = this.#runHook(span, attributes, events);
      if (changed === undefined) return undefined;
      redacted.push(...changed);
    }

    const limit = this.config.maxAttributeLength;
    const truncated = truncateAttributes(attributes, limit);
    forEachEvent(events, (event, prefix) => truncated.push(...truncateAttributes(event, limit).map((key) => prefix + key)));
    if (status.message) status.message = truncateString(status.message, limit);

    addToList(attributes, OBSERVA.REDACTED, redacted);
    addToList(attributes, OBSERVA.TRUNCATED, truncated);
    return processedSpan(span, { attributes, events, status });
  }

  /** Runs the user's hook on the copies; returns the keys it changed, or undefined if it threw. */
  #runHook(span: ReadableSpan, attributes: Attributes, events: TimedEvent[]): string[] | undefined {
    const { traceId, spanId } = span.spanContext();
    const before = { ...attributes };
    const eventsBefore = events.map((event) => ({ ...event.attributes }));
    const view: RedactableSpan = { name: span.name, traceId, spanId, attributes, events: events as RedactableSpan['events'] };
    try {
      this.config.redact!(view);
    } catch (error) {
      this.drops.add('redact_failed', 1, error instanceof Error ? error.message : String(error));
      return undefined;
    }
    // The hook may also replace the attributes object; carry its result back into ours.
    if (view.attributes !== attributes) {
      for (const key of Object.keys(attributes)) delete attributes[key];
      Object.assign(attributes, view.attributes);
    }
    const changed = changedKeys(before, attributes);
    events.forEach((event, i) => changed.push(...changedKeys(eventsBefore[i], event.attributes!).map((key) => `events.${event.name}.${key}`)));
    return changed;
  }
}

function forEachEvent(events: TimedEvent[], visit: (attributes: Attributes, prefix: string) => void): void {
  for (const event of events) visit(event.attributes!, `events.${event.name}.`);
}

/** Keys whose value differs (or vanished); invalid values a hook wrote are removed. */
function changedKeys(before: Attributes, after: Attributes): string[] {
  const changed: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (after[key] !== undefined && !isAttributeValue(after[key])) delete after[key];
    if (before[key] !== after[key]) changed.push(key);
  }
  return changed;
}

/** Merges `keys` into a string[] attribute (observe() may have started the list). */
function addToList(attributes: Attributes, key: string, keys: string[]): void {
  if (keys.length === 0) return;
  const existing = attributes[key];
  const list = Array.isArray(existing) ? existing.filter((item): item is string => typeof item === 'string') : [];
  attributes[key] = [...new Set([...list, ...keys])];
}
