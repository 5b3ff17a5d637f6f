import { describe, expect, it } from 'vitest';
import { activeFilters, clearFiltersPatch, listParams, liveBlocker, pageSize, sortOf, sortPatch } from './trace-query.ts';

const now = Date.parse('2026-06-01T12:00:00Z');

describe('the traces list URL', () => {
  it('asks the API for the filters, range, sort and page it holds', () => {
    const params = listParams({ range: '1h', model: 'gpt-4o', status: 'error', q: 'refund', sort: 'total_cost_usd', order: 'asc', cursor: 'abc', limit: '10', live: '1', back: '~' }, now);
    expect(params).toEqual({
      from: '2026-06-01T11:00:00.000Z', to: '2026-06-01T12:01:00.000Z',
      q: 'refund', model: 'gpt-4o', status: 'error', user_id: undefined, session_id: undefined, tag: undefined,
      sort: 'total_cost_usd', order: 'asc', limit: 10, cursor: 'abc',
    });
  });

  it('leaves the default sort out and ignores unknown sorts and bad limits', () => {
    expect(listParams({}, now)).not.toHaveProperty('sort');
    expect(sortOf({ sort: 'name', order: 'sideways' })).toEqual({ key: 'start_time', order: 'desc' });
    expect([pageSize({ limit: '0' }), pageSize({ limit: '1000' }), pageSize({ limit: 'x' }), pageSize({ limit: '25' })]).toEqual([50, 50, 50, 25]);
  });

  it('starts again at the first page when the sort changes, keeping the URL clean for the default', () => {
    expect(sortPatch({ key: 'duration_ms', order: 'desc' })).toEqual({ sort: 'duration_ms', order: 'desc', cursor: null, back: null });
    expect(sortPatch({ key: 'start_time', order: 'desc' })).toEqual({ sort: null, order: null, cursor: null, back: null });
  });

  it('lists active filters in chip order and clears them with the page', () => {
    expect(activeFilters({ tag: 'beta', q: 'x', range: '1h' }).map((f) => f.key)).toEqual(['q', 'tag']);
    expect(clearFiltersPatch()).toEqual({ q: null, model: null, status: null, user_id: null, session_id: null, tag: null, cursor: null, back: null });
  });

  it('allows live mode only newest first, on the first page, over a range up to now', () => {
    expect(liveBlocker({ range: '1h' })).toBeNull();
    expect(liveBlocker({ sort: 'total_cost_usd' })).toMatch(/sort by time/);
    expect(liveBlocker({ order: 'asc' })).toMatch(/sort by time/);
    expect(liveBlocker({ cursor: 'abc' })).toMatch(/first page/);
    expect(liveBlocker({ from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' })).toMatch(/preset/);
  });
});
