/**
 * schemas/tinybird/datasources/events.datasource, generated from the same columns and table
 * settings as the chDB `events` table (EVENTS_TABLE), so the two data planes cannot drift apart;
 * events-datasource.test.ts fails until the committed file is regenerated (`npm run tinybird:generate`).
 */
import { EVENTS_TABLE, EVENTS_TABLE_COLUMNS, type TableColumn } from '../events-table.ts';

export const TINYBIRD_DIR = new URL('../../../../../schemas/tinybird/', import.meta.url);
export const EVENTS_DATASOURCE_FILE = new URL('datasources/events.datasource', TINYBIRD_DIR);

// The Events API body is eventsToJsonEachRow's rows: one JSON key per column, arrays read element-wise.
const jsonPath = (c: TableColumn) => `json:$.${c.name}${c.clickhouseType.startsWith('Array(') ? '[:]' : ''}`;

export function eventsDatasource(): string {
  const columns = EVENTS_TABLE_COLUMNS.map(
    (c) => `    \`${c.name}\` ${c.clickhouseType} \`${jsonPath(c)}\`${c.clickhouseDefault === null ? '' : ` DEFAULT ${c.clickhouseDefault}`}`,
  );
  return [
    'DESCRIPTION >',
    '    One canonical LLM event per span. Generated from schemas/canonical-event.schema.json by',
    '    `npm run tinybird:generate`: change the schema, not this file.',
    '',
    'SCHEMA >',
    columns.join(',\n'),
    '',
    `ENGINE "${EVENTS_TABLE.engine}"`,
    `ENGINE_VER "${EVENTS_TABLE.version}"`,
    `ENGINE_PARTITION_KEY "${EVENTS_TABLE.partitionBy}"`,
    `ENGINE_SORTING_KEY "${EVENTS_TABLE.orderBy.join(', ')}"`,
    `ENGINE_TTL "${EVENTS_TABLE.ttl}"`,
    '',
  ].join('\n');
}
