/**
 * Generates the read benchmark's analytics data inside chDB, in SQL: ~10 million canonical events
 * (INSERT … SELECT FROM numbers() with one ARRAY JOIN per trace's spans) in the collector's own
 * `events` table and data directory, then the trace summaries and sessions those events add up to, as
 * CSV files for Postgres' COPY. Deriving the summaries from the events keeps the two planes agreeing,
 * as ingestion would (a trace's header and its spans tell the same story).
 *
 * chDB binds one data directory per process, so this runs in a child process of its own
 * (`seedAnalyticsInChild`), and the collector opens the directory only after it has exited.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Session } from 'chdb';
import { eventsTableDdl } from '../../collector/src/stores/analytics/events-table.ts';
import { seededRandom, text } from '../random.ts';
import {
  DAYS, DETAIL_SPANS, ERROR_PERCENT, MODELS, SERVICES, TAGS_PER_MILLE, TOOLS, TOPICS, TRACE_NAMES, TRACES_PER_SESSION, USERS,
} from './dataset-shape.ts';

export interface AnalyticsSeed {
  /** chDB data directory (the collector's `<OBSERVA_DATA_DIR>/chdb`). */
  chdbPath: string;
  tenantId: string;
  /** The large project (all traces) and the small one (a copy of the detail trace only). */
  projectId: string;
  smallProjectId: string;
  traces: number;
  /** Index of the trace that gets DETAIL_SPANS spans (recent, so it is on the list's first pages). */
  detailIndex: number;
  /** The window ends here (epoch ms); traces spread over the DAYS before it. */
  endMs: number;
  /** Where the CSV files for Postgres are written. */
  summariesCsv: string;
  sessionsCsv: string;
}

export interface AnalyticsSeedResult {
  events: number;
  detailTraceId: string;
}

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const stringArray = (values: readonly string[]) => `[${values.map(quote).join(', ')}]`;
const numberArray = (values: readonly (number | null)[]) => `[${values.map((v) => (v === null ? 'NULL' : String(v))).join(', ')}]`;

/** Prose the messages are cut from: seeded, and free of quotes and backslashes, so it splices into JSON as is. */
const LOREM = text(seededRandom(11), 12_000);
const LOREM_OFFSETS = 2_000;

/**
 * One row per trace (its shape, time, user, model, …), from which the span rows are unrolled. `source`
 * is the numbers() call that gives the trace indexes.
 */
function tracesSql(seed: AnalyticsSeed, source: string): string {
  const windowUs = DAYS * 86_400_000_000;
  const stepUs = Math.floor(windowUs / seed.traces);
  const startUs = seed.endMs * 1000 - windowUs;
  return `
    SELECT
      number AS i,
      i = ${seed.detailIndex} AS is_detail,
      lower(hex(MD5(concat('bench-reads-', toString(i))))) AS trace_id,
      substring(lower(hex(MD5(concat(trace_id, ':0')))), 1, 16) AS root_span_id,
      intDiv(i, ${TRACES_PER_SESSION}) AS session_index,
      cityHash64(session_index, 'has-user') % 100 < 92 AS has_user,
      toUInt32(floor(${USERS} * pow((cityHash64(session_index, 'user') % 1000000) / 1000000, 2))) AS user_index,
      if(has_user, concat('session-', toString(session_index)), '') AS trace_session_id,
      if(has_user, concat('user-', toString(user_index)), '') AS trace_user_id,
      cityHash64(i, 'shape') % 100 AS shape,
      toUInt32(multiIf(is_detail, ${DETAIL_SPANS}, shape < 30, 1 + cityHash64(i, 'spans') % 3,
        shape < 80, 5 + cityHash64(i, 'spans') % 11, 12 + cityHash64(i, 'spans') % 21)) AS spans,
      toInt64(${startUs} + i * ${stepUs} + cityHash64(i, 'start') % ${stepUs}) AS start_us,
      toInt64(if(spans = 1, 400000 + cityHash64(i, 'duration') % 6000000, (300000 + cityHash64(i, 'duration') % 1300000) * spans)) AS duration_us,
      1 + toUInt32(floor(${MODELS.length} * pow((cityHash64(i, 'model') % 1000000) / 1000000, 1.8))) AS model_index,
      1 + (model_index + 3) % ${MODELS.length} AS second_model_index,
      cityHash64(i, 'error') % 100 < ${ERROR_PERCENT} AS failed,
      cityHash64(i, 'tags') % 1000 AS tag_roll,
      multiIf(tag_roll < ${TAGS_PER_MILLE.beta}, ['beta'], tag_roll < ${TAGS_PER_MILLE.beta + TAGS_PER_MILLE.betaVip}, ['beta', 'vip'],
        tag_roll < ${TAGS_PER_MILLE.beta + TAGS_PER_MILLE.betaVip + TAGS_PER_MILLE.eval}, ['eval'],
        tag_roll < ${TAGS_PER_MILLE.beta + TAGS_PER_MILLE.betaVip + TAGS_PER_MILLE.eval + TAGS_PER_MILLE.escalated}, ['escalated'],
        CAST([], 'Array(String)')) AS trace_tags,
      ${stringArray(TRACE_NAMES)}[1 + cityHash64(i, 'name') % ${TRACE_NAMES.length}] AS trace_name,
      if(cityHash64(i, 'env') % 10 = 0, 'staging', 'production') AS trace_environment,
      ${stringArray(SERVICES)}[1 + cityHash64(i, 'service') % ${SERVICES.length}] AS trace_service,
      concat('Customer asks about ', ${stringArray(TOPICS)}[1 + cityHash64(i, 'topic') % ${TOPICS.length}], ': ',
        substring(lorem, 1 + cityHash64(i, 'q') % ${LOREM_OFFSETS}, 60 + cityHash64(i, 'q-length') % 300)) AS question,
      substring(lorem, 1 + cityHash64(i, 'a') % ${LOREM_OFFSETS}, 100 + cityHash64(i, 'a-length') % 600) AS answer
    FROM ${source}`;
}

