/**
 * Sends fuzz cases to a running collector and checks the promise for hostile input: every case is
 * answered 200, 400 or 413 within the per-case timeout, /healthz answers between chunks, and resident
 * memory stays bounded. Throttling (429/503 with Retry-After, the backpressure bounds) is honoured and
 * retried like an OTLP client would, so a long run measures the decoders, not the backlog bound.
 */
import { FULL_SCALE, fuzzCase, type FuzzCase, type FuzzScale } from './cases.ts';

export interface FuzzTarget {
  url: string;
  apiKey: string;
}

export interface FuzzOptions {
  seed: number;
  cases: number;
  /** First case index (replays start here). */
  from?: number;
  perCaseTimeoutMs?: number;
  /** Cases between two health checks. */
  chunk?: number;
  log?: (line: string) => void;
  scale?: FuzzScale;
}

export interface FuzzFailure {
  seed: number;
  index: number;
  kind: string;
  note: string;
  problem: string;
}

export interface FuzzReport {
  sent: number;
  byStatus: Record<string, number>;
  byKind: Record<string, number>;
  throttledRetries: number;
  failures: FuzzFailure[];
  rssBeforeMb: number;
  /** After the first chunk, which walks every kind once (the heavy ones included): the baseline for growth. */
  rssWarmMb: number;
  rssPeakMb: number;
  rssAfterMb: number;
}

const ANSWERS = new Set([200, 400, 413]);
const MAX_THROTTLED_RETRIES = 20;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function send(target: FuzzTarget, c: FuzzCase, timeoutMs: number): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': c.contentType, authorization: `Bearer ${target.apiKey}` };
  if (c.contentEncoding) headers['content-encoding'] = c.contentEncoding;
  const response = await fetch(`${target.url}${c.path}`, { method: 'POST', headers, body: c.body, signal: AbortSignal.timeout(timeoutMs) });
  await response.arrayBuffer(); // the whole answer must arrive within the timeout too
  return response;
}

async function healthy(target: FuzzTarget): Promise<string | null> {
  try {
    const response = await fetch(`${target.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
    await response.arrayBuffer();
    return response.status === 200 ? null : `/healthz answered ${response.status}`;
  } catch (err) {
    return `/healthz did not answer: ${(err as Error).message}`;
  }
}

export async function runFuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const { seed, cases, from = 0, perCaseTimeoutMs = 60_000, chunk = 50, log = () => {}, scale = FULL_SCALE } = options;
  const report: FuzzReport = { sent: 0, byStatus: {}, byKind: {}, throttledRetries: 0, failures: [], rssBeforeMb: mb(process.memoryUsage().rss), rssWarmMb: 0, rssPeakMb: 0, rssAfterMb: 0 };
  const fail = (index: number, c: FuzzCase, problem: string) => {
    report.failures.push({ seed, index, kind: c.kind, note: c.note.slice(0, 300), problem });
    log(`FAIL seed=${seed} case=${index} kind=${c.kind} (${c.note.slice(0, 120)}): ${problem}`);
  };
  for (let index = from; index < from + cases; index++) {
    const c = fuzzCase(seed, index, scale);
    report.sent += 1;
    report.byKind[c.kind] = (report.byKind[c.kind] ?? 0) + 1;
    try {
      let response = await send(target, c, perCaseTimeoutMs);
      for (let retry = 0; (response.status === 429 || response.status === 503) && response.headers.has('retry-after') && retry < MAX_THROTTLED_RETRIES; retry++) {
        report.throttledRetries += 1;
        await new Promise((resolve) => setTimeout(resolve, Math.min(Number(response.headers.get('retry-after')) || 1, 5) * 1000));
        response = await send(target, c, perCaseTimeoutMs);
      }
      report.byStatus[response.status] = (report.byStatus[response.status] ?? 0) + 1;
      if (!ANSWERS.has(response.status)) fail(index, c, `answered ${response.status}`);
    } catch (err) {
      report.byStatus.none = (report.byStatus.none ?? 0) + 1;
      fail(index, c, `no answer within ${perCaseTimeoutMs} ms: ${(err as Error).message}`);
    }
    report.rssPeakMb = Math.max(report.rssPeakMb, mb(process.memoryUsage().rss));
    const done = index - from + 1;
    if (done % chunk === 0 || done === cases) {
      if (report.rssWarmMb === 0) report.rssWarmMb = mb(process.memoryUsage().rss);
      const problem = await healthy(target);
      if (problem !== null) fail(index, c, `after this case: ${problem}`);
      log(`seed=${seed} cases ${from}..${index}: ${JSON.stringify(report.byStatus)} rss=${mb(process.memoryUsage().rss)} MB`);
      if (problem !== null) break; // a collector that stopped answering fails every later case for the same reason
    }
  }
  report.rssAfterMb = mb(process.memoryUsage().rss);
  return report;
}
