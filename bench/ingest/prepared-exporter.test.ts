/**
 * The ingest bench's load is only worth its numbers if each export is a valid OTLP request of new spans
 * with the workload's structure: checked by sending two exports of one prepared batch to a local server
 * and decoding what arrived with the collector's decoder.
 */
import http from 'node:http';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { ExportResultCode } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { decodeProtobufTraces } from '../../collector/src/otlp/decode-protobuf.ts';
import { llmTraces } from '../workload/llm-traces.ts';
import { prepareBatch, PreparedBatchExporter } from './prepared-exporter.ts';

const bodies: Buffer[] = [];
const server = http.createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk);
  bodies.push(Buffer.concat(chunks));
  res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
});
afterAll(() => server.close());

describe('prepared batch exporter', () => {
  it('sends the batch under fresh ids each time, keeping every parent link and attribute', async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    const spans = llmTraces({ seed: 5, traces: 12 });
    const exporter = new PreparedBatchExporter(`http://127.0.0.1:${port}/v1/traces`, { authorization: 'Bearer test' });
    const batch = prepareBatch(spans);
    for (let i = 0; i < 2; i++) {
      const result = await new Promise<{ code: number }>((resolve) => exporter.export(batch, resolve));
      expect(result.code).toBe(ExportResultCode.SUCCESS);
    }
    await exporter.shutdown();

    // The serializer groups spans by resource and scope: compare with the original batch as it encodes.
    const originals = decodeProtobufTraces(ProtobufTraceSerializer.serializeRequest(spans)!).spans;
    const [first, second] = bodies.map((body) => decodeProtobufTraces(body));
    for (const sent of [first, second]) {
      expect(sent.rejected).toEqual([]);
      expect(sent.spans.map((s) => s.name)).toEqual(originals.map((s) => s.name));
      // Original id -> sent id, one to one; parents point at the sent copy of the original parent.
      const renamed = new Map(originals.map((s, i) => [s.spanId, sent.spans[i].spanId]));
      expect(new Set(renamed.values()).size).toBe(spans.length);
      originals.forEach((original, i) => {
        expect(sent.spans[i].spanId).not.toBe(original.spanId);
        expect(sent.spans[i].traceId).not.toBe(original.traceId);
        expect(sent.spans[i].parentSpanId).toBe(original.parentSpanId ? renamed.get(original.parentSpanId) : '');
        expect(sent.spans[i].attributes).toEqual(original.attributes);
      });
    }
    const firstIds = new Set(first.spans.map((s) => s.spanId));
    expect(second.spans.some((s) => firstIds.has(s.spanId))).toBe(false);
  });
});
