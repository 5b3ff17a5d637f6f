import { describe, expect, it } from 'vitest';
import type { DecodedSpan } from './span.ts';
import { rejectSpan, validateSpan } from './validate-span.ts';

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

  it('clamps end < start and turns an all-zero parent into a root', () => {
    const s = span({ startTimeUnixNano: 50n, endTimeUnixNano: 0n, parentSpanId: '0'.repeat(16) });
    expect(validateSpan(s)).toBeNull();
    expect(s.endTimeUnixNano).toBe(50n);
    expect(s.parentSpanId).toBe('');
  });

  it('formats rejections with the request-wide index', () => {
    expect(rejectSpan(3, 'trace_id must be 16 bytes, got 5')).toEqual({ index: 3, reason: 'span 3: trace_id must be 16 bytes, got 5' });
  });
});
