import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderToString } from 'preact-render-to-string';
import { buildSnippets, KEY_PLACEHOLDER, SetupSnippets, shellQuote, type SnippetOptions } from './setup-snippets.tsx';

const ORIGIN = 'https://observa.example.com:8443';
const KEY = 'eyJhbGciOiJIUzI1NiJ9.eyJ0IjoiYSJ9.c2lnbmF0dXJlLV8';
const PROJECT = '3f2b6c1e-8d4a-4f7b-9c2e-5a1d0e9b7c6f';
const IDS = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };
const OPTIONS: SnippetOptions = { endpoint: ORIGIN, apiKey: KEY, projectId: PROJECT, ...IDS };

const blocksOf = (id: string, options = OPTIONS) => buildSnippets(options).find((s) => s.id === id)!.blocks.map((b) => b.code);
const codeOf = (id: string, options = OPTIONS) => blocksOf(id, options).join('\n');
const OTEL_VARIABLES = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_LOGS_EXPORTER', 'OTEL_METRICS_EXPORTER'];
const LANGFUSE_VARIABLES = ['LANGFUSE_BASE_URL', 'LANGFUSE_PUBLIC_KEY', 'LANGFUSE_SECRET_KEY'];

/** Runs a snippet's shell in bash with `curl` and `npm` stubbed to print their arguments, then prints the named variables. */
function runShell(code: string, variables: string[] = []): string[] {
  const script = `curl() { printf '%s\\n' "$@"; }\nnpm() { :; }\n${code}\n${variables.map((v) => `printf '%s\\n' "$${v}"`).join('\n')}`;
  return execFileSync('bash', ['-c', script], { encoding: 'utf8' }).trimEnd().split('\n');
}

describe('setup snippets', () => {
  it('put the key and the origin in every shell block; the gRPC block has the origin\'s host on port 4317', () => {
    for (const snippet of buildSnippets(OPTIONS)) {
      // The SDK's second block is the app's code: it reads the variables the first block exports.
      for (const { caption, code } of snippet.blocks.filter((b) => !b.code.startsWith('import'))) {
        expect(code, caption).toContain(KEY);
        expect(code, caption).toContain(caption.includes('gRPC') ? 'http://observa.example.com:4317' : ORIGIN);
        expect(code, caption).not.toMatch(/undefined|null|\[object/);
      }
    }
    expect(blocksOf('otel')[1]).not.toContain(ORIGIN);
  });

  it('set exactly the environment variables the SDK and OpenTelemetry read', () => {
    expect(runShell(codeOf('sdk').split('\n\n')[0].split('\nimport')[0], ['OBSERVA_API_KEY', 'OBSERVA_ENDPOINT'])).toEqual([KEY, ORIGIN]);
    const [http, grpc] = blocksOf('otel');
    expect(runShell(http, OTEL_VARIABLES)).toEqual([ORIGIN, `Authorization=Bearer%20${KEY}`, 'http/protobuf', 'otlp', 'none']);
    // gRPC: host and port only, and a lower-case metadata key.
    expect(runShell(grpc, OTEL_VARIABLES)).toEqual(['http://observa.example.com:4317', `authorization=Bearer%20${KEY}`, 'grpc', 'otlp', 'none']);
    expect(runShell(blocksOf('otel', { ...OPTIONS, endpoint: 'http://[::1]:4318' })[1], ['OTEL_EXPORTER_OTLP_ENDPOINT'])).toEqual(['http://[::1]:4317']);
    expect(blocksOf('otel', { ...OPTIONS, endpoint: 'null' })[1]).toContain(`OTEL_EXPORTER_OTLP_ENDPOINT='http://<collector host>:4317'`); // an opaque origin
    expect(runShell(codeOf('langfuse'), LANGFUSE_VARIABLES)).toEqual([ORIGIN, PROJECT, KEY]);
    expect(codeOf('sdk')).toContain(`init({ serviceName: 'my-app' }); // reads OBSERVA_API_KEY and OBSERVA_ENDPOINT`);
  });

  it('build a curl call that sends one valid event to the native API, starting now', () => {
    const [url, ...args] = runShell(codeOf('curl')).slice(1); // after -s
    expect(url).toBe(`${ORIGIN}/api/v1/events/ingest`);
    expect(args).toContain(`Authorization: Bearer ${KEY}`);
    const body = JSON.parse(args[args.indexOf('-d') + 1]);
    expect(body).toEqual([expect.objectContaining({ trace_id: IDS.traceId, span_id: IDS.spanId, name: 'my first trace', type: 'llm', model: 'gpt-4o-mini' })]);
    expect(Math.abs(Date.parse(body[0].start_time) - Date.now())).toBeLessThan(60_000);
  });

  it('keep hostile text inert: quotes and command substitutions arrive as plain text', () => {
    const hostile = `k'$(touch /tmp/pwned)"\`id\`;`;
    // A valid URL (as location.origin always is) whose host holds quotes, substitutions and separators.
    const host = `x';echo\${ifs}pwned;$(id)\`id\`"'`;
    const origin = `http://${host}:8443`;
    const options = { endpoint: origin, apiKey: hostile, projectId: `p'$(id)`, ...IDS };
    const sdkShell = codeOf('sdk', options).split('\nimport')[0];
    expect(runShell(sdkShell, ['OBSERVA_API_KEY', 'OBSERVA_ENDPOINT'])).toEqual([hostile, origin]);
    const [http, grpc] = blocksOf('otel', options);
    expect(runShell(http, OTEL_VARIABLES.slice(0, 2))).toEqual([origin, `Authorization=Bearer%20${encodeURIComponent(hostile)}`]);
    expect(runShell(grpc, OTEL_VARIABLES.slice(0, 2))).toEqual([`http://${host}:4317`, `authorization=Bearer%20${encodeURIComponent(hostile)}`]);
    expect(runShell(codeOf('langfuse', options), LANGFUSE_VARIABLES)).toEqual([origin, options.projectId, hostile]);
    const curl = runShell(codeOf('curl', options));
    expect(curl).toContain(`Authorization: Bearer ${hostile}`);
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
  });

  it('show a placeholder, not an empty value, when there is no key', () => {
    const noKey = { ...OPTIONS, apiKey: null };
    for (const snippet of buildSnippets(noKey)) {
      expect(snippet.blocks.map((b) => b.code).join('\n'), snippet.id).toContain(KEY_PLACEHOLDER);
    }
    const [http, grpc] = blocksOf('otel', noKey);
    expect(runShell(http, ['OTEL_EXPORTER_OTLP_HEADERS'])).toEqual([`Authorization=Bearer%20${KEY_PLACEHOLDER}`]);
    expect(runShell(grpc, ['OTEL_EXPORTER_OTLP_HEADERS'])).toEqual([`authorization=Bearer%20${KEY_PLACEHOLDER}`]);
    expect(runShell(codeOf('langfuse', noKey), LANGFUSE_VARIABLES)).toEqual([ORIGIN, PROJECT, KEY_PLACEHOLDER]);
  });

  it('render the SDK tab first, escaped, with a copy button per block', () => {
    const html = renderToString(<SetupSnippets {...OPTIONS} apiKey={'<script>alert(1)</script>'} />);
    expect(html).toContain('aria-selected="true"');
    expect(html).toContain("OBSERVA_API_KEY='&lt;script>alert(1)&lt;/script>'");
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('OTEL_EXPORTER_OTLP_HEADERS'); // other tabs render on demand
    expect(html).toContain('>Langfuse SDK</button>');
    expect(html.match(/class="copy-button"/g)).toHaveLength(2);
  });
});
