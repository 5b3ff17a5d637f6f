/** A stretch of a text a detector's full pattern runs on, [start, end). */
export type Range = readonly [start: number, end: number];

/** Adds [start, end) to ranges found in text order, merging it into the last one when they touch. */
export function appendRange(ranges: Array<[number, number]>, start: number, end: number): void {
  const last = ranges.at(-1);
  if (last && start <= last[1]) last[1] = end;
  else ranges.push([start, end]);
}
