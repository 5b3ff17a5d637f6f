// An OTLP/HTTP trace sink in its own process: reads each export (JSON or protobuf), counts its
// spans and answers 200 {} so exporters succeed, without its CPU counting against the process being
// measured. GET /stats answers what it received so far, so a bench can check that an SDK really
// exported its spans (and their prompts) rather than compare against something that sends nothing.
// Prints its port.
import http from 'node:http';

/** Received so far. `marked` counts occurrences of the MARKERS, which the SDK benches put in prompts and answers. */
const stats = { requests: 0, spans: 0, bytes: 0, marked: {} };
const MARKERS = ['bench-prompt-', 'bench-answer-'];

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(stats));
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    stats.requests++;
    stats.bytes += body.length;
    stats.spans += String(req.headers['content-type']).includes('json') ? jsonSpanCount(body) : protobufSpanCount(body);
    for (const marker of MARKERS) stats.marked[marker] = (stats.marked[marker] ?? 0) + occurrences(body, marker);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));

function jsonSpanCount(body) {
  let count = 0;
  for (const resource of JSON.parse(body.toString('utf8')).resourceSpans ?? []) {
    for (const scope of resource.scopeSpans ?? []) count += scope.spans?.length ?? 0;
  }
  return count;
}

/** ExportTraceServiceRequest: resource_spans = 1; ResourceSpans: scope_spans = 2; ScopeSpans: spans = 2. */
function protobufSpanCount(body) {
  let count = 0;
  for (const [, resource] of fields(body, 1)) {
    for (const [, scope] of fields(resource, 2)) count += fields(scope, 2).length;
  }
  return count;
}

/** The length-delimited fields numbered `wanted` in one protobuf message, as [field, bytes]. */
function fields(message, wanted) {
  const found = [];
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = message[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < message.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) varint();
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const length = varint();
      if (field === wanted) found.push([field, message.subarray(at, at + length)]);
      at += length;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  return found;
}

function occurrences(body, marker) {
  let count = 0;
  for (let at = body.indexOf(marker); at !== -1; at = body.indexOf(marker, at + marker.length)) count++;
  return count;
}
