import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ndjsonOf, postEvents, someEvents, startDouble } from './double.fixtures.ts';
import type { TinybirdDouble } from './tinybird-double.ts';

let double: TinybirdDouble;
beforeAll(async () => { double = await startDouble(); });
afterEach(() => double.faults.reset());
afterAll(() => double.close());

const rowOf = (event: object) => JSON.parse(ndjsonOf([event as never])) as Record<string, unknown>;
const quarantineOf = (importId: string) =>
  double.sql('SELECT * FROM events_quarantine WHERE c__import_id = {id:String} ORDER BY span_id', { id: importId });

describe('Events API quarantine', () => {
  it('sets aside lines that are not JSON or do not fit the schema, and stores the rest', async () => {
    const [good, noStart, badStart, badType, badArray] = someEvents(5);
    const { start_time: _dropped, ...withoutStart } = rowOf(noStart);
    const lines = [
      JSON.stringify(rowOf(good)),
      '{"trace_id": "not closed',
      JSON.stringify(withoutStart),
      JSON.stringify({ ...rowOf(badStart), start_time: 'yesterday' }),
      JSON.stringify({ ...rowOf(badType), input_tokens: '12' }),
      JSON.stringify({ ...rowOf(badArray), tags: 'beta' }),
    ];
    const res = await postEvents(double, lines.join('\n'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ successful_rows: 1, quarantined_rows: 5 });

    const stored = await double.sql('SELECT span_id FROM events WHERE tenant_id = {t:String}', { t: good.tenant_id });
    expect(stored).toEqual([{ span_id: good.span_id }]);

    const importId = double.requests.at(-1)!.importId!;
    const rows = await quarantineOf(importId);
    expect(rows).toHaveLength(5);
    const bySpan = new Map(rows.map((r) => [r.span_id, r]));
    expect(bySpan.get(noStart.span_id)).toMatchObject({ c__error_column: ['start_time'], start_time: null });
    expect(bySpan.get(badStart.span_id)).toMatchObject({
      c__error_column: ['start_time'], c__error: ["value 'yesterday' on column 'start_time' is not DateTime64(9, 'UTC')"], start_time: 'yesterday',
    });
    // The original fields are kept as text: strings as they were, other values as JSON.
    expect(bySpan.get(badType.span_id)).toMatchObject({ c__error_column: ['input_tokens'], input_tokens: '12', tenant_id: badType.tenant_id });
    expect(bySpan.get(badArray.span_id)).toMatchObject({ c__error_column: ['tags'], tags: 'beta', duration_ms: String(badArray.duration_ms) });
    const notJson = bySpan.get(null)!;
    expect(notJson.c__error_column).toEqual(['']);
    expect(String((notJson.c__error as string[])[0])).toMatch(/^invalid JSON/);
    expect(notJson.insertion_date).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('quarantines a row the engine refuses even when its types look right, and keeps the others', async () => {
    const [before, refused, after] = someEvents(3);
    // Shaped like a date-time, but February has no 31st: only ClickHouse finds out.
    const lines = [rowOf(before), { ...rowOf(refused), start_time: '2024-02-31T10:00:00Z' }, rowOf(after)];
    const res = await postEvents(double, lines.map((l) => JSON.stringify(l)).join('\n'));
    expect(await res.json()).toEqual({ successful_rows: 2, quarantined_rows: 1 });
    const [row] = await quarantineOf(double.requests.at(-1)!.importId!);
    expect(row).toMatchObject({ span_id: refused.span_id, c__error_column: ['start_time'] });
    expect((row.c__error as string[])[0]).toMatch(/Cannot read DateTime/);
  });

  it('fault: quarantineEvery sets aside every Nth row', async () => {
    double.faults.quarantineEvery = 2;
    const events = someEvents(5);
    const res = await postEvents(double, ndjsonOf(events));
    expect(await res.json()).toEqual({ successful_rows: 3, quarantined_rows: 2 });
    const rows = await quarantineOf(double.requests.at(-1)!.importId!);
    expect(rows.map((r) => r.span_id).sort()).toEqual([events[1].span_id, events[3].span_id].sort());
    expect(rows[0].c__error).toEqual(['injected fault: row quarantined by the double']);
  });
});
