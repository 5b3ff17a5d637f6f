/** Runs load-generator processes against one URL, starts them together and merges their reports. */
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import type { LoadOptions, LoadReport } from './load-generator.ts';

const GENERATOR = new URL('./load-generator.ts', import.meta.url).pathname;

export interface LoadPlan {
  processes: number;
  exportersPerProcess: number;
  seconds: number;
  /** Total over all processes; 0: as fast as answers come. */
  spansPerSecond: number;
  seed?: number;
}

export async function runLoad(url: string, apiKey: string, plan: LoadPlan): Promise<LoadReport> {
  const children = Array.from({ length: plan.processes }, (_, i) => {
    const options: LoadOptions = {
      url, apiKey, exporters: plan.exportersPerProcess, seed: (plan.seed ?? 9) * 100 + i, seconds: plan.seconds,
      spansPerSecond: plan.spansPerSecond / plan.processes,
    };
    const child = spawn(process.execPath, ['--import', 'tsx', GENERATOR, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const next = async () => {
      const { value, done } = await lines.next();
      if (done) throw new Error(`load generator exited with ${child.exitCode}`);
      return JSON.parse(value);
    };
    return { child, next };
  });
  await Promise.all(children.map((c) => c.next())); // ready
  const startAt = Date.now() + 200;
  for (const c of children) c.child.stdin!.write(`${JSON.stringify({ startAt })}\n`);
  const reports = (await Promise.all(children.map((c) => c.next()))) as LoadReport[];
  return {
    acknowledgedPerSecond: reports[0].acknowledgedPerSecond.map((_, s) => reports.reduce((sum, r) => sum + r.acknowledgedPerSecond[s], 0)),
    failedSpans: reports.reduce((sum, r) => sum + r.failedSpans, 0),
    exportMs: reports.flatMap((r) => r.exportMs),
    firstError: reports.find((r) => r.firstError)?.firstError,
  };
}

/** Spans per second acknowledged after the first `warmupSeconds`. */
export function throughput(report: LoadReport, warmupSeconds: number): number {
  const measured = report.acknowledgedPerSecond.slice(warmupSeconds);
  return measured.reduce((a, b) => a + b, 0) / measured.length;
}
