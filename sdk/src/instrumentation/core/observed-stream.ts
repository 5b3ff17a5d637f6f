/**
 * Watching a provider SDK stream without changing what the app gets. The app receives a new
 * stream of the same class, built with the SDK's own constructor around an iterator that reports
 * each chunk as it passes (nothing is buffered). Building a new instance rather than a Proxy keeps
 * `tee()`, `toReadableStream()`, `controller` and `instanceof` working: those read private class
 * fields, which a Proxy cannot reach. The original stream object is left untouched.
 */
export interface StreamObserver {
  /** One chunk from the provider; false keeps it from the app. Must not throw. */
  chunk(value: unknown): boolean;
  completed(): void;
  /** The app stopped early: `break`, `return()`, or an abort of the stream's controller. */
  cancelled(): void;
  failed(error: unknown): void;
}

type StreamCtor = new (iterator: () => AsyncIterator<unknown>, controller: unknown, client: unknown) => object;
type StreamLike = { controller?: unknown; [Symbol.asyncIterator](): AsyncIterator<unknown> };

export function isStream(value: unknown): value is StreamLike {
  return typeof value === 'object' && value !== null && 'controller' in value && typeof (value as Partial<StreamLike>)[Symbol.asyncIterator] === 'function';
}

/**
 * The observed copy of `stream` (`client` is the SDK client, which the SDK's Stream keeps for
 * `tee()`), or undefined when this SDK's Stream cannot be rebuilt that way.
 */
export function observeStream<S extends StreamLike>(stream: S, client: unknown, observer: StreamObserver): S | undefined {
  const signal = abortSignalOf(stream.controller);
  let started = false;
  const abortedBeforeReading = () => {
    if (!started) observer.cancelled();
  };
  // Only the first read is observed; a second one fails inside the SDK ("consumed stream") as it would unwrapped.
  const iterator = (): AsyncIterator<unknown> => {
    // Read through the original's async iterator: an SDK's own tracing may have hooked it there.
    const source = stream[Symbol.asyncIterator]();
    if (started) return source;
    started = true;
    signal?.removeEventListener('abort', abortedBeforeReading);
    return observe(source, observer, signal);
  };
  const copy = new (stream.constructor as StreamCtor)(iterator, stream.controller, client) as S & { iterator?: unknown };
  if (copy.iterator !== iterator || copy.controller !== stream.controller) return undefined;
  for (const key of Object.keys(stream)) {
    if (!(key in copy)) (copy as Record<string, unknown>)[key] = (stream as unknown as Record<string, unknown>)[key];
  }
  signal?.addEventListener('abort', abortedBeforeReading, { once: true });
  return copy;
}

async function* observe(source: AsyncIterator<unknown>, observer: StreamObserver, signal: AbortSignal | undefined): AsyncGenerator<unknown, void, undefined> {
  let state: 'reading' | 'done' | 'failed' = 'reading';
  try {
    for (;;) {
      let result: IteratorResult<unknown>;
      try {
        result = await source.next();
      } catch (error) {
        state = 'failed';
        observer.failed(error);
        throw error;
      }
      if (result.done) {
        state = 'done';
        return;
      }
      if (observer.chunk(result.value)) yield result.value;
    }
  } finally {
    if (state === 'reading') {
      // The app left early: pass that on, so the SDK aborts the request as it would unwrapped.
      try {
        await source.return?.();
      } finally {
        observer.cancelled();
      }
    } else if (state === 'done') {
      // The SDKs end a stream quietly when the app aborts its controller: that is a cancel, not an end.
      if (signal?.aborted) observer.cancelled();
      else observer.completed();
    }
  }
}

function abortSignalOf(controller: unknown): AbortSignal | undefined {
  const signal = (controller as { signal?: unknown } | undefined)?.signal;
  return signal instanceof AbortSignal ? signal : undefined;
}
