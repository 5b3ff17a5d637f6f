/**
 * What happens to a finished span before export, in this order: deprecated GenAI names normalised,
 * the built-in redaction detectors, the user's `redact` hook, then the size limit (last, so redaction
 * sees whole values and what leaves the process is bounded). `observa.redacted` and
 * `observa.truncated` list the keys touched; event keys are listed as `events.<event name>.<key>`.
 *
 * Everything is copy-on-write (see AttributeEdits): a span nothing applies to, the usual LLM span
 * without secrets or oversized values, is handed to the export queue as it ended, without a copy.
 */
import type { Attributes, SpanStatus } from '@opentelemetry/api';
import { isAttributeValue } from '@opentelemetry/core';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { AttributeEdits } from './attribute-edits.ts';
import type { ProcessingConfig } from './config.ts';
import type { DropCounter } from './drop-counter.ts';
import { normalizeGenAi } from './normalize-gen-ai.ts';
import { processedSpan } from './processed-span.ts';
import { Redactor } from './redaction/redactor.ts';
import { OBSERVA } from './semconv.ts';
import { truncateAttributes, truncateString, truncateValue } from './truncate-attributes.ts';
import type { RedactableSpan } from './types.ts';

const NO_ATTRIBUTES: Attributes = Object.freeze({});

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
    const attributes = new AttributeEdits(span.attributes);
    normalizeGenAi(attributes);
    const events = span.events.map((event) => new AttributeEdits(event.attributes ?? NO_ATTRIBUTES));
    const hook = this.config.redact;
    const limit = this.config.maxAttributeLength;
    // Without a hook to run in between, values are redacted and cut in the same walk over the keys.
    const limitNow = hook ? undefined : limit;
    const redacted: string[] = [];
    const truncated: string[] = [];
    this.#redactAndCut(attributes, '', limitNow, redacted, truncated);
    events.forEach((event, i) => this.#redactAndCut(event, eventPrefix(span, i), limitNow, redacted, truncated));
    let message = span.status.message;
    if (message) message = this.#redactor.redactText(message);

    if (hook) {
      const changed = this.#runHook(span, attributes, events);
      if (changed === undefined) return undefined;
      redacted.push(...changed);
      truncated.push(...attributes.assign(truncateAttributes(attributes.current, limit)));
      events.forEach((event, i) => truncated.push(...prefixed(eventPrefix(span, i), event.assign(truncateAttributes(event.current, limit)))));
    }
    if (message) message = truncateString(message, limit);

    addToList(attributes, OBSERVA.REDACTED, redacted);
    addToList(attributes, OBSERVA.TRUNCATED, truncated);
    const eventsChanged = events.some((event) => event.changed);
    if (!attributes.changed && !eventsChanged && message === span.status.message) return span;
    return processedSpan(span, {
      attributes: attributes.current,
      events: eventsChanged ? span.events.map((event, i): TimedEvent => (events[i].changed ? { ...event, attributes: events[i].current } : event)) : span.events,
      status: message === span.status.message ? span.status : ({ ...span.status, message } satisfies SpanStatus),
    });
  }

  /** Redacts each value and, when `limit` is given, cuts it; records the keys touched (with `prefix`). */
  #redactAndCut(attributes: AttributeEdits, prefix: string, limit: number | undefined, redacted: string[], truncated: string[]): void {
    const original = attributes.current;
    for (const key of Object.keys(original)) {
      const value = original[key];
      if (typeof value !== 'string' && !Array.isArray(value)) continue;
      let next = this.#redactor.redactValue(key, value);
      if (next !== value) redacted.push(prefix + key);
      if (limit !== undefined) {
        const cut = truncateValue(next, limit);
        if (cut !== next) truncated.push(prefix + key);
        next = cut;
      }
      if (next !== value) attributes.set(key, next!);
    }
  }

  /** Runs the user's hook on copies; returns the keys it changed, or undefined if it threw. */
  #runHook(span: ReadableSpan, attributes: AttributeEdits, events: AttributeEdits[]): string[] | undefined {
    const { traceId, spanId } = span.spanContext();
    const before = { ...attributes.current };
    const eventsBefore = events.map((event) => ({ ...event.current }));
    const view: RedactableSpan = {
      name: span.name,
      traceId,
      spanId,
      attributes: attributes.writable(),
      events: span.events.map((event, i) => ({ ...event, attributes: events[i].writable() })),
    };
    try {
      this.config.redact!(view);
    } catch (error) {
      this.drops.add('redact_failed', 1, error instanceof Error ? error.message : String(error));
      return undefined;
    }
    // The hook may also replace the attributes objects; carry its results back.
    if (view.attributes !== attributes.current) attributes.replace(view.attributes);
    view.events.forEach((event, i) => {
      if (event.attributes !== events[i].current) events[i].replace(event.attributes);
    });
    const changed = changedKeys(before, attributes);
    events.forEach((event, i) => changed.push(...prefixed(eventPrefix(span, i), changedKeys(eventsBefore[i], event))));
    return changed;
  }
}

function eventPrefix(span: ReadableSpan, index: number): string {
  return `events.${span.events[index].name}.`;
}

function prefixed(prefix: string, keys: string[]): string[] {
  return keys.map((key) => prefix + key);
}

/** Keys whose value differs (or vanished); invalid values a hook wrote are removed. */
function changedKeys(before: Attributes, after: AttributeEdits): string[] {
  const changed: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after.current)])) {
    const value = after.current[key];
    if (value !== undefined && !isAttributeValue(value)) after.delete(key);
    if (before[key] !== after.current[key]) changed.push(key);
  }
  return changed;
}

/** Merges `keys` into a string[] attribute (observe() may have started the list). */
function addToList(attributes: AttributeEdits, key: string, keys: string[]): void {
  if (keys.length === 0) return;
  const existing = attributes.current[key];
  const list = Array.isArray(existing) ? existing.filter((item): item is string => typeof item === 'string') : [];
  attributes.set(key, [...new Set([...list, ...keys])]);
}
