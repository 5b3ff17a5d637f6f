/** Hand-built OTLP/JSON trace requests for receiver tests (the e2e tests use the real exporters). */
import { randomBytes } from 'node:crypto';

export const randomTraceId = () => randomBytes(16).toString('hex');
export const randomSpanId = () => randomBytes(8).toString('hex');

export interface JsonSpanInput {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  startMs?: number;
  durationMs?: number;
  attributes?: Record<string, string | number | boolean>;
  statusCode?: number;
}

function anyValue(value: string | number | boolean) {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

export function jsonSpan(input: JsonSpanInput = {}) {
  const startMs = input.startMs ?? Date.now();
  const start = BigInt(startMs) * 1_000_000n;
  return {
    traceId: input.traceId ?? randomTraceId(),
    spanId: input.spanId ?? randomSpanId(),
    ...(input.parentSpanId ? { parentSpanId: input.parentSpanId } : {}),
    name: input.name ?? 'span',
    kind: 1,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + BigInt(input.durationMs ?? 10) * 1_000_000n).toString(),
    attributes: Object.entries(input.attributes ?? {}).map(([key, value]) => ({ key, value: anyValue(value) })),
    status: { code: input.statusCode ?? 0 },
  };
}

export function otlpJson(spans: object[], serviceName = 'test-service') {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }] },
        scopeSpans: [{ scope: { name: 'test' }, spans }],
      },
    ],
  };
}
