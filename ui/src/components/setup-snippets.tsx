/**
 * Copy-paste setup for sending traces to this collector: the @observa/sdk, plain OpenTelemetry
 * environment variables (any language, OTLP/HTTP or gRPC), the Langfuse SDKs' variables and a curl call
 * to the native events API. Shared by the key
 * panel in Settings and the empty project's onboarding. Values are shell-quoted, so whatever the key
 * or origin holds, a pasted snippet runs as shown.
 */
import { useState } from 'preact/hooks';
import { CopyButton } from './copy-button.tsx';
import './setup-snippets.css';

export const KEY_PLACEHOLDER = '<your API key>';

export interface Snippet {
  id: 'sdk' | 'otel' | 'langfuse' | 'curl';
  label: string;
  /** Shell commands, then (for the SDK) the code to add. */
  blocks: { caption: string; code: string }[];
}

export interface SnippetOptions {
  /** Where the collector is reached: the dashboard's own origin. */
  endpoint: string;
  /** Null: a placeholder the reader replaces. */
  apiKey: string | null;
  /** The key's project: the Langfuse SDKs send it as their public key. */
  projectId: string;
  /** Ids for the curl example's span (32 and 16 hex digits); fixed in tests. */
  traceId: string;
  spanId: string;
}

/** A single-quoted shell word: safe for any text, quotes included. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The origin's host name, IPv6 in brackets as URLs need it ("[::1]"); a placeholder if it is no URL. */
function hostnameOf(origin: string): string {
  try {
    return new URL(origin).hostname;
  } catch {
    return '<collector host>';
  }
}

export function buildSnippets({ endpoint, apiKey, projectId, traceId, spanId }: SnippetOptions): Snippet[] {
  const key = apiKey ?? KEY_PLACEHOLDER;
  // OTEL_EXPORTER_OTLP_HEADERS values are URL-encoded (the space after Bearer is %20).
  const headerKey = apiKey ? encodeURIComponent(apiKey) : KEY_PLACEHOLDER;
  // GenAI instrumentations (semconv 1.28-1.36) send prompts and completions as log events, joined to their
  // span; metrics are refused (501), so the SDK should not send them here.
  const signals = 'export OTEL_LOGS_EXPORTER=otlp\nexport OTEL_METRICS_EXPORTER=none';
  const event = JSON.stringify({
    trace_id: traceId, span_id: spanId, name: 'my first trace', type: 'llm', start_time: 'START', model: 'gpt-4o-mini', input_tokens: 12, output_tokens: 5,
    input: [{ role: 'user', parts: [{ type: 'text', content: 'Hello' }] }],
    output: [{ role: 'assistant', parts: [{ type: 'text', content: 'Hi! How can I help?' }] }],
  });
  // The start time is now, from the shell, so the trace shows up in the default time range.
  const body = `'[${event.replace('"START"', `"'"$(date -u +%Y-%m-%dT%H:%M:%SZ)"'"`)}]'`;
  return [
    {
      id: 'sdk',
      label: 'Node.js SDK',
      blocks: [
        { caption: 'Install the SDK and point it at this collector', code: `npm install @observa/sdk\nexport OBSERVA_API_KEY=${shellQuote(key)}\nexport OBSERVA_ENDPOINT=${shellQuote(endpoint)}` },
        {
          caption: 'Trace your OpenAI calls',
          code: [
            `import OpenAI from 'openai';`,
            `import { init, wrapOpenAI } from '@observa/sdk';`,
            ``,
            `const observa = init({ serviceName: 'my-app' }); // reads OBSERVA_API_KEY and OBSERVA_ENDPOINT`,
            `const openai = wrapOpenAI(new OpenAI());`,
            ``,
            `await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }] });`,
            `await observa.shutdown(); // flushes before exit`,
          ].join('\n'),
        },
      ],
    },
    {
      id: 'otel',
      label: 'OpenTelemetry (any language)',
      blocks: [
        {
          caption: 'Set these for any OpenTelemetry SDK; the exporter appends /v1/traces, and /v1/logs for GenAI instrumentations that send prompts as log events (metrics are not accepted)',
          code: `export OTEL_EXPORTER_OTLP_ENDPOINT=${shellQuote(endpoint)}\nexport OTEL_EXPORTER_OTLP_HEADERS=${shellQuote(`Authorization=Bearer%20${headerKey}`)}\nexport OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf\n${signals}`,
        },
        {
          // gRPC metadata keys must be lower case (Python's exporter refuses "Authorization").
          caption: 'Or over OTLP/gRPC: port 4317 by default (OBSERVA_GRPC_PORT), if your deployment exposes it',
          code: `export OTEL_EXPORTER_OTLP_ENDPOINT=${shellQuote(`http://${hostnameOf(endpoint)}:4317`)}\nexport OTEL_EXPORTER_OTLP_HEADERS=${shellQuote(`authorization=Bearer%20${headerKey}`)}\nexport OTEL_EXPORTER_OTLP_PROTOCOL=grpc\n${signals}`,
        },
      ],
    },
    {
      id: 'langfuse',
      label: 'Langfuse SDK',
      blocks: [
        {
          caption: 'Already instrumented with Langfuse? Only these change (the Python SDK reads LANGFUSE_HOST for the URL)',
          code: `export LANGFUSE_BASE_URL=${shellQuote(endpoint)}\nexport LANGFUSE_PUBLIC_KEY=${shellQuote(projectId)}\nexport LANGFUSE_SECRET_KEY=${shellQuote(key)}`,
        },
      ],
    },
    {
      id: 'curl',
      label: 'curl',
      blocks: [
        {
          caption: 'Send one event to the native events API',
          code: `curl -s ${shellQuote(`${endpoint}/api/v1/events/ingest`)} \\\n  -H ${shellQuote(`Authorization: Bearer ${key}`)} \\\n  -H 'Content-Type: application/json' \\\n  -d ${body}`,
        },
      ],
    },
  ];
}

/** Random hex ids for the curl example, so each copy sends a new trace. */
export function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function SetupSnippets(options: SnippetOptions) {
  const snippets = buildSnippets(options);
  const [active, setActive] = useState<Snippet['id']>('sdk');
  const shown = snippets.find((s) => s.id === active) ?? snippets[0];
  return (
    <div class="setup-snippets">
      <div class="snippet-tabs" role="tablist" aria-label="How to send traces">
        {snippets.map((s) => (
          <button key={s.id} type="button" role="tab" id={`snippet-tab-${s.id}`} aria-selected={s.id === shown.id} class={s.id === shown.id ? 'active' : ''} onClick={() => setActive(s.id)}>
            {s.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-labelledby={`snippet-tab-${shown.id}`}>
        {shown.blocks.map((block) => (
          <figure class="snippet" key={block.caption}>
            <figcaption>
              <span>{block.caption}</span>
              <CopyButton text={block.code} />
            </figcaption>
            <pre><code>{block.code}</code></pre>
          </figure>
        ))}
      </div>
    </div>
  );
}
