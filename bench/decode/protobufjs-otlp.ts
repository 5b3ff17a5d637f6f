/**
 * The decode bench's baseline: protobufjs static code generated (`pbjs -t static-module -w es6`) from the
 * official opentelemetry-proto v1.x .proto files, decode + toObject.
 *
 * No OpenTelemetry package ships the v1.x .proto files any more (the JS SDK compiles them in; the last
 * `@opentelemetry/otlp-grpc-exporter-base` that shipped them, 0.38, has pre-1.0 files without Span.flags).
 * promptfoo ships the four files a trace decoder needs, unmodified, for its own OTLP receiver; the bench
 * fetches that tarball once with `npm pack` (pinned version) into the git-ignored bench/.cache and
 * generates the code there. Neither the .proto files nor the generated code are committed.
 *
 * As pbjs emits it, protobufjs 8 checks every proto3 string for valid UTF-8 (`reader.stringVerify()`), which
 * the collector's decoder does not (it substitutes U+FFFD); the same code with the check off measured within
 * the run-to-run noise of this one, so the bench keeps the code as generated.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The npm package and version the .proto files come from, and where inside it they are. */
export const PROTO_SOURCE = { package: 'promptfoo', version: '0.121.20', directory: 'package/dist/src/tracing/proto' };

const CACHE = fileURLToPath(new URL('../.cache/', import.meta.url));
const SOURCE_NAME = `${PROTO_SOURCE.package}-${PROTO_SOURCE.version}`;
const PROTO_ROOT = join(CACHE, `opentelemetry-proto-from-${SOURCE_NAME}`);
const SERVICE_PROTO = 'opentelemetry/proto/collector/trace/v1/trace_service.proto';
const GENERATED = join(CACHE, `otlp-trace-protobufjs-${SOURCE_NAME}.js`);

/**
 * toObject options giving the collector decoder's information in comparable types: times as bigint
 * (exact, like the collector's; `Number` would round nanoseconds), ids as strings (base64: protobufjs has
 * no hex), enums as numbers. `defaults` stays off: protobufjs then skips absent fields, which only helps it.
 */
export const TO_OBJECT_OPTIONS = { longs: BigInt, bytes: String, enums: Number };

/** The generated message type: what the bench calls on it. */
interface MessageType {
  decode(bytes: Uint8Array): object;
  toObject(message: object, options: Record<string, unknown>): { resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[] };
}

/** decode + toObject of one ExportTraceServiceRequest, returning the number of spans decoded. */
export async function protobufjsTraceDecoder(): Promise<(bytes: Uint8Array) => number> {
  if (!existsSync(GENERATED)) generate();
  const module = (await import(pathToFileURL(GENERATED).href)) as { opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: MessageType } } } } } };
  const Request = module.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
  return (bytes) => {
    const request = Request.toObject(Request.decode(bytes), TO_OBJECT_OPTIONS);
    let spans = 0;
    for (const resourceSpans of request.resourceSpans ?? []) for (const scopeSpans of resourceSpans.scopeSpans ?? []) spans += scopeSpans.spans?.length ?? 0;
    return spans;
  };
}

function generate(): void {
  mkdirSync(CACHE, { recursive: true });
  if (!existsSync(join(PROTO_ROOT, SERVICE_PROTO))) fetchProtos();
  const pbjs = createRequire(import.meta.url).resolve('protobufjs-cli/bin/pbjs');
  execFileSync(process.execPath, [pbjs, '-t', 'static-module', '-w', 'es6', '--no-comments', '-p', PROTO_ROOT, '-o', GENERATED, join(PROTO_ROOT, SERVICE_PROTO)], { stdio: 'inherit' });
}

function fetchProtos(): void {
  const work = mkdtempSync(join(CACHE, 'npm-pack-'));
  try {
    const spec = `${PROTO_SOURCE.package}@${PROTO_SOURCE.version}`;
    const [packed] = JSON.parse(execFileSync('npm', ['pack', spec, '--json', '--pack-destination', work], { encoding: 'utf8' })) as { filename: string }[];
    execFileSync('tar', ['-xzf', join(work, packed.filename), '-C', work, PROTO_SOURCE.directory]);
    cpSync(join(work, PROTO_SOURCE.directory), PROTO_ROOT, { recursive: true });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
