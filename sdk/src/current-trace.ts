/** The ids of the active span, to link scores or logs to a trace. Undefined outside a recorded span. */
import { isSpanContextValid, trace } from '@opentelemetry/api';

/** The active trace's id (32 hex characters), or undefined. */
export function currentTraceId(): string | undefined {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && isSpanContextValid(ctx) ? ctx.traceId : undefined;
}

/** The active span's id (16 hex characters), or undefined. */
export function currentSpanId(): string | undefined {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && isSpanContextValid(ctx) ? ctx.spanId : undefined;
}
