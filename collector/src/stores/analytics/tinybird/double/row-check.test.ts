import { describe, expect, it } from 'vitest';
import { checkRow, fits } from './row-check.ts';

describe('fits (JSON value vs ClickHouse type)', () => {
  it.each([
    ["DateTime64(9, 'UTC')", '2024-05-01T12:00:00.123456789Z', true],
    ["DateTime64(9, 'UTC')", '2024-05-01 12:00:00', true],
    ["DateTime64(9, 'UTC')", '2024-05-01T12:00:00+02:00', true],
    ["DateTime64(9, 'UTC')", 'yesterday', false],
    ["DateTime64(9, 'UTC')", 1714564800, false],
    ['UInt64', 12, true],
    ['UInt64', -1, false],
    ['UInt64', '12', false],
    ['UInt64', 1.5, false],
    ['Float64', 1.5, true],
    ['Nullable(Float64)', null, true],
    ['Float64', null, false],
    ['LowCardinality(String)', 'x', true],
    ['String', 3, false],
    ['Bool', false, true],
    ['Bool', 0, false],
    ['Array(String)', ['a', ''], true],
    ['Array(String)', ['a', 1], false],
    ['Map(String, String)', { a: 'b' }, true],
    ['Map(String, String)', { a: 1 }, false],
    ['Map(String, String)', ['a'], false],
  ])('%s <- %j: %s', (type, value, expected) => {
    expect(fits(type, value)).toBe(expected);
  });
});

describe('checkRow', () => {
  const columns = [
    { name: 'name', type: 'String', default_type: '' },
    { name: 'cost', type: 'Nullable(Float64)', default_type: '' },
    { name: 'ingested_at', type: "DateTime64(3, 'UTC')", default_type: 'DEFAULT' },
  ];

  it('needs a value for a column that is neither Nullable nor has a DEFAULT', () => {
    expect(checkRow({}, columns)).toEqual([{ column: 'name', error: "column 'name' is missing and has no default value" }]);
    expect(checkRow({ name: 'x', extra: 1 }, columns)).toEqual([]);
  });
});
