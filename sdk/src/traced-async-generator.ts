/**
 * Keeps an observed async generator inside its span: every step runs in the span's context (so spans
 * created by the generator body are its children), yielded values are collected as the output up to
 * the size limit, and the span ends when the generator finishes, throws, or is closed by the consumer
 * (`break` in for-await calls return()). A consumer that abandons the generator without closing it
 * leaves the span open, as with any unfinished work.
 */
import { context, type Context, type Span } from '@opentelemetry/api';
import { DEFAULT_MAX_ATTRIBUTE_LENGTH } from './config.ts';
import { toPayloadText } from './safe-json.ts';
import { OBSERVA } from './semconv.ts';
import { recordError } from './span-outcome.ts';

/** True for the objects async generator functions return (not any async iterable: streams keep their own API). */
export function isAsyncGenerator(value: unknown): value is AsyncGenerator {
  return Object.prototype.toString.call(value) === '[object AsyncGenerator]';
}

/** `inner`, traced by `span` (which this ends) in `ctx`. */
export function traceAsyncGenerator<T, R, N>(inner: AsyncGenerator<T, R, N>, span: Span, ctx: Context, captureOutput: boolean): AsyncGenerator<T, R, N> {
  const output = new YieldedOutput();
  let ended = false;
  const end = (error?: { thrown: unknown }) => {
    if (ended) return;
    ended = true;
    if (captureOutput) output.record(span);
    if (error) recordError(span, error.thrown);
    span.end();
  };
  const step = async (call: () => Promise<IteratorResult<T, R>>): Promise<IteratorResult<T, R>> => {
    try {
      const result = await context.with(ctx, call);
      if (result.done) end();
      else if (captureOutput) output.add(result.value);
      return result;
    } catch (thrown) {
      end({ thrown });
      throw thrown;
    }
  };
  // Same prototype as the original, so it still is an AsyncGenerator (toStringTag, asyncDispose).
  const traced = Object.create(Object.getPrototypeOf(inner)) as AsyncGenerator<T, R, N>;
  return Object.assign(traced, {
    next: (...args: [] | [N]) => step(() => inner.next(...args)),
    return: (value: R | PromiseLike<R>) => step(() => inner.return(value)),
    throw: (error: unknown) => step(() => inner.throw(error)),
    [Symbol.asyncIterator]: () => traced,
  });
}

/** Yielded values, joined when all are text (a token stream), else a JSON array; bounded in size. */
class YieldedOutput {
  readonly #items: unknown[] = [];
  #size = 0;
  #full = false;

  add(value: unknown): void {
    if (this.#full) return;
    this.#size += toPayloadText(value)?.length ?? 0;
    if (this.#size > DEFAULT_MAX_ATTRIBUTE_LENGTH) this.#full = true;
    this.#items.push(value);
  }

  record(span: Span): void {
    if (this.#items.length === 0) return;
    const text = this.#items.every((item) => typeof item === 'string') ? this.#items.join('') : toPayloadText(this.#items);
    if (text !== undefined) span.setAttribute(OBSERVA.OUTPUT, text);
    if (this.#full) span.setAttribute(OBSERVA.TRUNCATED, [OBSERVA.OUTPUT]);
  }
}
