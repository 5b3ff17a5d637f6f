/**
 * Runs one SDK method call inside an LLM span. The SDK's return value is kept as the kind of
 * object the app expects: an `APIPromise` stays an `APIPromise` (so `.withResponse()`,
 * `.asResponse()` and helpers built on `_thenUnwrap` keep working), and a stream stays a stream of
 * the SDK's own class. Nothing here may break the call: if planning or starting the span fails the
 * call runs untraced, and a failure while recording only loses telemetry.
 */
import type { Attributes, Tracer } from '@opentelemetry/api';
import { GEN_AI } from '../../semconv.ts';
import { guard, LlmCall, type CallSpec } from './llm-call.ts';
import { isStream, observeStream, type StreamObserver } from './observed-stream.ts';

/** Reads a streamed response chunk by chunk. */
export interface StreamRecorder {
  /** Records one chunk; true when it carried model output (text, tool call, reasoning): that times the first chunk. */
  record(chunk: unknown): boolean;
  /** True for chunks that exist only because the instrumentation asked for them; the app never sees those. */
  hide?(chunk: unknown): boolean;
  /** Attributes from everything recorded so far (all of the stream, or what arrived before a cancel or error). */
  attributes(): Attributes;
}

export interface CallPlan {
  spec: CallSpec;
  /** The arguments to call the SDK method with (the app's, unless the plan asked for more, e.g. stream usage). */
  args: unknown[];
  /** Attributes from a complete response body. */
  response(data: unknown): Attributes;
  stream?(): StreamRecorder;
}

interface ApiPromiseLike {
  _thenUnwrap(transform: (data: unknown) => unknown): unknown;
  asResponse(): Promise<unknown>;
}

export function tracedCall(tracer: () => Tracer, client: object, args: unknown[], plan: (args: unknown[]) => CallPlan, invoke: (args: unknown[]) => unknown): unknown {
  let call: LlmCall;
  let planned: CallPlan;
  try {
    planned = plan(args);
    call = new LlmCall(tracer(), planned.spec);
  } catch {
    return invoke(args);
  }
  let result: unknown;
  let invoked = false;
  try {
    result = call.run(() => {
      invoked = true;
      return invoke(planned.args);
    });
  } catch (error) {
    if (!invoked) {
      // The context machinery failed before the SDK ran: run the call untraced.
      guard(() => call.succeed({}));
      return invoke(args);
    }
    call.fail(error); // thrown synchronously by the SDK (e.g. a rejected parameter): rethrown unchanged
    throw error;
  }
  try {
    return observeResult(result, call, planned, client);
  } catch {
    guard(() => call.succeed({}));
    return result;
  }
}

function observeResult(result: unknown, call: LlmCall, plan: CallPlan, client: object): unknown {
  let claimed = false;
  const settle = (data: unknown, canReplace: boolean): unknown => {
    if (claimed) return data;
    claimed = true;
    try {
      if (isStream(data)) {
        const recorder = plan.stream?.();
        const observed = recorder && canReplace ? observeStream(data, client, streamObserver(call, recorder)) : undefined;
        if (observed) return observed;
        call.succeed({});
        return data;
      }
      call.succeed(plan.response(data));
    } catch {
      guard(() => call.succeed({}));
    }
    return data;
  };

  if (isApiPromise(result)) {
    // Failures before a response body (HTTP errors, network, abort) reject the response promise.
    // asResponse() watches it without parsing the body, which stays the app's to consume.
    result.asResponse().then(undefined, (error: unknown) => call.fail(error));
    // The transform runs when the app reads the result (await, withResponse(), a helper): the
    // span ends then, and a streamed body is swapped for the observed stream.
    return result._thenUnwrap((data) => settle(data, true));
  }
  if (isThenable(result)) {
    // Not an SDK APIPromise (another SDK generation or a test double): observe it, change nothing.
    result.then((data) => settle(data, false), (error: unknown) => call.fail(error));
    return result;
  }
  settle(result, false);
  return result;
}

function streamObserver(call: LlmCall, recorder: StreamRecorder): StreamObserver {
  let chunks = 0;
  let waitingForFirst = true;
  const recorded = (): Attributes => {
    try {
      return recorder.attributes();
    } catch {
      return {};
    }
  };
  return {
    chunk(value) {
      let keep = true;
      guard(() => {
        keep = !(recorder.hide?.(value) ?? false);
        if (keep) chunks++;
        if (recorder.record(value) && waitingForFirst) {
          waitingForFirst = false;
          call.span.setAttribute(GEN_AI.RESPONSE_TIME_TO_FIRST_CHUNK, call.secondsSinceStart());
        }
      });
      return keep;
    },
    completed: () => call.succeed(recorded()),
    cancelled: () => call.cancel(recorded(), chunks),
    failed: (error) => call.fail(error, recorded()),
  };
}

function isApiPromise(value: unknown): value is ApiPromiseLike {
  const candidate = value as Partial<ApiPromiseLike> | null;
  return typeof candidate?._thenUnwrap === 'function' && typeof candidate.asResponse === 'function';
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
