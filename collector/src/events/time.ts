/** Nanosecond timestamps <-> RFC 3339 strings with up to nine fraction digits (JS Dates stop at milliseconds). */

const NANOS_PER_SECOND = 1_000_000_000n;

export function nanosToIso(nanos: bigint): string {
  const seconds = nanos / NANOS_PER_SECOND;
  const fraction = nanos % NANOS_PER_SECOND;
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${base}.${fraction.toString().padStart(9, '0')}Z`;
}

const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 timestamp keeping nanoseconds; returns null when it is not one. */
export function isoToNanos(iso: string): bigint | null {
  const m = ISO.exec(iso);
  if (!m) return null;
  const millis = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(millis)) return null;
  const fraction = BigInt((m[2] ?? '').padEnd(9, '0'));
  return BigInt(millis) * 1_000_000n + fraction;
}

export function durationMs(startNanos: bigint, endNanos: bigint): number {
  return endNanos > startNanos ? Number(endNanos - startNanos) / 1e6 : 0;
}
