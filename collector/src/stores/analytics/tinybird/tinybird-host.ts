/**
 * A Tinybird API base URL as given by an operator or a tenant admin ("https://api.tinybird.co/",
 * "http://localhost:7181"): http(s) only, no credentials, query or fragment (tokens travel in
 * headers, never in the URL), without the trailing slash so paths append cleanly.
 */
export function normaliseTinybirdHost(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password || url.search || url.hash) return null;
  return url.href.replace(/\/+$/, '');
}
