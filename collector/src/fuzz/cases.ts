/**
 * The fuzz cases: case `index` of a run seeded with `seed` is always the same request (generated spans
 * take the current time, so that they pass the time window), so a failure replays from those two numbers. The first cases of every run walk each kind once (the heavy ones
 * included), later ones pick kinds at random by weight.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ProtoWriter } from '../otlp/protobuf-writer.ts';
import { HOSTILE_VALUES, mutateBytes, mutateJson } from './mutators.ts';
import { encodeTraceRequest } from './otlp-protobuf-encoder.ts';
import { Prng } from './prng.ts';

export const TRACES = '/v1/traces';
export const EVENTS = '/api/v1/events/ingest';

export interface FuzzCase {
  kind: string;
  path: typeof TRACES | typeof EVENTS;
  contentType: string;
  contentEncoding?: string;
  body: Uint8Array;
  /** What was done to the request, printed with a failure. */
  note: string;
}

/** The body limit the fuzzed collector runs with: the huge cases sit inside it, the gzip bomb expands past it. */
export const FUZZ_BODY_LIMIT = 32 * 1024 * 1024;
/** The collector's environment for a fuzz run: that body limit, and no rate limit (a long run sends 100k requests). */
export const FUZZ_ENV = { OBSERVA_MAX_BODY_BYTES: String(FUZZ_BODY_LIMIT), OBSERVA_RATE_LIMIT_INGEST_TENANT: '0', OBSERVA_RATE_LIMIT_INGEST_IP: '0' };

const RECORDED = new URL('../mapping/recorded/', import.meta.url);
const fixtures: object[] = readdirSync(RECORDED)
  .filter((name) => name.endsWith('.json') && !name.endsWith('.meta.json'))
  .flatMap((name) => JSON.parse(readFileSync(new URL(name, RECORDED), 'utf8')) as object[]);

const text = (value: string | object) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const nowNanos = () => BigInt(Date.now()) * 1_000_000n;

const json = (kind: string, body: object | string, note: string): FuzzCase => ({ kind, path: TRACES, contentType: 'application/json', body: text(body), note });
const proto = (kind: string, body: Uint8Array, note: string): FuzzCase => ({ kind, path: TRACES, contentType: 'application/x-protobuf', body, note });
const events = (kind: string, body: object | string, ndjson: boolean, note: string): FuzzCase => ({
  kind, path: EVENTS, contentType: ndjson ? 'application/x-ndjson' : 'application/json', body: text(body), note,
});

/** A small valid OTLP/JSON request around `span` fields. */
function oneSpan(rng: Prng, span: Record<string, unknown> = {}, attributes: unknown[] = []) {
  const start = nowNanos();
  return {
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'fuzz' } }] },
      scopeSpans: [{ scope: { name: 'fuzz' }, spans: [{
        traceId: rng.hex(16), spanId: rng.hex(8), name: 'chat', kind: 3,
        startTimeUnixNano: String(start), endTimeUnixNano: String(start + 1_000_000n), attributes, ...span,
      }] }],
    }],
  };
}

function canonicalEvent(rng: Prng, over: Record<string, unknown> = {}) {
  return {
    trace_id: rng.hex(16), span_id: rng.hex(8), name: 'chat gpt-4o', type: 'llm', model: 'gpt-4o', provider: 'openai',
    start_time: new Date().toISOString(), input_tokens: rng.int(1000), output_tokens: rng.int(1000),
    input: [{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }], attributes: { k: 'v' }, ...over,
  };
}

/** An AnyValue arrays (or kvlists) nested `depth` deep, as JSON text (built as text: no recursion). */
function deepJsonValue(depth: number, kvlist: boolean): string {
  const open = kvlist ? '{"kvlistValue":{"values":[{"key":"k","value":' : '{"arrayValue":{"values":[';
  const close = kvlist ? '}]}}' : ']}}';
  return `${open.repeat(depth)}{"stringValue":"bottom"}${close.repeat(depth)}`;
}

/** The same nesting as protobuf bytes: lengths computed inside-out, bytes written outside-in. */
function deepProtoValue(depth: number): Uint8Array {
  const leaf = new ProtoWriter().bytesField(1, 'bottom').finish();
  const varintSize = (n: number) => (n < 128 ? 1 : n < 16384 ? 2 : n < 2097152 ? 3 : 4);
  const lengths: number[] = [leaf.length]; // lengths[k]: size of the AnyValue at depth k from the bottom
  for (let k = 1; k <= depth; k++) {
    const element = 1 + varintSize(lengths[k - 1]) + lengths[k - 1]; // ArrayValue.values (field 1)
    lengths.push(1 + varintSize(element) + element); // AnyValue.array_value (field 5)
  }
  const w = new ProtoWriter();
  for (let k = depth; k >= 1; k--) w.tag(5, 2).varint(1 + varintSize(lengths[k - 1]) + lengths[k - 1]).tag(1, 2).varint(lengths[k - 1]);
  return w.raw(leaf).finish();
}

