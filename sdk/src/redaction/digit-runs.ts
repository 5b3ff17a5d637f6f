/**
 * Where a payment card or phone number can be in a text: runs of the characters such numbers are
 * written with (digits, white space, `+ . ( ) -`) that hold a digit, each widened by one character
 * on both sides. The card and phone patterns run on these ranges only: over a whole prompt that
 * holds any digit (a date, a count) they tried a match at every position, which made them the
 * costliest detectors on ordinary text; the runs are found by searching for digits only.
 *
 * Same result as running them over the whole text: every match is made of those characters only and
 * holds a digit, so it lies inside one run; the patterns look at most one character before or after
 * a match (`\b`, look-behind, look-ahead), and that character is in the widened range. The extra
 * characters can start or continue no match, so ranges that touch are merged without harm.
 */
import { DIGITS } from './text-search.ts';
import { appendRange, type Range } from './text-range.ts';

const WHITE_SPACE = /\s/;

export function digitRuns(text: string): Range[] {
  const ranges: Array<[number, number]> = [];
  const nextDigit = digitFinder(text);
  for (let at = nextDigit(0); at !== -1; ) {
    let start = at;
    while (start > 0 && isNumberCharacter(text.charCodeAt(start - 1))) start--;
    let end = at + 1;
    while (end < text.length && isNumberCharacter(text.charCodeAt(end))) end++;
    appendRange(ranges, Math.max(0, start - 1), Math.min(text.length, end + 1));
    at = nextDigit(end);
  }
  return ranges;
}

/**
 * The first digit at or after a position (-1: none), for positions that only grow: one memchr-speed
 * `indexOf` per digit, each resumed only once the text has been consumed past its last find. On
 * prose with few numbers that is about half the cost of a `/\d/g` scan.
 */
function digitFinder(text: string): (from: number) => number {
  const found = [...DIGITS].map(() => -2); // -2: not searched yet; -1: none left
  return (from) => {
    let first = -1;
    for (let d = 0; d < DIGITS.length; d++) {
      if (found[d] !== -1 && found[d] < from) found[d] = text.indexOf(DIGITS[d], from);
      if (found[d] !== -1 && (first === -1 || found[d] < first)) first = found[d];
    }
    return first;
  };
}

/** [\d\s+.()-] */
function isNumberCharacter(code: number): boolean {
  if (code >= 48 && code <= 57) return true; // 0-9
  if (code === 32 || code === 43 || code === 46 || code === 40 || code === 41 || code === 45) return true; // space + . ( ) -
  if (code >= 9 && code <= 13) return true; // \t \n \v \f \r
  return code > 127 && WHITE_SPACE.test(String.fromCharCode(code));
}
