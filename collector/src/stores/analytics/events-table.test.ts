import { describe, expect, it } from 'vitest';
import schema from '../../../../schemas/canonical-event.schema.json' with { type: 'json' };
import { eventsTableDdl, missingColumnsDdl, missingTtlDdl, resortDdl } from './events-table.ts';

// The guard that keeps table and schema in sync: the DDL's columns are exactly the schema's properties.
describe('events table DDL', () => {
  it('has one column per schema property, in order, with its x-clickhouse type and default, plus ingested_at', () => {
    const body = /\(\n([\s\S]*)\n\)\nENGINE/.exec(eventsTableDdl())![1];
    const columns = body.split(',\n').map((line) => line.trim());
    const annotations = Object.entries(schema.properties).map(([name, p]) => [name, p['x-clickhouse'] as { type: string; default?: string }] as const);
    const expected = annotations.map(([name, x]) => `${name} ${x.type}${x.default ? ` DEFAULT ${x.default}` : ''}`);
    expect(columns).toEqual([...expected, "ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)"]);
    expect(columns).toContain('retention_days UInt16 DEFAULT 30');
  });

  it('deduplicates on the tenant, project, hour, trace and span key and keeps rows retention_days after arrival', () => {
    expect(eventsTableDdl()).toMatch(/ENGINE = ReplacingMergeTree\(ingested_at\)\nPARTITION BY toYYYYMM\(start_time\)\nORDER BY \(tenant_id, project_id, toStartOfHour\(start_time\), trace_id, span_id\)\nTTL toDateTime\(ingested_at\) \+ toIntervalDay\(retention_days\)$/);
  });

  it('rebuilds a table sorted by an older key under the current one, naming every column, and leaves a current one alone', () => {
    const steps = resortDdl('tenant_id, project_id, trace_id, span_id');
    expect(steps[0]).toBe('DROP TABLE IF EXISTS events_resorted');
    expect(steps[1]).toBe(eventsTableDdl('events_resorted'));
    expect(steps[2]).toMatch(/^INSERT INTO events_resorted \(tenant_id, project_id, .*, ingested_at\) SELECT tenant_id, project_id, .*, ingested_at FROM events$/);
    expect(steps.slice(3)).toEqual(['EXCHANGE TABLES events AND events_resorted', 'DROP TABLE events_resorted']);
    expect(resortDdl('tenant_id, project_id, toStartOfHour(start_time), trace_id, span_id')).toEqual([]);
  });

  it('brings an older table up to date: new columns with their default, then the TTL', () => {
    const existing = new Set(Object.keys(schema.properties).filter((name) => name !== 'retention_days'));
    expect(missingColumnsDdl(existing)).toEqual(['ALTER TABLE events ADD COLUMN IF NOT EXISTS retention_days UInt16 DEFAULT 30']);
    expect(missingTtlDdl('ReplacingMergeTree(ingested_at) ORDER BY (tenant_id) SETTINGS index_granularity = 8192')).toEqual([
      'ALTER TABLE events MODIFY TTL toDateTime(ingested_at) + toIntervalDay(retention_days)',
    ]);
    expect(missingTtlDdl('ReplacingMergeTree(ingested_at) ORDER BY (tenant_id) TTL toDateTime(ingested_at) + toIntervalDay(retention_days)')).toEqual([]);
  });
});
