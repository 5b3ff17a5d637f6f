/**
 * One measured run of the OpenAI-call bench, in a process of its own so that an SDK's global patches
 * and providers cannot touch another's run: sets up one SDK (or none), makes the warm-up calls and
 * flushes, then measures this process's CPU around the measured calls plus the flush that exports
 * their spans. Every call is a real `openai` client call to the fake server. Prints one JSON line,
 * `{ "cpuMicrosPerCall": n }`.
 *
 * Argument: JSON `{ sdk, openaiURL, sinkURL, calls, warmup }`. Prompts are traced by both SDKs
 * (Observa records content by default, with redaction on; Traceloop's traceContent defaults to true).
 */
import OpenAI from 'openai';
import { seededRandom, text } from '../random.ts';

export type MeasuredSdk = 'none' | 'observa' | 'traceloop';

export interface CallRunOptions {
  sdk: MeasuredSdk;
  openaiURL: string;
  sinkURL: string;
  calls: number;
  warmup: number;
}

interface Traced {
  client: OpenAI;
  flush(): Promise<void>;
}

const options = JSON.parse(process.argv[2]) as CallRunOptions;
const traced = await setUp(options);
const requests = chatRequests(options.warmup + options.calls);

for (const request of requests.slice(0, options.warmup)) await traced.client.chat.completions.create(request);
await traced.flush();
(globalThis as { gc?: () => void }).gc?.();

const before = process.cpuUsage();
for (const request of requests.slice(options.warmup)) await traced.client.chat.completions.create(request);
await traced.flush();
const used = process.cpuUsage(before);
process.stdout.write(`${JSON.stringify({ cpuMicrosPerCall: (used.user + used.system) / options.calls })}\n`);
process.exit(0);

async function setUp({ sdk, openaiURL, sinkURL }: CallRunOptions): Promise<Traced> {
  const client = () => new OpenAI({ baseURL: openaiURL, apiKey: 'bench', maxRetries: 0 });
  if (sdk === 'observa') {
    const { init, wrapOpenAI } = await import('../../sdk/src/index.ts');
    const observa = init({ endpoint: sinkURL, apiKey: 'bench', serviceName: 'bench' });
    return { client: wrapOpenAI(client()), flush: () => observa.flush() };
  }
  if (sdk === 'traceloop') {
    const traceloop = await import('@traceloop/node-server-sdk');
    traceloop.initialize({
      baseUrl: sinkURL,
      apiKey: 'bench',
      appName: 'bench',
      // The same class: Traceloop's types name openai's CommonJS declaration of it, this file the ESM one.
      instrumentModules: { openAI: OpenAI as never },
      traceloopSyncEnabled: false,
      silenceInitializationMessage: true,
    });
    return { client: client(), flush: () => traceloop.forceFlush() };
  }
  return { client: client(), flush: async () => {} };
}

/** Chat requests like an assistant's: a system prompt, a 1-8 KB user message, 128-1024 answer tokens. */
function chatRequests(count: number): OpenAI.ChatCompletionCreateParamsNonStreaming[] {
  const random = seededRandom(9);
  return Array.from({ length: count }, (_, i) => ({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You are a helpful assistant. Answer briefly and cite the documents you use.' },
      { role: 'user', content: `bench-prompt-${i} ${text(random, 1024 + random() * 7168)}` },
    ],
    max_tokens: 128 + Math.floor(random() * 896),
    temperature: 0.2,
  }));
}
