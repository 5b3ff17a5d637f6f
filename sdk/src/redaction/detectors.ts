/**
 * The built-in redaction detectors. Each finds one kind of sensitive text; a match (or only its
 * `secret` group, so `Bearer` stays readable) becomes `[REDACTED:<kind>]`. They run in this order,
 * tokens before numbers, so a digit-rich key is not half-taken for a phone number. Phone detection is
 * a heuristic (international `+…` and North American formats) and can be switched off alone.
 */
import type { DetectorName } from '../types.ts';
import { digitRuns } from './digit-runs.ts';
import { emailRanges } from './email-ranges.ts';
import type { Range } from './text-range.ts';
import { passesLuhn } from './luhn.ts';
import { containsAnyLiteral } from './text-search.ts';

export interface Detector {
  readonly name: DetectorName;
  /** The replacement, e.g. `[REDACTED:email]`. */
  readonly marker: string;
  /** Global regex; when it has a `secret` group only that group is replaced. */
  readonly pattern: RegExp;
  /** Rejects a regex match that is not the real thing (e.g. fails the card checksum). */
  readonly accept?: (match: string) => boolean;
  /** Every match holds a digit: the redactor checks that once per text for all such detectors. */
  readonly needsDigit: boolean;
  /**
   * A cheap test that must pass for `pattern` to have any chance (a literal every match contains).
   * Most prompts hold no secret: skipping the full pattern on them keeps redaction near free.
   */
  readonly trigger?: (text: string) => boolean;
  /**
   * Where matches can lie, when that is a small part of the text: the pattern runs on these ranges
   * only (none: the detector has nothing to do). Detectors with the same function share its result.
   */
  readonly ranges?: (text: string) => Range[];
}

const digitCount = (text: string) => text.replace(/\D/g, '').length;

/** Issuer prefixes of the major card networks (Visa, Mastercard, Amex, Diners, Discover, JCB, UnionPay). */
const CARD_PREFIX = /^(?:4|5[1-5]|2[2-7]|3[047-9]|6)/;

/** Every match of every detector holds one of these: digits, `@`, and the rare character each key prefix is located by. */
export const ANCHORS = /[0-9@_AJ-]/;

export const DETECTORS: readonly Detector[] = [
  {
    name: 'bearer',
    marker: '[REDACTED:bearer]',
    // A token must hold a digit, so prose ("bearer bonds") is left alone.
    needsDigit: true,
    // Bearer, bearer, BEARER (and bEARER): each found by a rarer letter than the `e` of "earer".
    trigger: containsAnyLiteral(['bearer', 'Bearer', 'BEARER', 'bEARER']),
    pattern: /\bbearer\s+(?<secret>(?=[A-Za-z._~+/-]*\d)[A-Za-z0-9._~+/-]{8,}=*)/gi,
  },
  {
    name: 'apiKey',
    marker: '[REDACTED:api_key]',
    needsDigit: false,
    // The prefixes below, each located by a rare character (`-`, `_`, `A`, `J`) rather than scanned for.
    trigger: containsAnyLiteral(['sk-', 'rk_', 'sk_', ...[...'pousr'].map((c) => `gh${c}_`), 'github_pat_', ...[...'abprs'].map((c) => `xox${c}-`), 'AIza', 'eyJ']),
    pattern: new RegExp(
      [
        String.raw`\bsk-[A-Za-z0-9_-]{20,}`, // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), Langfuse secret keys
        String.raw`\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}`, // Stripe
        String.raw`\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})`, // GitHub
        String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}`, // Slack
        String.raw`\bAIza[0-9A-Za-z_-]{35}`, // Google
        String.raw`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`, // JWTs (Observa API keys among them)
      ].join('|'),
      'g',
    ),
  },
  {
    name: 'aws',
    marker: '[REDACTED:aws_key]',
    needsDigit: false,
    trigger: containsAnyLiteral(['AKIA', 'ASIA', 'ABIA', 'ACCA', 'aws_secret_access_key', 'AWS_SECRET_ACCESS_KEY']),
    // Key ids are upper case by definition; the secret's variable name may be written either way.
    pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b|\b(?:aws_secret_access_key|AWS_SECRET_ACCESS_KEY)["']?\s*[=:]\s*["']?(?<secret>[A-Za-z0-9/+]{40})/g,
  },
  {
    name: 'card',
    marker: '[REDACTED:card]',
    needsDigit: true,
    ranges: digitRuns,
    pattern: /(?<!\+)\b\d(?:[ -]?\d){11,18}\b/g, // a leading + makes it a phone number
    accept: (match) => {
      const digits = match.replace(/\D/g, '');
      return digits.length >= 13 && digits.length <= 19 && CARD_PREFIX.test(digits) && passesLuhn(digits);
    },
  },
  {
    name: 'email',
    marker: '[REDACTED:email]',
    needsDigit: false,
    ranges: emailRanges,
    pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g,
  },
  {
    name: 'phone',
    marker: '[REDACTED:phone]',
    needsDigit: true,
    ranges: digitRuns,
    pattern: /(?<![\w+])\+\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,5}(?!\w)|(?<!\w)(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\w)/g,
    accept: (match) => {
      const digits = digitCount(match);
      return digits >= 8 && digits <= 15;
    },
  },
];
