import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import schema from '../../../../../schemas/canonical-event.schema.json' with { type: 'json' };
import { EVENTS_TABLE_COLUMNS } from '../events-table.ts';
import { datasourceDdl, parseDatasource } from './datasource-ddl.ts';
import { EVENTS_DATASOURCE_FILE, TINYBIRD_DIR, eventsDatasource } from './events-datasource.ts';

const committed = readFileSync(EVENTS_DATASOURCE_FILE, 'utf8');

describe('schemas/tinybird/datasources/events.datasource', () => {
  it('is what the schema generates (run `npm run tinybird:generate` after a schema change)', () => {
    expect(committed).toBe(eventsDatasource());
  });

  it('has every schema property as a column at its JSON path, then retention and ingest columns', () => {
    const { columns } = parseDatasource(committed);
    expect(columns.map((c) => c.name)).toEqual([...Object.keys(schema.properties), 'ingested_at']);
    expect(columns.find((c) => c.name === 'tags')).toEqual({ name: 'tags', type: 'Array(String)', jsonPath: '$.tags[:]', default: null });
    expect(columns.find((c) => c.name === 'retention_days')).toEqual({ name: 'retention_days', type: 'UInt16', jsonPath: '$.retention_days', default: '30' });
    expect(columns.map((c) => [c.name, c.type, c.default])).toEqual(EVENTS_TABLE_COLUMNS.map((c) => [c.name, c.clickhouseType, c.clickhouseDefault]));
  });

  it('keys on the tenant first, partitions by month and keeps rows for their retention', () => {
    expect(parseDatasource(committed).engine).toEqual({
      engine: 'ReplacingMergeTree',
      ver: 'ingested_at',
      partition_key: 'toYYYYMM(start_time)',
      sorting_key: 'tenant_id, project_id, toStartOfHour(start_time), trace_id, span_id',
      ttl: 'toDateTime(ingested_at) + toIntervalDay(retention_days)',
    });
  });
});

describe('datasourceDdl', () => {
  it('builds the ClickHouse table a datasource describes', () => {
    const source = readFileSync(new URL('datasources/usage_hourly.datasource', TINYBIRD_DIR), 'utf8');
    const ddl = datasourceDdl('usage_hourly', source, ['non_replicated_deduplication_window = 100']);
    expect(ddl).toContain('  latency_ms AggregateFunction(quantiles(0.5, 0.95, 0.99), Float64),\n');
    expect(ddl).toMatch(/\)\nENGINE = AggregatingMergeTree\(\)\nPARTITION BY toYYYYMM\(hour\)\nORDER BY \(tenant_id, project_id, hour, model, provider\)\nTTL toDateTime\(ingested_at\) \+ toIntervalDay\(retention_days\)\nSETTINGS non_replicated_deduplication_window = 100$/);
  });

  it('refuses lines it does not know', () => {
    expect(() => parseDatasource('SCHEMA >\n    `a` String\n\nENGINE "MergeTree"\nKAFKA_TOPIC "x"')).toThrow(/unsupported datasource line/);
  });
});