/** A request with one span whose attribute `key` holds the given encoded AnyValue bytes. */
function protoWithValue(rng: Prng, value: Uint8Array, attributeCount = 1): Uint8Array {
  const base = new ProtoWriter();
  const span = new ProtoWriter().bytesField(1, Buffer.from(rng.hex(16), 'hex')).bytesField(2, Buffer.from(rng.hex(8), 'hex')).bytesField(5, 'fuzz');
  span.fixed64Field(7, nowNanos()).fixed64Field(8, nowNanos());
  for (let i = 0; i < attributeCount; i++) span.bytesField(9, new ProtoWriter().bytesField(1, `k${i}`).bytesField(2, value).finish());
  return base.messageField(1, (r) => r.messageField(2, (s) => s.bytesField(2, span.finish()))).finish();
}

let gzipBomb: Buffer | undefined;

/** Sizes of the heaviest cases: the CI share scales them down to stay within its time budget. */
export interface FuzzScale {
  manyAttributes: number;
}
export const FULL_SCALE: FuzzScale = { manyAttributes: 1_000_000 };

type Generator = (rng: Prng, scale: FuzzScale) => FuzzCase;

/** [weight, generator]: the heavy kinds are rare after the first walk through every kind. */
const GENERATORS: [number, Generator][] = [
  [20, (rng) => {
    const request = clone(rng.pick(fixtures));
    return json('json-mutated', request, mutateJson(rng, request));
  }],
  [20, (rng) => {
    const request = clone(rng.pick(fixtures));
    const note = rng.chance(0.5) ? mutateJson(rng, request) : 'unmutated';
    const mutated = mutateBytes(rng, encodeTraceRequest(request));
    return proto('protobuf-mutated', mutated.bytes, `${note}; ${mutated.how}`);
  }],
  [8, (rng) => {
    const mutated = mutateBytes(rng, text(rng.pick(fixtures)));
    return json('json-bytes-mutated', Buffer.from(mutated.bytes).toString('latin1'), mutated.how);
  }],
  [5, (rng) => {
    const bytes = rng.bytes(rng.int(4096));
    const path = rng.pick([TRACES, EVENTS] as const);
    return { kind: 'random-bytes', path, contentType: rng.pick(['application/json', 'application/x-protobuf', 'application/x-ndjson'].filter((t) => path === EVENTS ? t !== 'application/x-protobuf' : t !== 'application/x-ndjson')), body: bytes, note: `${bytes.length} random bytes` };
  }],
  [8, (rng) => {
    // ids of every wrong length and content, timestamps at the int64/uint64 edges
    const field = rng.pick(['traceId', 'spanId', 'parentSpanId', 'startTimeUnixNano', 'endTimeUnixNano']);
    const value = rng.pick([...HOSTILE_VALUES, '1', '-1', String(2n ** 64n - 1n), String(-(2n ** 63n)), rng.hex(rng.int(20)), 'ZZ'.repeat(16)]);
    const request = oneSpan(rng, { [field]: value });
    return rng.chance(0.5) ? json('edge-ids-times', request, `${field} = ${JSON.stringify(value)}`) : proto('edge-ids-times', encodeTraceRequest(request), `protobuf ${field} = ${JSON.stringify(value)}`);
  }],
  [8, (rng) => {
    // token counts and costs out of range, NaN/Infinity spelled as strings
    const key = rng.pick(['gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'llm.token_count.prompt', 'gen_ai.usage.cost', 'langfuse.observation.cost_details']);
    const value = rng.pick([{ stringValue: 'NaN' }, { stringValue: 'Infinity' }, { stringValue: '-5' }, { stringValue: '9223372036854775808' }, { intValue: '-9223372036854775808' }, { intValue: '9223372036854775807' }, { doubleValue: 1e308 }, { doubleValue: -1 }, { stringValue: '{"total": 1e400}' }]);
    const attributes = [{ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } }, { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } }, { key, value }];
    return json('edge-tokens-costs', oneSpan(rng, {}, attributes), `${key} = ${JSON.stringify(value)}`);
  }],
  [4, (rng) => {
    // NUL and invalid UTF-8 in names, attributes, messages
    const where = rng.pick(['name', 'attribute', 'message', 'key', 'status']);
    const bad = rng.pick(['a\u0000b', '\u0000', '\ud800x', 'x\udfff']);
    const attributes = where === 'attribute' ? [{ key: 'x', value: { stringValue: bad } }]
      : where === 'key' ? [{ key: bad, value: { stringValue: 'x' } }]
      : where === 'message' ? [{ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } }, { key: 'gen_ai.input.messages', value: { stringValue: JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: bad }] }]) } }]
      : [];
    const request = oneSpan(rng, { ...(where === 'name' ? { name: bad } : {}), ...(where === 'status' ? { status: { code: 2, message: bad } } : {}) }, attributes);
    return rng.chance(0.5) ? json('nul-invalid-utf8', request, `${JSON.stringify(bad)} in ${where}`) : proto('nul-invalid-utf8', encodeTraceRequest(request), `protobuf ${JSON.stringify(bad)} in ${where}`);
  }],
  [3, (rng) => {
    // raw invalid UTF-8 bytes inside a protobuf string field
    const bad = rng.pick([[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]);
    return proto('invalid-utf8-bytes', protoWithValue(rng, new ProtoWriter().bytesField(1, Buffer.from([0x61, ...bad, 0x62])).finish()), `bytes ${bad.map((b) => b.toString(16)).join(' ')} in a string value`);
  }],
  [1, (rng) => {
    const kvlist = rng.chance(0.5);
    const body = JSON.stringify(oneSpan(rng)).replace('"attributes":[]', `"attributes":[{"key":"deep","value":${deepJsonValue(10_000, kvlist)}}]`);
    return json('deep-json', body, `${kvlist ? 'kvlist' : 'array'} nested 10000 deep`);
  }],
  [1, (rng) => proto('deep-protobuf', protoWithValue(rng, deepProtoValue(10_000)), 'arrayValue nested 10000 deep')],
  [1, (rng) => {
    // One run of a letter (no word breaks: the worst case for BPE token counting), or prose.
    const value = rng.chance(0.5) ? 'x'.repeat(10 * 1024 * 1024) : 'the quick brown fox '.repeat(512 * 1024);
    const request = oneSpan(rng, {}, [{ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } }, { key: 'gen_ai.prompt', value: { stringValue: value } }]);
    return rng.chance(0.5) ? json('huge-attribute', request, '10 MB string attribute') : proto('huge-attribute', encodeTraceRequest(request), 'protobuf 10 MB string attribute');
  }],
  [1, (rng, scale) => proto('many-attributes', protoWithValue(rng, new ProtoWriter().bytesField(1, 'v').finish(), scale.manyAttributes), `${scale.manyAttributes} tiny attributes in one span`)],
  [1, () => {
    gzipBomb ??= gzipSync(Buffer.alloc(FUZZ_BODY_LIMIT * 2));
    return { ...json('gzip-bomb', '', ''), contentEncoding: 'gzip', body: gzipBomb, note: `${gzipBomb.length} gzip bytes expanding to ${FUZZ_BODY_LIMIT * 2}` };
  }],
  [8, (rng) => {
    const list = [canonicalEvent(rng), canonicalEvent(rng)];
    const note = mutateJson(rng, list);
    return events('events-mutated', list, false, note);
  }],
  [6, (rng) => {
    const lines = Array.from({ length: 1 + rng.int(5) }, () => {
      const event = canonicalEvent(rng);
      if (rng.chance(0.3)) return Buffer.from(mutateBytes(rng, text(event)).bytes).toString('latin1').replaceAll('\n', ' ');
      if (rng.chance(0.5)) mutateJson(rng, event);
      return JSON.stringify(event);
    });
    return events('events-ndjson', lines.join('\n'), true, `${lines.length} lines`);
  }],
  [4, (rng) => {
    const field = rng.pick(['input_tokens', 'output_tokens', 'cost_usd', 'start_time', 'end_time', 'name', 'trace_id', 'attributes', 'duration_ms']);
    const value = rng.pick([...HOSTILE_VALUES, 2 ** 53, 1e21, '9999-12-31T23:59:59Z', '0001-01-01T00:00:00Z', '1970-01-01T00:00:00Z', { nested: '\u0000' }]);
    return events('events-edge-values', [canonicalEvent(rng, { [field]: value })], false, `${field} = ${JSON.stringify(value)}`);
  }],
  [1, (rng) => {
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    return events('events-deep', JSON.stringify([canonicalEvent(rng)]).replace('{"k":"v"}', deep), false, 'attributes nested 10000 deep');
  }],
];

const TOTAL_WEIGHT = GENERATORS.reduce((sum, [weight]) => sum + weight, 0);

export function fuzzCase(seed: number, index: number, scale = FULL_SCALE): FuzzCase {
  const rng = Prng.forCase(seed, index);
  if (index < GENERATORS.length) return GENERATORS[index][1](rng, scale);
  let roll = rng.int(TOTAL_WEIGHT);
  for (const [weight, generate] of GENERATORS) {
    if (roll < weight) return generate(rng, scale);
    roll -= weight;
  }
  throw new Error('unreachable');
}
