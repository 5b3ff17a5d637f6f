/**
 * AnalyticsStore on chDB, the embedded default: in-process ClickHouse over a data directory.
 * Only chdb's async calls are used (its sync ones block the event loop); chDB binds one data
 * directory per process, so a second store on another path must wait for this one's shutdown.
 * Named queries are the Tinybird pipes (schemas/tinybird/pipes/) rendered with bound parameters.
 * Every failure counts as retryable (appends and deletes alike): the engine is in-process.
 */
import { Session, drainPending } from 'chdb';
import type { AnalyticsQueries, AnalyticsStore, DeleteReport, DeleteSelector, QueryName } from '../analytics-store.ts';
import { boundDeleteCondition } from '../delete-selector.ts';
import { InFlight } from '../in-flight.ts';
import type { CanonicalEvent } from '../../../events/canonical-event.ts';
import { eventsToJsonEachRow, type EventRow } from '../event-row.ts';
import { EVENTS_TABLE, eventsTableDdl, missingColumnsDdl, missingTtlDdl, resortDdl } from '../events-table.ts';
import { QUERY_NAMES, ROW_DECODERS, pipeParams } from '../named-queries.ts';
import { loadPipes, renderPipe, type Pipe } from '../pipes/render-pipe.ts';

export interface ChdbStoreOptions {
  /** Data directory; created when missing, reopened with its data otherwise. */
  path: string;
}

// Canonical times are RFC 3339; best_effort parses them (offsets, 0-9 fraction digits) exactly.
const INSERT_SETTINGS = { date_time_input_format: 'best_effort' };

/** Creates the events table, or brings one made by an older version up to date (columns, TTL, sorting key). */
async function prepareEventsTable(session: Session): Promise<void> {
  await session.queryAsync(eventsTableDdl());
  const described = await session.queryAsync(`DESCRIBE TABLE ${EVENTS_TABLE.name}`, { format: 'JSONEachRow' });
  const existing = new Set(described.text().trim().split('\n').map((line) => JSON.parse(line).name as string));
  for (const alter of missingColumnsDdl(existing)) await session.queryAsync(alter);
  const table = await session.queryBindAsync(
    'SELECT engine_full, sorting_key FROM system.tables WHERE database = currentDatabase() AND name = {name:String}',
    { name: EVENTS_TABLE.name },
    { format: 'JSONEachRow' },
  );
  const { engine_full: engineFull, sorting_key: sortingKey } = JSON.parse(table.text());
  for (const alter of missingTtlDdl(engineFull)) await session.queryAsync(alter);
  for (const step of resortDdl(sortingKey)) await session.queryAsync(step);
}

export class ChdbAnalyticsStore implements AnalyticsStore {
  readonly backend = 'chdb';
  private opened: { session: Session; pipes: Record<string, Pipe> } | null = null;
  /** Operations still running, awaited by shutdown so close() never lands under one. */
  private readonly inFlight = new InFlight();

  constructor(private readonly options: ChdbStoreOptions) {}

  async start(): Promise<void> {
    if (this.opened) return;
    // A store shut down on another path may still be releasing the process's one data directory.
    await drainPending();
    const session = new Session(this.options.path);
    try {
      await prepareEventsTable(session);
      const pipes = await loadPipes();
      const missing = QUERY_NAMES.filter((name) => !pipes[name]);
      if (missing.length > 0) throw new Error(`no pipe for the named queries ${missing.join(', ')}`);
      this.opened = { session, pipes };
    } catch (err) {
      session.close();
      throw err;
    }
  }

  async append(events: CanonicalEvent[]): Promise<void> {
    if (events.length === 0) return;
    const { session } = this.open();
    // One raw JSONEachRow insert: the engine parses the bytes, JS builds no SQL and no value tuples.
    await this.inFlight.track(session.insert({
      table: EVENTS_TABLE.name,
      values: Buffer.from(eventsToJsonEachRow(events)),
      format: 'JSONEachRow',
      settings: INSERT_SETTINGS,
    }));
  }

  async query<N extends QueryName>(name: N, params: AnalyticsQueries[N]['params']): Promise<AnalyticsQueries[N]['row'][]> {
    const { session, pipes } = this.open();
    // Rendered per call: `{% if defined(x) %}` blocks depend on which params are present.
    const { sql, params: bound } = renderPipe(pipes[name], pipeParams(params));
    const result = await this.inFlight.track(session.queryBindAsync(sql, bound, { format: 'JSONEachRow' }));
    const text = result.text();
    if (text.length === 0) return [];
    const decode = ROW_DECODERS[name] as (row: EventRow) => AnalyticsQueries[N]['row'];
    return text.trimEnd().split('\n').map((line) => decode(JSON.parse(line)));
  }

  /**
   * A lightweight DELETE with bound parameters: it returns once the rows are masked, so the next query
   * no longer sees them. The count is of distinct spans (FINAL), taken just before.
   */
  async delete(selector: DeleteSelector): Promise<DeleteReport> {
    const { sql, params } = boundDeleteCondition(selector);
    const { session } = this.open();
    const counted = await this.inFlight.track(session.queryBindAsync(`SELECT count() AS n FROM ${EVENTS_TABLE.name} FINAL WHERE ${sql}`, params, { format: 'JSONEachRow' }));
    const deletedRows = Number(JSON.parse(counted.text()).n);
    if (deletedRows > 0) await this.inFlight.track(session.queryBindAsync(`DELETE FROM ${EVENTS_TABLE.name} WHERE ${sql}`, params, {}));
    return { deletedRows };
  }

  async shutdown(): Promise<void> {
    if (!this.opened) return;
    const { session } = this.opened;
    this.opened = null;
    await this.inFlight.settled();
    session.close();
    await drainPending();
  }

  private open(): { session: Session; pipes: Record<string, Pipe> } {
    if (!this.opened) throw new Error('chdb analytics store is not started (or already shut down)');
    return this.opened;
  }

}
