/**
 * GET /api/v1/traces?sort&order: every ordering pages through all traces exactly once and in order,
 * ties included (the trace id breaks them); bad values and a cursor of another ordering answer 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';

let collector: TestCollector;
const base = Date.parse('2026-03-01T00:00:00Z');
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

interface Row {
  trace_id: string;
  start_time: string;
  duration_ms: number;
  total_cost_usd: number;
  total_tokens: number;
  status: string;
}

async function get(path: string) {
  const response = await collector.request(path);
  return { status: response.status, body: (await response.json()) as any };
}

/** Follows next_cursor to the end with a small page size. */
async function pageThrough(query: string, limit = 4): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | null = '';
  for (let pages = 0; cursor !== null; pages++) {
    expect(pages).toBeLessThan(50);
    const page = await get(`/api/v1/traces?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.body.data.length).toBeLessThanOrEqual(limit);
    rows.push(...page.body.data);
    cursor = page.body.next_cursor;
  }
  return rows;
}

beforeAll(async () => {
  collector = await startTestCollector();
  // 23 traces with many ties: 4 costs, 3 token counts, 5 durations, and pairs sharing a start time
  // (microseconds apart elsewhere, so a cursor that dropped them would skip rows).
  const events = Array.from({ length: 23 }, (_, i) => {
    const start = new Date(base + Math.floor(i / 2) * 1000).toISOString();
    const startIso = i % 7 === 3 ? start.replace('.000Z', '.000123Z') : start;
    return {
      trace_id: hex(i * 7919 + 1, 32),
      span_id: hex(i + 1, 16),
      name: `sorted-${i}`,
      type: 'llm',
      model: 'gpt-4o',
      status: i % 4 === 0 ? 'error' : 'ok',
      start_time: startIso,
      end_time: new Date(Date.parse(startIso) + [10, 250, 250, 1000, 3000][i % 5]).toISOString(),
      input_tokens: [100, 400, 400][i % 3],
      output_tokens: 50,
      cost_usd: [0.001, 0.0025, 0.0025, 0.5][i % 4],
    };
  });
  const response = await collector.request('/api/v1/events/ingest', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) });
  expect(await response.json()).toMatchObject({ accepted: 23 });
  await collector.shipped();
});
afterAll(async () => {
  await collector?.close();
});

const SORTS = ['start_time', 'duration_ms', 'total_cost_usd', 'total_tokens'] as const;

describe('GET /api/v1/traces sorting', () => {
  it('serves newest first by default, as sort=start_time&order=desc', async () => {
    const byDefault = await pageThrough('');
    expect(byDefault.map((r) => r.trace_id)).toEqual((await pageThrough('sort=start_time&order=desc')).map((r) => r.trace_id));
    expect(byDefault).toHaveLength(23);
  });

  describe.each(SORTS.flatMap((sort) => (['asc', 'desc'] as const).map((order) => ({ sort, order }))))('sort=$sort&order=$order', ({ sort, order }) => {
    it('pages through every trace once, in order, ties broken by trace id', async () => {
      const rows = await pageThrough(`sort=${sort}&order=${order}`);
      expect(new Set(rows.map((r) => r.trace_id)).size).toBe(23);
      expect(rows).toHaveLength(23);
      const sign = order === 'asc' ? 1 : -1;
      const compare = (a: Row, b: Row) => {
        const [x, y] = [a[sort], b[sort]];
        const byValue = x < y ? -1 : x > y ? 1 : 0;
        return sign * (byValue || (a.trace_id < b.trace_id ? -1 : 1));
      };
      expect(rows.map((r) => r.trace_id)).toEqual([...rows].sort(compare).map((r) => r.trace_id));
      // The data has ties in this ordering, so the test exercises the tie-breaker.
      expect(new Set(rows.map((r) => r[sort])).size).toBeLessThan(23);
    });
  });

  it('combines a sort with filters, with pages of one', async () => {
    const rows = await pageThrough('sort=total_cost_usd&order=asc&status=error', 1);
    expect(rows.map((r) => r.status)).toEqual(Array(rows.length).fill('error'));
    expect(rows.length).toBe(6);
    expect(rows.map((r) => r.total_cost_usd)).toEqual([...rows.map((r) => r.total_cost_usd)].sort((a, b) => a - b));
  });

  it('refuses unknown sort and order values, naming the allowed ones', async () => {
    const sort = await get('/api/v1/traces?sort=name');
    expect(sort.status).toBe(400);
    expect(sort.body.error.message).toBe('sort must be one of start_time, duration_ms, total_cost_usd, total_tokens, got "name"');
    const order = await get('/api/v1/traces?order=up');
    expect(order.status).toBe(400);
    expect(order.body.error.message).toBe('order must be one of desc, asc, got "up"');
    expect((await get('/api/v1/traces?sort=start_time&sort=total_tokens')).status).toBe(400);
  });

  it('refuses a cursor made for another sort or order', async () => {
    const first = await get('/api/v1/traces?sort=total_cost_usd&order=desc&limit=2');
    const cursor = first.body.next_cursor;
    expect(cursor).toEqual(expect.any(String));
    for (const other of ['', 'sort=total_tokens', 'sort=total_cost_usd&order=asc', 'sort=duration_ms&order=desc']) {
      const answer = await get(`/api/v1/traces?${other}&cursor=${cursor}`);
      expect(answer.status, other).toBe(400);
      expect(answer.body.error.message).toMatch(/cursor was made for another sort or order/);
    }
    expect((await get(`/api/v1/traces?sort=total_cost_usd&cursor=${cursor}`)).status).toBe(200);
  });

  it('refuses a forged cursor whose value does not fit the sort', async () => {
    const forged = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    for (const parts of [['total_cost_usd:desc', "1' OR '1'='1", 'x'], ['start_time:desc', '12', 'x'], ['total_tokens:desc', 5, 'x'], ['start_time:desc', 'x']]) {
      const answer = await get(`/api/v1/traces?sort=${String(parts[0]).split(':')[0]}&cursor=${forged(parts)}`);
      expect(answer.status, JSON.stringify(parts)).toBe(400);
      expect(answer.body.error.message).toMatch(/cursor is not valid/);
    }
  });
});
