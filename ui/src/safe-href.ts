/** A link target taken from data (a message's uri, a price's source): http(s) only, so `javascript:` and the like never become links. */
export function safeHref(uri: unknown): string | null {
  return typeof uri === 'string' && /^https?:\/\//i.test(uri) ? uri : null;
}
