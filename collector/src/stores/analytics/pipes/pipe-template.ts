/**
 * The subset of Tinybird's pipe templating our pipes use, rendered for ClickHouse server-side
 * parameters: `{{String(tenant_id, required=True)}}` becomes `{tenant_id:String}` and the value goes
 * into the bound parameters, never into the SQL text. `{% if [not] defined(x) %} ... {% else %} ...
 * {% end %}` keeps or drops text. Anything else in `{{ }}` / `{% %}` is a template error, so a pipe
 * that Tinybird would render differently cannot pass silently.
 */

/** A caller's parameter is missing or not of its type (Tinybird answers these with HTTP 400). */
export class PipeParamError extends Error {
  override name = 'PipeParamError';
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message);
  }
}

type Check = (value: string) => boolean;

const integer = (min: bigint, max: bigint): Check => (v) => /^-?\d+$/.test(v) && BigInt(v) >= min && BigInt(v) <= max;
// The value must name a real instant: 2025-02-30 is refused here rather than shifted by the engine.
const time = (fraction: boolean): Check => (v) => {
  if (!(fraction ? /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,3})?$/ : /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/).test(v)) return false;
  const ms = Date.parse(`${v.replace(' ', 'T')}Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 19) === v.slice(0, 19).replace(' ', 'T');
};

/** Template function -> ClickHouse parameter type and value check. Times are UTC, as on Tinybird. */
const TYPES: Record<string, { clickhouse: string; check: Check }> = {
  String: { clickhouse: 'String', check: () => true },
  Int32: { clickhouse: 'Int32', check: integer(-(2n ** 31n), 2n ** 31n - 1n) },
  UInt32: { clickhouse: 'UInt32', check: integer(0n, 2n ** 32n - 1n) },
  Int64: { clickhouse: 'Int64', check: integer(-(2n ** 63n), 2n ** 63n - 1n) },
  Float64: { clickhouse: 'Float64', check: (v) => /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v) && Number.isFinite(Number(v)) },
  DateTime64: { clickhouse: "DateTime64(3, 'UTC')", check: time(true) },
  DateTime: { clickhouse: "DateTime('UTC')", check: time(false) },
};

type Part = string | { expr: string } | { name: string; negate: boolean; then: Part[]; otherwise: Part[] };

const TAG = /\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g;

/** Splits template text into literal text, expressions and (nested) if blocks. */
function parseTemplate(text: string): Part[] {
  const root: Part[] = [];
  const open: { block: Extract<Part, { name: string }>; inElse: boolean }[] = [];
  const target = () => (open.length === 0 ? root : open[open.length - 1].inElse ? open[open.length - 1].block.otherwise : open[open.length - 1].block.then);
  let last = 0;
  for (const m of text.matchAll(TAG)) {
    target().push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] !== undefined) {
      target().push({ expr: m[1].trim() });
      continue;
    }
    const tag = m[2].trim();
    const cond = /^if\s+(not\s+)?defined\(\s*(\w+)\s*\)$/.exec(tag);
    if (cond) {
      const block = { name: cond[2], negate: cond[1] !== undefined, then: [], otherwise: [] };
      target().push(block);
      open.push({ block, inElse: false });
    } else if (tag === 'else' && open.length > 0 && !open[open.length - 1].inElse) open[open.length - 1].inElse = true;
    else if (tag === 'end' && open.length > 0) open.pop();
    else throw new Error(`unsupported template tag {% ${tag} %}`);
  }
  if (open.length > 0) throw new Error(`{% if defined(${open[open.length - 1].block.name}) %} has no {% end %}`);
  target().push(text.slice(last));
  return root;
}

interface ParamCall {
  type: string;
  name: string;
  fallback: string | undefined;
  required: boolean;
}

const ARG = /\s*(?:(\w+)\s*=\s*)?('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[-+\w.]+)\s*(?:,|$)/y;

/** `Type(name[, default][, required=True][, description='...'])`. */
function parseCall(expr: string): ParamCall {
  const m = /^(\w+)\(\s*(\w+)\s*(?:,([\s\S]*))?\)$/.exec(expr);
  if (!m || !(m[1] in TYPES)) throw new Error(`unsupported template expression {{${expr}}}`);
  const call: ParamCall = { type: m[1], name: m[2], fallback: undefined, required: false };
  const rest = m[3] ?? '';
  ARG.lastIndex = 0;
  while (ARG.lastIndex < rest.length) {
    const arg = ARG.exec(rest);
    if (!arg) throw new Error(`cannot read the arguments of {{${expr}}}`);
    const raw = arg[2];
    const value = /^['"]/.test(raw) ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    if (arg[1] === undefined || arg[1] === 'default') call.fallback = value;
    else if (arg[1] === 'required') call.required = raw === 'True';
    else if (arg[1] !== 'description') throw new Error(`unsupported argument ${arg[1]} in {{${expr}}}`);
  }
  return call;
}

/**
 * Renders template text against the caller's params, adding each used parameter to `bound`
 * (shared across a pipe's nodes, so one name has one type and one value).
 */
export function renderTemplate(
  text: string,
  params: Readonly<Record<string, string | undefined>>,
  bound: Map<string, { type: string; value: string }>,
): string {
  const render = (parts: Part[]): string =>
    parts
      .map((part) => {
        if (typeof part === 'string') return part;
        if ('name' in part) return render((params[part.name] !== undefined) !== part.negate ? part.then : part.otherwise);
        return placeholder(parseCall(part.expr));
      })
      .join('');

  const placeholder = ({ type, name, fallback, required }: ParamCall): string => {
    const given = params[name];
    const value = given ?? (required ? undefined : fallback);
    if (value === undefined) throw new PipeParamError(`[Error] Missing required parameter: ${name}`, name);
    if (!TYPES[type].check(value)) {
      throw new PipeParamError(`[Error] Parameter ${name} must be a valid ${type}, got ${JSON.stringify(value.slice(0, 100))}`, name);
    }
    const earlier = bound.get(name);
    if (earlier && (earlier.type !== type || earlier.value !== value)) throw new Error(`parameter ${name} is used with different types or defaults`);
    bound.set(name, { type, value });
    return `{${name}:${TYPES[type].clickhouse}}`;
  };

  return render(parseTemplate(text));
}
