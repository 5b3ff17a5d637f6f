import { describe, expect, it } from 'vitest';
import type { DecodedSpan } from './span.ts';
import { EARLIEST_TIME_NANOS, MAX_FUTURE_NANOS, rejectSpan, timeProblem, validateSpan } from './validate-span.ts';

const span = (over: Partial<DecodedSpan> = {}): DecodedSpan => ({
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: 'eee19b7ec3c1b174',
  parentSpanId: '',
  traceState: '',
  name: 's',
  kind: 1,
  startTimeUnixNano: 10n,
  endTimeUnixNano: 20n,
  attributes: {},
  events: [],
  links: [],
  status: { code: 0, message: '' },
  resource: { attributes: {} },
  scope: { name: '', version: '' },
  ...over,
});

describe('validateSpan', () => {
  it('accepts a valid span unchanged', () => {
    const s = span();
    expect(validateSpan(s)).toBeNull();
    expect(s).toEqual(span());
  });

  it('names the offending field', () => {
    expect(validateSpan(span({ traceId: 'ab' }))).toBe('trace_id must be 16 bytes, got 1');
    expect(validateSpan(span({ traceId: '0'.repeat(32) }))).toBe('trace_id must not be all zeros');
    expect(validateSpan(span({ spanId: '' }))).toBe('span_id must be 8 bytes, got 0');
    expect(validateSpan(span({ spanId: '0'.repeat(16) }))).toBe('span_id must not be all zeros');
    expect(validateSpan(span({ parentSpanId: 'abcd' }))).toBe('parent_span_id must be 8 bytes or empty, got 2');
    expect(validateSpan(span({ startTimeUnixNano: 0n }))).toBe('start_time_unix_nano must be set');
    expect(validateSpan(span({ links: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'ee', attributes: {} }] }))).toBe(
      'links[0].span_id must be 8 bytes, got 1',
    );
  });

  it('clamps end < start (noted under observa.warnings) and turns an all-zero parent into a root', () => {
    const s = span({ startTimeUnixNano: 50n, endTimeUnixNano: 0n, parentSpanId: '0'.repeat(16) });
    expect(validateSpan(s)).toBeNull();
    expect(s.endTimeUnixNano).toBe(50n);
    expect(s.parentSpanId).toBe('');
    expect(s.attributes['observa.warnings']).toEqual(['end time 0 ns before start time 50 ns: set to the start']);
  });

  it('formats rejections with the request-wide index', () => {
    expect(rejectSpan(3, 'trace_id must be 16 bytes, got 5')).toEqual({ index: 3, reason: 'span 3: trace_id must be 16 bytes, got 5' });
  });
});

describe('timeProblem', () => {
  const now = 1_800_000_000_000_000_000n;
  it.each([
    { case: 'inside the window', start: now - 1n, end: now, problem: null },
    { case: 'exactly 2000-01-01', start: EARLIEST_TIME_NANOS, end: EARLIEST_TIME_NANOS, problem: null },
    { case: 'exactly 1 day ahead', start: now + MAX_FUTURE_NANOS, end: now + MAX_FUTURE_NANOS, problem: null },
    { case: 'milliseconds sent as nanoseconds', start: 1_700_000_000_000n, end: 1_700_000_000_000n, problem: /before 2000-01-01 .*milliseconds or seconds/ },
    { case: 'start 1 ns past a day ahead', start: now + MAX_FUTURE_NANOS + 1n, end: now + MAX_FUTURE_NANOS + 1n, problem: /^start time .* more than 1 day in the future/ },
    { case: 'end at uint64 max', start: now, end: 2n ** 64n - 1n, problem: /^end time 18446744073709551615 ns is more than 1 day/ },
  ])('$case', ({ start, end, problem }) => {
    const found = timeProblem(start, end, now);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatch(problem);
  });
});
