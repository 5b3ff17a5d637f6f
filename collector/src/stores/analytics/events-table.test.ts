import { describe, expect, it } from 'vitest';
import schema from '../../../../schemas/canonical-event.schema.json' with { type: 'json' };
import { eventsTableDdl } from './events-table.ts';

// The guard that keeps table and schema in sync: the DDL's columns are exactly the schema's properties.
describe('events table DDL', () => {
  it('has one column per schema property, in order, with its x-clickhouse type, plus ingested_at', () => {
    const body = /\(\n([\s\S]*)\n\)\nENGINE/.exec(eventsTableDdl())![1];
    const columns = body.split(',\n').map((line) => line.trim());
    const expected = Object.entries(schema.properties).map(([name, p]) => `${name} ${p['x-clickhouse'].type}`);
    expect(columns).toEqual([...expected, "ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)"]);
  });

  it('deduplicates on the tenant, project, trace and span key', () => {
    expect(eventsTableDdl()).toMatch(/ENGINE = ReplacingMergeTree\(ingested_at\)\nPARTITION BY toYYYYMM\(start_time\)\nORDER BY \(tenant_id, project_id, trace_id, span_id\)$/);
  });
});
