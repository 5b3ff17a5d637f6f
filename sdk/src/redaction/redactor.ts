/**
 * Applies the switched-on detectors to string attribute values (and strings inside array values).
 * The ids the app chose on purpose (session, user, conversation) are left alone: an e-mail used as
 * `user.id` is an identifier the dashboard groups by, not a leak; the `redact` hook can still change it.
 */
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { CONVERSATION_ID, OBSERVA, SESSION_ID, USER_ID } from '../semconv.ts';
import type { DetectorName } from '../types.ts';
import { DETECTORS, type Detector } from './detectors.ts';

const SKIPPED = new Set([SESSION_ID, USER_ID, CONVERSATION_ID, OBSERVA.TRUNCATED, OBSERVA.REDACTED]);

export class Redactor {
  readonly #detectors: readonly Detector[];

  constructor(enabled: readonly DetectorName[]) {
    this.#detectors = DETECTORS.filter((detector) => enabled.includes(detector.name));
  }

  /** True when no detector is on. */
  get empty(): boolean {
    return this.#detectors.length === 0;
  }

  /** `text` with every detected secret replaced by its marker. */
  redactText(text: string): string {
    let result = text;
    for (const detector of this.#detectors) {
      if (!detector.trigger(result)) continue;
      result = result.replace(detector.pattern, (match: string, ...rest: unknown[]) => {
        if (detector.accept && !detector.accept(match)) return match;
        const groups = rest.at(-1) as Record<string, string | undefined> | undefined;
        const secret = typeof groups === 'object' ? groups?.secret : undefined;
        if (!secret) return detector.marker;
        const at = match.lastIndexOf(secret);
        return match.slice(0, at) + detector.marker + match.slice(at + secret.length);
      });
    }
    return result;
  }

  /** Redacts `attributes` in place; returns the keys whose values changed. */
  redactAttributes(attributes: Attributes): string[] {
    const changed: string[] = [];
    if (this.empty) return changed;
    for (const [key, value] of Object.entries(attributes)) {
      if (SKIPPED.has(key)) continue;
      const redacted = this.#redactValue(value);
      if (redacted !== value) {
        attributes[key] = redacted;
        changed.push(key);
      }
    }
    return changed;
  }

  #redactValue(value: AttributeValue | undefined): AttributeValue | undefined {
    if (typeof value === 'string') return this.redactText(value);
    if (!Array.isArray(value)) return value;
    let changed = false;
    const items = value.map((item) => {
      if (typeof item !== 'string') return item;
      const redacted = this.redactText(item);
      if (redacted !== item) changed = true;
      return redacted;
    });
    return changed ? (items as AttributeValue) : value;
  }
}
