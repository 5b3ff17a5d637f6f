/**
 * The one error type routes throw to answer a client: a status, a message that says what was wrong,
 * and optional headers (Retry-After). The error handler (app/error-handler.ts) turns it into the response.
 */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new HttpError(400, message);
export const unauthorized = (message: string) => new HttpError(401, message, { 'www-authenticate': 'Bearer realm="observa"' });
export const forbidden = (message: string) => new HttpError(403, message);
export const notFound = (message: string) => new HttpError(404, message);
