/**
 * One traced model call: a CLIENT span named `{operation} {model}`, ended exactly once, whichever
 * of response, stream end, stream cancel or error comes first.
 */
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { GEN_AI } from '../../semconv.ts';
import { compact, ERROR_TYPE, HTTP_RESPONSE_STATUS_CODE, STREAM_CANCELLED_EVENT, STREAM_CHUNKS } from './attributes.ts';
import { isObject, num } from './json.ts';

export interface CallSpec {
  operation: string;
  model: string | undefined;
  attributes: Attributes;
}

export class LlmCall {
  readonly span: Span;
  readonly context: Context;
  // Measured after the span starts, so a time to first chunk never exceeds the span's duration.
  private readonly startedAt: number;
  private ended = false;

  constructor(tracer: Tracer, spec: CallSpec) {
    const name = spec.model ? `${spec.operation} ${spec.model}` : spec.operation;
    const attributes = { [GEN_AI.OPERATION_NAME]: spec.operation, ...spec.attributes };
    this.span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, context.active());
    this.context = trace.setSpan(context.active(), this.span);
    this.startedAt = performance.now();
  }

  /** Runs the SDK call with this span active, so HTTP instrumentation nests its spans below it. */
  run<T>(fn: () => T): T {
    return context.with(this.context, fn);
  }

  secondsSinceStart(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  succeed(attributes: Attributes): void {
    if (this.begin()) this.finish(attributes);
  }

  /** The app stopped reading a stream early: what it received is recorded, the span is not an error. */
  cancel(attributes: Attributes, chunks: number): void {
    if (!this.begin()) return;
    guard(() => this.span.addEvent(STREAM_CANCELLED_EVENT, { [STREAM_CHUNKS]: chunks }));
    this.finish(attributes);
  }

  fail(error: unknown, attributes: Attributes = {}): void {
    if (!this.begin()) return;
    guard(() => {
      const type = errorType(error);
      const message = error instanceof Error ? error.message : String(error);
      const status = isObject(error) ? num(error.status) : undefined;
      this.span.setAttribute(ERROR_TYPE, type);
      if (status !== undefined) this.span.setAttribute(HTTP_RESPONSE_STATUS_CODE, status);
      // Written out rather than recordException(): that takes `error.name`, which is plain
      // "Error" for the SDKs' error classes; the class name is what tells them apart.
      const stack = error instanceof Error ? error.stack : undefined;
      this.span.addEvent('exception', compact({ 'exception.type': type, 'exception.message': message, 'exception.stacktrace': stack }));
      this.span.setStatus({ code: SpanStatusCode.ERROR, message });
    });
    this.finish(attributes);
  }

  private begin(): boolean {
    if (this.ended) return false;
    this.ended = true;
    return true;
  }

  private finish(attributes: Attributes): void {
    guard(() => this.span.setAttributes(attributes));
    guard(() => this.span.end());
  }
}

/** The SDK's error class (`BadRequestError`, `APIConnectionError`, ...), as OTel's GenAI instrumentations do. */
export function errorType(error: unknown): string {
  if (!(error instanceof Error)) return '_OTHER';
  const ctor = (error.constructor as { name?: unknown } | undefined)?.name;
  if (typeof ctor === 'string' && ctor !== '' && ctor !== 'Error') return ctor;
  return error.name || 'Error';
}

/** Runs instrumentation code whose failure must never reach the app. */
export function guard(step: () => void): void {
  try {
    step();
  } catch {
    // Telemetry is best effort: a failing step records less, the call goes on.
  }
}