const message = (role: string, content: string) => `concat('{"role":"${role}","parts":[{"type":"text","content":"', ${content}, '"}]}')`;

/**
 * Each events column and the expression that fills it, over the span-level aliases of eventsSql: a
 * root (agent, chain, or the lone LLM call) and children cycling through LLM, tool, embedding and
 * retrieval spans.
 */
function eventValues(tenantId: string, projectId: string): [column: string, expression: string][] {
  return [
    ['tenant_id', quote(tenantId)],
    ['project_id', quote(projectId)],
    ['trace_id', 'trace_id'],
    ['span_id', 'span_id'],
    ['parent_span_id', 'parent_span_id'],
    ['type', 'type'],
    ['operation_name', "multiIf(type = 'llm', 'chat', type = 'embedding', 'embeddings', type = 'tool', 'execute_tool', '')"],
    ['name', "multiIf(is_root, trace_name, type = 'llm', concat('chat ', model), type = 'tool', concat('execute_tool ', tool), type = 'embedding', concat('embeddings ', model), 'retrieve documents')"],
    ['span_kind', "if(model_call, 'client', 'internal')"],
    ['service_name', 'trace_service'],
    ['scope_name', "if(model_call, 'opentelemetry.instrumentation.openai', 'observa')"],
    ['environment', 'trace_environment'],
    ['start_time', "fromUnixTimestamp64Micro(span_start_us, 'UTC')"],
    ['end_time', "fromUnixTimestamp64Micro(span_start_us + span_duration_us, 'UTC')"],
    ['duration_ms', 'span_duration_us / 1000'],
    ['status', "if(span_failed, 'error', 'ok')"],
    ['status_message', "if(span_failed, if(is_root, 'upstream model failed', 'rate limited by provider'), '')"],
    ['error_type', "if(span_failed, if(is_root, 'ProviderError', 'RateLimitError'), '')"],
    ['provider', 'provider'],
    ['model', 'model'],
    ['input_tokens', 'input_tokens'],
    ['output_tokens', 'output_tokens'],
    ['total_tokens', 'input_tokens + output_tokens'],
    ['cache_read_tokens', 'cache_read_tokens'],
    ['cache_write_tokens', '0'],
    ['reasoning_tokens', '0'],
    ['usage_source', "if(model_call, 'reported', 'none')"],
    ['cost_usd', 'cost_usd'],
    ['cost_source', "if(cost_usd IS NULL, 'none', 'computed')"],
    ['counts_usage', 'true'],
    ['session_id', 'trace_session_id'],
    ['user_id', 'trace_user_id'],
    ['conversation_id', "''"],
    ['tags', "if(is_root, trace_tags, CAST([], 'Array(String)'))"],
    ['metadata', "if(is_root, map('tier', if(user_index < 20, 'enterprise', 'pro')), CAST(map(), 'Map(String, String)'))"],
    ['input', `multiIf(type = 'llm', concat('[', ${message('system', "'You are the support assistant of ', trace_service, '.'")}, ',', ${message('user', 'if(spans = 1, question, content)')}, ']'),
      is_root, concat('[', ${message('user', 'question')}, ']'), 'null')`],
    ['output', `multiIf(type = 'llm', concat('[', ${message('assistant', 'if(spans = 1, answer, substring(content, 1, intDiv(content_length, 2)))')}, ']'),
      is_root, concat('[', ${message('assistant', 'answer')}, ']'), 'null')`],
    ['tool_name', "if(type = 'tool', tool, '')"],
    ['time_to_first_token_ms', "if(type = 'llm', span_duration_us * 0.3 / 1000, NULL)"],
    ['finish_reason', "if(type = 'llm', 'stop', '')"],
    ['attributes', `multiIf(type = 'llm', concat('{"gen_ai.request.temperature":0.2,"gen_ai.request.max_tokens":', toString(1024 * (1 + j % 4)), '}'),
      type = 'tool', concat('{"tool.query":"', substring(question, 21, 30), '"}'), '{}')`],
    ['resource_attributes', `concat('{"service.name":"', trace_service, '","telemetry.sdk.language":"python","deployment.environment":"', trace_environment, '"}')`],
    ['events', `if(span_failed AND NOT is_root, concat('[{"time":"', replaceOne(toString(fromUnixTimestamp64Micro(span_start_us + span_duration_us, 'UTC')), ' ', 'T'),
      'Z","name":"exception","attributes":{"exception.type":"RateLimitError"}}]'), '[]')`],
    ['retention_days', '30'],
  ];
}

