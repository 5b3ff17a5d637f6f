/** Starts bench/sink-server.mjs as a child process and returns its URL and what it received. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export interface SinkStats {
  requests: number;
  spans: number;
  bytes: number;
  /** Occurrences of each marker (`bench-prompt-`, `bench-answer-`) in the received exports. */
  marked: Record<string, number>;
}

export interface Sink {
  url: string;
  stats(): Promise<SinkStats>;
  stop(): void;
}

export async function startSink(): Promise<Sink> {
  const child = spawn(process.execPath, [new URL('./sink-server.mjs', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = await once(child.stdout!, 'data');
  const url = `http://127.0.0.1:${String(chunk).trim()}`;
  return {
    url,
    stats: async () => (await (await fetch(`${url}/stats`)).json()) as SinkStats,
    stop: () => child.kill(),
  };
}
