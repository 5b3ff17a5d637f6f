import { queryBindAsync } from 'chdb';
import { describe, expect, it } from 'vitest';
import { QUERY_NAMES } from '../named-queries.ts';
import { PipeParamError, loadPipes, parsePipe, renderPipe } from './render-pipe.ts';

const pipe = (sql: string) => ({ nodes: [{ name: 'endpoint', sql, type: 'endpoint' as const }] });
const render = (sql: string, params: Record<string, string | undefined> = {}) => renderPipe(pipe(sql), params);

describe('parsePipe', () => {
  it('reads nodes, descriptions, the % line of a parameterised node, TYPE and DATASOURCE', () => {
    const source = [
      'DESCRIPTION >',
      '    The pipe.',
      '',
      'NODE scoped',
      'DESCRIPTION >',
      '    Why this node.',
      '',
      'SQL >',
      '    %',
      '    SELECT *',
      '    FROM events',
      '        WHERE x = 1',
      '',
      'NODE endpoint',
      'SQL >',
      '    SELECT count() FROM scoped',
      '',
      'TYPE ENDPOINT',
      'DATASOURCE target',
      '',
    ].join('\n');
    expect(parsePipe(source)).toEqual({
      nodes: [
        { name: 'scoped', sql: 'SELECT *\nFROM events\n    WHERE x = 1' },
        { name: 'endpoint', sql: 'SELECT count() FROM scoped', type: 'endpoint', datasource: 'target' },
      ],
    });
  });

  it('refuses what it does not understand instead of rendering it differently', () => {
    expect(() => parsePipe('SQL >\n    SELECT 1')).toThrow(/before any NODE/);
    expect(() => parsePipe('NODE a\nSQL >\n    SELECT 1\nTYPE copy')).toThrow(/unsupported node TYPE/);
    expect(() => parsePipe('NODE a\nSQL >\n    SELECT 1\nCOPY_SCHEDULE @daily')).toThrow(/unsupported pipe line/);
  });
});

describe('renderPipe parameters', () => {
  it('turns each parameter into a typed placeholder and its value into a bound parameter', () => {
    const rendered = render(
      "SELECT {{String(tenant_id, required=True)}}, {{Int32(n)}}, {{UInt32(b, 60)}}, {{Int64(big)}}, {{Float64(f, description='a ratio')}}, {{DateTime64(from_t)}}, {{DateTime(to_t)}}",
      { tenant_id: 't', n: '-5', big: '9007199254740993', f: '0.25', from_t: '2025-03-01 10:00:00.5', to_t: '2025-03-01 11:00:00' },
    );
    expect(rendered.sql).toBe("SELECT {tenant_id:String}, {n:Int32}, {b:UInt32}, {big:Int64}, {f:Float64}, {from_t:DateTime64(3, 'UTC')}, {to_t:DateTime('UTC')}");
    expect(rendered.params).toEqual({ tenant_id: 't', n: '-5', b: '60', big: '9007199254740993', f: '0.25', from_t: '2025-03-01 10:00:00.5', to_t: '2025-03-01 11:00:00' });
  });

  it('uses the default when the caller leaves a parameter out, and one placeholder for repeated uses', () => {
    expect(render("SELECT {{String(g, 'none')}} = 'model', {{String(g, 'none')}} = 'type'")).toEqual({
      sql: "SELECT {g:String} = 'model', {g:String} = 'type'",
      params: { g: 'none' },
    });
  });

  it('refuses a missing required parameter with a message naming it', () => {
    const attempt = () => render('SELECT 1 WHERE t = {{String(tenant_id, required=True)}}', { other: 'x' });
    expect(attempt).toThrow(PipeParamError);
    expect(attempt).toThrow('[Error] Missing required parameter: tenant_id');
    // A parameter without a default is needed as much as a required one.
    expect(() => render('SELECT {{Int32(limit)}}')).toThrow('[Error] Missing required parameter: limit');
  });

  it.each([
    ['Int32', 'abc'], ['Int32', '2147483648'], ['UInt32', '-1'], ['Int64', '1.5'], ['Float64', 'NaN'], ['Float64', '1e999'],
    ['DateTime64', '2025-03-01T10:00:00Z'], ['DateTime64', '2025-02-30 10:00:00'], ['DateTime', '2025-03-01 10:00:00.5'],
  ])('refuses %s %j, naming the parameter and type', (type, value) => {
    expect(() => render(`SELECT {{${type}(p)}}`, { p: value })).toThrow(new RegExp(`Parameter p must be a valid ${type}`));
  });

  it('keeps a hostile value out of the SQL text: it comes back as data', async () => {
    const hostile = "x' OR 1=1; DROP TABLE events; -- {tenant_id:String} {{String(y)}}";
    const rendered = render('SELECT {{String(v)}} AS v, {{String(w)}} AS w', { v: hostile, w: '\\\'' });
    expect(rendered.sql).not.toContain('DROP');
    const result = await queryBindAsync(rendered.sql, rendered.params, { format: 'JSONEachRow' });
    expect(JSON.parse(result.text())).toEqual({ v: hostile, w: '\\\'' });
  });

  it('refuses template functions and tags it does not implement', () => {
    expect(() => render('SELECT {{columns(cols)}}')).toThrow(/unsupported template expression/);
    expect(() => render('SELECT 1 {% for x in y %}{% end %}')).toThrow(/unsupported template tag/);
    expect(() => render('SELECT 1 {% if defined(x) %}')).toThrow(/has no \{% end %\}/);
  });
});

