/**
 * SDK overhead on real `openai` calls: CPU per chat completion of the app process, traced by
 * `@observa/sdk` (init() + wrapOpenAI, redaction on, prompts and answers recorded) against
 * `@traceloop/node-server-sdk` (initialize() patching the same `openai` package, traceContent on by
 * default), and the same calls untraced. Each run is a child process of its own (openai-calls.ts):
 * Traceloop patches modules and registers a global provider, so the SDKs must not share a process.
 * Runs are interleaved over several rounds and the medians taken. The fake OpenAI server and the
 * OTLP sink are processes of their own too, so only the app side is measured.
 *
 * Every traced run must deliver one span per call to the sink, carrying its prompt and its answer
 * (the sink counts the `bench-prompt-` / `bench-answer-` markers): a comparison against an SDK that
 * exported nothing would be worthless, so a shortfall fails the bench.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startSink, type Sink } from '../sink.ts';
import { median, type Figure } from '../table.ts';
import type { CallRunOptions, MeasuredSdk } from './openai-calls.ts';

const CALLS = Number(process.env.BENCH_SDK_CALLS ?? 1000);
const WARMUP = 200;
const ROUNDS = Number(process.env.BENCH_SDK_CALL_ROUNDS ?? 5);
const SDKS: readonly MeasuredSdk[] = ['none', 'observa', 'traceloop'];
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function openaiCallCost(): Promise<Figure[]> {
  const sink = await startSink();
  const openai = await startChild(['--import', 'tsx', 'bench/sdk/fake-openai-server.ts']);
  const openaiURL = `http://127.0.0.1:${openai.firstLine}/v1`;
  const cpu: Record<MeasuredSdk, number[]> = { none: [], observa: [], traceloop: [] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // Rotating the order spreads whatever the machine is doing over all three.
      for (let i = 0; i < SDKS.length; i++) {
        const sdk = SDKS[(round + i) % SDKS.length];
        cpu[sdk].push(await measuredRun(sink, { sdk, openaiURL, sinkURL: sink.url, calls: CALLS, warmup: WARMUP }));
      }
    }
  } finally {
    openai.child.kill();
    sink.stop();
  }
  const [none, observa, traceloop] = SDKS.map((sdk) => median(cpu[sdk]));
  const calls = `${CALLS} openai chat calls, 1-8 KB prompts, prompts traced`;
  return [
    { name: `SDK CPU per traced OpenAI call (${calls}, redaction on)`, unit: 'us/call', value: observa, baselineName: 'Traceloop node-server-sdk', baseline: traceloop, higherIsBetter: false },
    { name: `SDK tracing overhead per OpenAI call (CPU above the untraced call: ${none.toFixed(0)} us)`, unit: 'us/call', value: observa - none, baselineName: 'Traceloop node-server-sdk', baseline: traceloop - none, higherIsBetter: false },
  ];
}

/** One child run; checks what reached the sink and returns the child's CPU per call (µs). */
async function measuredRun(sink: Sink, options: CallRunOptions): Promise<number> {
  const before = await sink.stats();
  const run = await startChild(['--expose-gc', '--import', 'tsx', 'bench/sdk/openai-calls.ts', JSON.stringify(options)]);
  await run.exited;
  const after = await sink.stats();
  const expected = options.sdk === 'none' ? 0 : options.calls + options.warmup;
  const received = {
    spans: after.spans - before.spans,
    prompts: (after.marked['bench-prompt-'] ?? 0) - (before.marked['bench-prompt-'] ?? 0),
    answers: (after.marked['bench-answer-'] ?? 0) - (before.marked['bench-answer-'] ?? 0),
  };
  if (received.spans !== expected || received.prompts < expected || received.answers < expected) {
    throw new Error(`${options.sdk}: the sink received ${JSON.stringify(received)}, expected ${expected} spans with their prompts and answers`);
  }
  return (JSON.parse(run.firstLine) as { cpuMicrosPerCall: number }).cpuMicrosPerCall;
}

/** A node child in the repository root, and the first line it prints. */
async function startChild(args: string[]) {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  return { child, exited, firstLine: String(chunk).split('\n')[0].trim() };
}
