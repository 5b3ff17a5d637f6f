/** Starts bench/sink-server.mjs as a child process and returns its URL. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export async function startSink(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, [new URL('./sink-server.mjs', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = await once(child.stdout!, 'data');
  return { url: `http://127.0.0.1:${String(chunk).trim()}`, stop: () => child.kill() };
}