/** The span rows of every trace in `source` (a numbers() call giving trace indexes), for one project. */
function eventsSql(seed: AnalyticsSeed, projectId: string, source: string): string {
  const values = eventValues(seed.tenantId, projectId);
  return `
    INSERT INTO events (${values.map(([column]) => column).join(', ')})
    SELECT ${values.map(([column, expression]) => `${expression} AS ${column}`).join(',\n      ')}
    FROM (
      WITH ${quote(LOREM)} AS lorem
      SELECT *, j,
        j = 0 AS is_root,
        multiIf(is_root AND spans = 1, 'llm', is_root AND spans > 8, 'agent', is_root, 'chain',
          ['llm', 'tool', 'llm', 'embedding', 'retrieval'][1 + (j - 1) % 5]) AS type,
        type IN ('llm', 'embedding') AS model_call,
        if(is_root, root_span_id, substring(lower(hex(MD5(concat(trace_id, ':', toString(j))))), 1, 16)) AS span_id,
        if(is_root, '', root_span_id) AS parent_span_id,
        intDiv(duration_us, spans) AS slot_us,
        if(is_root, start_us, start_us + (j - 1) * slot_us + 1000) AS span_start_us,
        if(is_root, duration_us, intDiv(slot_us * 9, 10)) AS span_duration_us,
        failed AND (is_root OR j = spans - 1) AS span_failed,
        if(j % 4 = 3 AND spans > 5, second_model_index, model_index) AS llm_model_index,
        multiIf(type = 'llm', ${stringArray(MODELS.map((m) => m.model))}[llm_model_index], type = 'embedding', 'text-embedding-3-small', '') AS model,
        multiIf(type = 'llm', ${stringArray(MODELS.map((m) => m.provider))}[llm_model_index], type = 'embedding', 'openai', '') AS provider,
        toUInt64(multiIf(type = 'llm', 150 + cityHash64(trace_id, j, 'in') % 3850, type = 'embedding', 20 + cityHash64(trace_id, j, 'in') % 480, 0)) AS input_tokens,
        toUInt64(if(type = 'llm', 10 + cityHash64(trace_id, j, 'out') % 790, 0)) AS output_tokens,
        toUInt64(if(type = 'llm' AND cityHash64(trace_id, j, 'cache') % 10 < 3, intDiv(input_tokens, 2), 0)) AS cache_read_tokens,
        multiIf(type = 'llm', (input_tokens * ${numberArray(MODELS.map((m) => m.input))}[llm_model_index]
          + output_tokens * ${numberArray(MODELS.map((m) => m.output))}[llm_model_index]) / 1000000,
          type = 'embedding', input_tokens * 0.02 / 1000000, NULL) AS cost_usd,
        ${stringArray(TOOLS)}[1 + cityHash64(trace_id, j, 'tool') % ${TOOLS.length}] AS tool,
        toUInt32(if(is_detail, 1000 + cityHash64(trace_id, j, 'length') % 7000, 200 + cityHash64(trace_id, j, 'length') % 1300)) AS content_length,
        substring(lorem, 1 + cityHash64(trace_id, j, 'at') % ${LOREM_OFFSETS}, content_length) AS content
      FROM (${tracesSql(seed, source)}) ARRAY JOIN range(spans) AS j
    )
    SETTINGS max_insert_threads = 2`;
}

