/**
 * How a helper's span records the way its work ended: the output as `observa.output`, or the error
 * as an `exception` event, `error.type` and ERROR status (OTel's recording-errors convention:
 * https://opentelemetry.io/docs/specs/semconv/general/recording-errors/).
 */
import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { toPayloadText } from './safe-json.ts';
import { OBSERVA } from './semconv.ts';

/** Records `value` as the span's output (nothing when it has no text form). */
export function recordOutput(span: Span, value: unknown): void {
  const text = toPayloadText(value);
  if (text !== undefined) span.setAttribute(OBSERVA.OUTPUT, text);
}

/** Records a thrown or reported error on the span. */
export function recordError(span: Span, error: unknown): void {
  const exception = error instanceof Error ? error : String(toPayloadText(error) ?? error);
  span.recordException(exception);
  span.setAttribute('error.type', error instanceof Error ? error.name || error.constructor.name : typeof error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : exception.toString() });
}
