/**
 * HTTP Basic credentials (RFC 7617), `Authorization: Basic base64(<user-id>:<password>)`, as the
 * Langfuse SDKs send their public and secret key. Only the Langfuse-compatible route reads them
 * (receivers/langfuse-otel.ts): everywhere else the credential is a Bearer token, x-observa-api-key or
 * the session cookie (auth/authenticate.ts), and a Basic header is no credential at all.
 */

export interface BasicCredential {
  userId: string;
  password: string;
}

/** Standard base64, padded or not (some clients drop the padding). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The Basic credential in an Authorization header value: null when the header does not use the Basic
 * scheme (absent, Bearer, …), `{ malformed }` saying what is wrong when it does but cannot be read.
 */
export function parseBasicAuthorization(header: string): BasicCredential | { malformed: string } | null {
  const scheme = /^Basic(?:\s+(.*))?$/is.exec(header.trim());
  if (!scheme) return null;
  const encoded = (scheme[1] ?? '').trim();
  if (encoded === '') return { malformed: 'the Basic credential is empty' };
  if (!BASE64.test(encoded)) return { malformed: 'the Basic credential is not base64' };
  let decoded: string;
  try {
    decoded = utf8.decode(Buffer.from(encoded, 'base64'));
  } catch {
    return { malformed: 'the Basic credential does not decode to UTF-8 text' };
  }
  // The user-id cannot contain a colon (RFC 7617 §2); the password may.
  const colon = decoded.indexOf(':');
  if (colon < 0) return { malformed: 'the Basic credential has no ":" between the user name and the password' };
  return { userId: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