/** Postgres array literal of a ClickHouse Array(String) (our values need no quoting). */
const pgArray = (expr: string) => `concat('{', arrayStringConcat(arraySort(${expr}), ','), '}')`;
const pgTime = (expr: string) => `concat(toString(toDateTime64(${expr}, 6, 'UTC')), '+00')`;
/** The preview ingestion takes: the text of the last message, at most 500 characters (trace-delta.ts). */
const preview = (expr: string) => `nullIf(leftUTF8(JSONExtractString(${expr}, -1, 'parts', 1, 'content'), 500), '')`;

const root = (expr: string) => `anyIf(${expr}, parent_span_id = '')`;

/** trace_summaries columns and how the events fold into them, as ingestion's trace-delta.ts does (the root names the trace and gives its previews). */
const SUMMARY: [column: string, expression: string][] = [
  ['tenant_id', 'tenant_id'],
  ['project_id', 'project_id'],
  ['trace_id', 'trace_id'],
  ['name', root('name')],
  ['root_span_id', root('span_id')],
  ['service_name', root('service_name')],
  ['environment', root('environment')],
  ['start_time', pgTime('min(start_time)')],
  ['end_time', pgTime('max(end_time)')],
  ['span_count', 'count()'],
  ['llm_call_count', "countIf(type = 'llm' AND counts_usage)"],
  ['error_count', "countIf(status = 'error')"],
  ['ok_count', "countIf(status = 'ok')"],
  ['input_tokens', 'sumIf(input_tokens, counts_usage)'],
  ['output_tokens', 'sumIf(output_tokens, counts_usage)'],
  ['total_tokens', 'sumIf(total_tokens, counts_usage)'],
  ['cache_read_tokens', 'sumIf(cache_read_tokens, counts_usage)'],
  ['reasoning_tokens', 'sumIf(reasoning_tokens, counts_usage)'],
  ['total_cost_usd', 'toDecimal128(sumIf(ifNull(cost_usd, 0), counts_usage), 10)'],
  ['session_id', `nullIf(${root('session_id')}, '')`],
  ['user_id', `nullIf(${root('user_id')}, '')`],
  ['conversation_id', 'NULL'],
  ['models', pgArray("groupUniqArrayIf(model, model != '')")],
  ['unpriced_models', pgArray("groupUniqArrayIf(model, model != '' AND counts_usage AND usage_source != 'none' AND cost_usd IS NULL)")],
  ['tags', pgArray('groupUniqArrayArray(tags)')],
  ['input_preview', preview(root('input'))],
  ['input_preview_rank', '2'],
  ['input_preview_at', 'toUnixTimestamp64Micro(min(start_time))'],
  ['output_preview', preview(root('output'))],
  ['output_preview_rank', '2'],
  ['output_preview_at', 'toUnixTimestamp64Micro(max(end_time))'],
];