describe('renderPipe conditionals', () => {
  const sql = "SELECT 1 WHERE a{% if defined(model) %} AND model = {{String(model)}}{% else %} AND model != ''{% end %}{% if not defined(limit) %} -- no limit{% end %}";

  it('keeps the branch whose condition holds and binds only the parameters it uses', () => {
    expect(render(sql, { model: 'gpt-4o' })).toEqual({ sql: 'SELECT 1 WHERE a AND model = {model:String} -- no limit', params: { model: 'gpt-4o' } });
    expect(render(sql, { limit: '3' })).toEqual({ sql: "SELECT 1 WHERE a AND model != ''", params: {} });
  });

  it('nests, and an absent parameter in a dropped branch is not missing', () => {
    const nested = '{% if defined(a) %}A{% if defined(b) %}B{{Int32(b)}}{% else %}notB{% end %}{% end %}';
    expect(render(nested, { a: '1' }).sql).toBe('AnotB');
    expect(render(nested, { a: '1', b: '2' }).sql).toBe('AB{b:Int32}');
    expect(render(nested, { b: '2' }).sql).toBe('');
  });
});

describe('renderPipe node chaining', () => {
  it('makes the nodes the endpoint reads (directly or not) CTEs, in order, and drops the others', () => {
    const rendered = renderPipe(
      {
        nodes: [
          { name: 'scoped', sql: 'SELECT * FROM events WHERE t = {{String(t, required=True)}}' },
          { name: 'unused', sql: 'SELECT {{String(never, required=True)}}' },
          { name: 'calls', sql: "SELECT * FROM scoped WHERE type = 'llm'" },
          { name: 'endpoint', sql: 'SELECT count() FROM calls LIMIT {{UInt32(limit, 10)}}', type: 'endpoint' },
        ],
      },
      { t: 'x' },
    );
    expect(rendered.sql).toBe(
      "WITH scoped AS (\nSELECT * FROM events WHERE t = {t:String}\n),\ncalls AS (\nSELECT * FROM scoped WHERE type = 'llm'\n)\nSELECT count() FROM calls LIMIT {limit:UInt32}",
    );
    expect(rendered.params).toEqual({ t: 'x', limit: '10' });
  });

  it('runs on chDB as one query', async () => {
    const { sql, params } = renderPipe(
      { nodes: [{ name: 'n', sql: 'SELECT number FROM numbers(10) WHERE number >= {{UInt32(min)}}' }, { name: 'endpoint', sql: 'SELECT sum(number) AS s FROM n' }] },
      { min: '7' },
    );
    expect(JSON.parse((await queryBindAsync(sql, params, { format: 'JSONEachRow' })).text())).toEqual({ s: 24 });
  });
});

describe('schemas/tinybird/pipes', () => {
  it('has one endpoint per named query, each refusing to run without its tenant', async () => {
    const pipes = await loadPipes();
    for (const name of QUERY_NAMES) {
      expect(pipes[name]?.nodes.at(-1)?.type, name).toBe('endpoint');
      expect(() => renderPipe(pipes[name], { project_id: 'p' }), name).toThrow('[Error] Missing required parameter: tenant_id');
    }
    expect(pipes.usage_hourly_mv.nodes[0]).toMatchObject({ type: 'materialized', datasource: 'usage_hourly' });
  });

  it('requires project_id everywhere except cost_by_project', async () => {
    const pipes = await loadPipes();
    const params = { tenant_id: 't', trace_id: 'x', date_from: '2025-03-01 00:00:00', date_to: '2025-03-02 00:00:00', bucket_seconds: '60' };
    for (const name of QUERY_NAMES.filter((n) => n !== 'cost_by_project')) {
      expect(() => renderPipe(pipes[name], params), name).toThrow('[Error] Missing required parameter: project_id');
    }
    expect(renderPipe(pipes.cost_by_project, params).params).not.toHaveProperty('project_id');
  });
});
