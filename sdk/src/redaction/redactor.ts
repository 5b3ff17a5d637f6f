/**
 * Applies the switched-on detectors to string attribute values (and strings inside array values).
 * The ids the app chose on purpose (session, user, conversation) are left alone: an e-mail used as
 * `user.id` is an identifier the dashboard groups by, not a leak; the `redact` hook can still change it.
 * So are the GenAI keys that name things (operation, provider, model, response id, finish reasons):
 * they never hold free text, and a digit run in a response id is no phone number.
 */
import type { AttributeValue } from '@opentelemetry/api';
import { CONVERSATION_ID, GEN_AI, OBSERVA, SESSION_ID, USER_ID } from '../semconv.ts';
import type { DetectorName } from '../types.ts';
import { ANCHORS, DETECTORS, type Detector } from './detectors.ts';
import type { Range } from './text-range.ts';
import { containsDigit } from './text-search.ts';

const SKIPPED = new Set<string>([
  SESSION_ID, USER_ID, CONVERSATION_ID, OBSERVA.TRUNCATED, OBSERVA.REDACTED,
  GEN_AI.OPERATION_NAME, GEN_AI.PROVIDER_NAME, GEN_AI.REQUEST_MODEL, GEN_AI.RESPONSE_MODEL, GEN_AI.RESPONSE_ID, GEN_AI.RESPONSE_FINISH_REASONS,
]);

/** Up to this length a text is first checked for ANCHORS: one regex call instead of a dozen searches. */
const SHORT_TEXT = 256;

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
    // One regex test settles most short values; on long ones it would cost more than the triggers.
    if (text.length <= SHORT_TEXT && !ANCHORS.test(text)) return text;
    let result = text;
    // Checked on the original: a marker holds no digit, so replacing never adds one.
    let digits: boolean | undefined;
    let ranges: { of: Detector['ranges']; text: string; found: readonly Range[] } | undefined;
    for (const detector of this.#detectors) {
      if (detector.needsDigit && !(digits ??= containsDigit(text))) continue;
      if (detector.trigger && !detector.trigger(result)) continue;
      if (!detector.ranges) {
        result = replaceAll(result, detector);
        continue;
      }
      if (ranges?.of !== detector.ranges || ranges.text !== result) ranges = { of: detector.ranges, text: result, found: detector.ranges(result) };
      if (ranges.found.length > 0) result = replaceInRanges(result, ranges.found, detector);
    }
    return result;
  }

  /** `value` with secrets replaced (the same value when none is found, or when `key` is never redacted). */
  redactValue(key: string, value: AttributeValue | undefined): AttributeValue | undefined {
    if (this.empty || SKIPPED.has(key)) return value;
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

function replaceAll(text: string, detector: Detector): string {
  return text.replace(detector.pattern, (match: string, ...rest: unknown[]) => {
    if (detector.accept && !detector.accept(match)) return match;
    const groups = rest.at(-1) as Record<string, string | undefined> | undefined;
    const secret = typeof groups === 'object' ? groups?.secret : undefined;
    if (!secret) return detector.marker;
    const at = match.lastIndexOf(secret);
    return match.slice(0, at) + detector.marker + match.slice(at + secret.length);
  });
}

/** replaceAll on each range; the text between ranges is kept as it is. */
function replaceInRanges(text: string, ranges: readonly Range[], detector: Detector): string {
  let result = '';
  let copied = 0;
  for (const [start, end] of ranges) {
    const part = text.slice(start, end);
    const replaced = replaceAll(part, detector);
    if (replaced === part) continue;
    result += text.slice(copied, start) + replaced;
    copied = end;
  }
  return copied === 0 ? text : result + text.slice(copied);
}