/** sessions columns, from the same fold over a session's spans (as the write path recomputes them). */
const SESSION: [column: string, expression: string][] = [
  ['tenant_id', 'tenant_id'],
  ['project_id', 'project_id'],
  ['session_id', 'session_id'],
  ['user_id', "nullIf(any(user_id), '')"],
  ['start_time', pgTime('min(start_time)')],
  ['end_time', pgTime('max(end_time)')],
  ['trace_count', 'uniqExact(trace_id)'],
  ['span_count', 'count()'],
  ['llm_call_count', "countIf(type = 'llm' AND counts_usage)"],
  ['error_count', "countIf(status = 'error')"],
  ['input_tokens', 'sumIf(input_tokens, counts_usage)'],
  ['output_tokens', 'sumIf(output_tokens, counts_usage)'],
  ['total_tokens', 'sumIf(total_tokens, counts_usage)'],
  ['total_cost_usd', 'toDecimal128(sumIf(ifNull(cost_usd, 0), counts_usage), 10)'],
  ['models', pgArray("groupUniqArrayIf(model, model != '')")],
];

/** The CSV columns, in file order, for COPY. */
export const SUMMARY_COLUMNS = SUMMARY.map(([column]) => column);
export const SESSION_COLUMNS = SESSION.map(([column]) => column);

function exportSql(file: string, columns: [string, string][], rest: string): string {
  // Aliased with a prefix: an alias named like an events column would replace that column inside the aggregates.
  return `
    INSERT INTO FUNCTION file(${quote(file)}, 'CSV')
    SELECT ${columns.map(([column, expression]) => `${expression} AS out_${column}`).join(',\n      ')}
    FROM events
    ${rest}
    SETTINGS engine_file_truncate_on_insert = 1`;
}

/** Lets the background merges finish, so the benchmark reads the parts a settled table has. */
async function waitForMerges(session: Session): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  for (let quiet = 0; quiet < 3 && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const running = await session.queryAsync("SELECT count() AS n FROM system.merges WHERE table = 'events'", { format: 'JSONEachRow' });
    quiet = Number(JSON.parse(running.text()).n) === 0 ? quiet + 1 : 0;
  }
}

export async function seedAnalytics(seed: AnalyticsSeed): Promise<AnalyticsSeedResult> {
  const session = new Session(seed.chdbPath);
  try {
    const step = async (name: string, sql: string) => {
      const started = performance.now();
      await session.queryAsync(sql);
      console.error(`reads:   ${name} ${((performance.now() - started) / 1000).toFixed(1)} s`);
    };
    await step('events table', eventsTableDdl());
    await step('truncate', 'TRUNCATE TABLE events');
    // A day at a time, as ingestion writes them: parts that cover disjoint time ranges, merged in the background.
    for (let day = 0; day < DAYS; day++) {
      const first = Math.floor((day * seed.traces) / DAYS);
      const count = Math.floor(((day + 1) * seed.traces) / DAYS) - first;
      await step(`events of the large project, day ${day + 1}`, eventsSql(seed, seed.projectId, `numbers_mt(${first}, ${count})`));
    }
    // The small project holds the same 200-span trace and nothing else: the detail baseline.
    await step('events of the small project', eventsSql(seed, seed.smallProjectId, `numbers(${seed.detailIndex}, 1)`));
    await waitForMerges(session);
    const tenant = `tenant_id = ${quote(seed.tenantId)}`;
    // In start-time order, as ingestion fills the Postgres heap.
    await step('trace summaries CSV', exportSql(seed.summariesCsv, SUMMARY, `WHERE ${tenant} GROUP BY tenant_id, project_id, trace_id ORDER BY min(start_time)`));
    await step('sessions CSV', exportSql(seed.sessionsCsv, SESSION, `WHERE ${tenant} AND session_id != '' GROUP BY tenant_id, project_id, session_id`));
    const counted = await session.queryAsync('SELECT count() AS n FROM events', { format: 'JSONEachRow' });
    const detail = await session.queryAsync(`SELECT lower(hex(MD5('bench-reads-${seed.detailIndex}'))) AS id`, { format: 'JSONEachRow' });
    return { events: Number(JSON.parse(counted.text()).n), detailTraceId: JSON.parse(detail.text()).id };
  } finally {
    session.close();
  }
}

/** Runs seedAnalytics in a child process (chDB: one data directory per process) and returns its result. */
export async function seedAnalyticsInChild(seed: AnalyticsSeed): Promise<AnalyticsSeedResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), JSON.stringify(seed)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`analytics seed exited with ${code}`);
  return JSON.parse(output) as AnalyticsSeedResult;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await seedAnalytics(JSON.parse(process.argv[2]) as AnalyticsSeed);
  process.stdout.write(JSON.stringify(result));
}
