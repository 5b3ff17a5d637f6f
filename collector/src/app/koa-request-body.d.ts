// The parsed JSON body that app/json-body.ts puts on API requests.
import 'koa';

declare module 'koa' {
  interface Request {
    body?: unknown;
  }
}
