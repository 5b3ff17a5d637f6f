/**
 * General OTel conventions that apply to every span, whatever produced it: session and user
 * (`session.id`, `user.id`, deprecated `enduser.id`), `error.type` and the `exception` event.
 * It runs last, so a convention with its own session/user/error keys (Langfuse, OpenInference,
 * Vercel metadata) wins, and this only fills what they left empty.
 * Note: `gen_ai.conversation.id` is a conversation, not a session (otel-genai maps it).
 */
import { StatusCode, type DecodedSpan } from '../../otlp/span.ts';
import { firstOf, readString } from '../attribute-readers.ts';
import { ResultBuilder, type Dialect, type DialectResult } from '../dialect.ts';

export const common: Dialect = {
  name: 'common',

  matches: () => true,

  extract(span: DecodedSpan): DialectResult {
    const a = span.attributes;
    const out = new ResultBuilder();
    out.take('session_id', firstOf(a, ['session.id'], readString));
    out.take('user_id', firstOf(a, ['user.id', 'enduser.id'], readString));

    const errorType = firstOf(a, ['error.type'], readString);
    out.take('error_type', errorType);
    // Semconv sets error.type only on failure; some instrumentations forget the span status.
    const failed = span.status.code === StatusCode.ERROR || (span.status.code === StatusCode.UNSET && errorType !== undefined);
    if (failed) {
      out.set('status', 'error');
      if (span.status.message === '') out.set('status_message', exceptionMessage(span));
    }
    return out.result;
  },
};

/** The first recorded exception's message (or type), the usual explanation of a failed span. */
function exceptionMessage(span: DecodedSpan): string | undefined {
  const exception = span.events.find((e) => e.name === 'exception');
  if (!exception) return undefined;
  return readString(exception.attributes['exception.message']) ?? readString(exception.attributes['exception.type']);
}
