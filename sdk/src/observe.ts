/**
 * observe(): wraps a function so every call runs in a new active span. Works for sync functions,
 * async functions (the span ends when the promise settles; the caller still gets the very same
 * promise object) and async generator functions (the span ends when the generator finishes). Errors
 * are recorded (exception event, ERROR status) and rethrown unchanged. Without init() the span is a
 * no-op and the function simply runs.
 */
import { context, type Attributes } from '@opentelemetry/api';
import { observaTracer } from './active-sdk.ts';
import { toPayloadText } from './safe-json.ts';
import { OBSERVA } from './semconv.ts';
import { recordError, recordOutput } from './span-outcome.ts';
import { isAsyncGenerator, traceAsyncGenerator } from './traced-async-generator.ts';
import type { ObserveOptions } from './types.ts';

/**
 * Returns `fn` traced as a span called `name`. The arguments are recorded as `observa.input` (one
 * argument as itself, several as an array) and the result as `observa.output`, unless switched off.
 */
export function observe<Args extends unknown[], Result>(name: string, fn: (...args: Args) => Result, options: ObserveOptions = {}): (...args: Args) => Result {
  const { type, captureInput = true, captureOutput = true } = options;
  return function observed(this: unknown, ...args: Args): Result {
    const attributes: Attributes = {};
    if (type) attributes[OBSERVA.SPAN_TYPE] = type;
    if (captureInput && args.length > 0) {
      const input = toPayloadText(args.length === 1 ? args[0] : args);
      if (input !== undefined) attributes[OBSERVA.INPUT] = input;
    }
    return observaTracer().startActiveSpan(name, { attributes }, (span) => {
      let result: Result;
      try {
        result = fn.apply(this, args);
      } catch (error) {
        recordError(span, error);
        span.end();
        throw error;
      }
      if (isAsyncGenerator(result)) return traceAsyncGenerator(result, span, context.active(), captureOutput) as Result;
      if (isPromiseLike(result)) {
        // Observe the promise without replacing it: its rejection stays the caller's to handle.
        result.then(
          (value) => {
            if (captureOutput) recordOutput(span, value);
            span.end();
          },
          (error: unknown) => {
            recordError(span, error);
            span.end();
          },
        );
        return result;
      }
      if (captureOutput) recordOutput(span, result);
      span.end();
      return result;
    });
  };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}
