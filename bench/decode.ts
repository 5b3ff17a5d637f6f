/**
 * OTLP protobuf decode: spans per second of the collector's decoder (wire bytes -> internal span model,
 * with per-span validation) against protobufjs static code from the official .proto files (decode +
 * toObject, see decode/protobufjs-otlp.ts) on the same bytes: the LLM workload in export requests of 512
 * spans, as BatchSpanProcessor sends them, handed over as Node Buffers like an HTTP body.
 *
 * The decoders take turns, round after round, each round in another order, so machine noise hits both.
 * Each turn starts on a freshly collected heap and decodes a few requests untimed first, so that neither
 * pays for collecting the other's garbage and each is timed with the young generation sized for its own
 * allocation (without this the figures swung 2-4x between runs: protobufjs builds two object trees per
 * request). A figure is the median round. Time is this process's CPU time (all its threads, so GC helpers
 * count): on a 2-core machine shared with other work, wall time mostly measures the neighbours.
 *
 * Standalone: npx tsx bench/decode.ts
 */
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { decodeProtobufTraces } from '../collector/src/otlp/decode-protobuf.ts';
import { protobufjsTraceDecoder } from './decode/protobufjs-otlp.ts';
import { median, printTable, type Figure } from './table.ts';
import { encodeOtlpProtobuf, llmTraces } from './workload/llm-traces.ts';

const TRACES = Number(process.env.BENCH_DECODE_TRACES ?? 2000);
const ROUNDS = Number(process.env.BENCH_DECODE_ROUNDS ?? 9);
const BATCH_SPANS = 512;
/** Requests each decoder decodes untimed at the start of its turn. */
const SETTLING_REQUESTS = 3;

/** Decodes one request and returns how many spans it found. */
type Decoder = (bytes: Uint8Array) => number;

/** The workload as export requests; the spans themselves are not kept (a big heap would slow GC for all). */
function exportRequests(): { requests: Buffer[]; spans: number } {
  const spans = llmTraces({ seed: 9, traces: TRACES });
  const requests: Buffer[] = [];
  for (let i = 0; i < spans.length; i += BATCH_SPANS) {
    const bytes = encodeOtlpProtobuf(spans.slice(i, i + BATCH_SPANS));
    requests.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  return { requests, spans: spans.length };
}

/** A full garbage collection, without starting node with --expose-gc. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** CPU seconds to decode every request once; throws if a decoder does not return every span. */
function decodeAll(decode: Decoder, requests: Buffer[], spans: number): number {
  collectGarbage();
  for (let i = 0; i < SETTLING_REQUESTS; i++) decode(requests[i]);
  const started = process.cpuUsage();
  let decoded = 0;
  for (const request of requests) decoded += decode(request);
  const used = process.cpuUsage(started);
  if (decoded !== spans) throw new Error(`decoded ${decoded} spans, expected ${spans}`);
  return (used.user + used.system) / 1e6;
}

export async function otlpDecode(): Promise<Figure[]> {
  const { requests, spans } = exportRequests();
  const megabytes = requests.reduce((sum, r) => sum + r.byteLength, 0) / 1e6;
  const decoders: Record<'collector' | 'protobufjs', Decoder> = {
    collector: (bytes) => decodeProtobufTraces(bytes).spans.length,
    protobufjs: await protobufjsTraceDecoder(),
  };
  const names = Object.keys(decoders) as (keyof typeof decoders)[];
  const seconds = { collector: [] as number[], protobufjs: [] as number[] };
  for (const name of names) decodeAll(decoders[name], requests, spans); // warm-up: all JIT-compiled before timing
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length];
      seconds[name].push(decodeAll(decoders[name], requests, spans));
    }
  }

  const spansPerSecond = (name: keyof typeof seconds) => spans / median(seconds[name]);
  const workload = `${spans} LLM spans, ${requests.length} requests of ${BATCH_SPANS}, ${megabytes.toFixed(1)} MB`;
  const baselineName = 'protobufjs static code, decode + toObject';
  return [
    { name: `OTLP protobuf decode (${workload})`, unit: 'spans/s', value: spansPerSecond('collector'), baselineName, baseline: spansPerSecond('protobufjs'), higherIsBetter: true },
    { name: 'OTLP protobuf decode, bytes', unit: 'MB/s', value: (spansPerSecond('collector') * megabytes) / spans, baselineName, baseline: (spansPerSecond('protobufjs') * megabytes) / spans, higherIsBetter: true },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) printTable(await otlpDecode());
