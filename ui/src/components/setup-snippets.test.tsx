import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderToString } from 'preact-render-to-string';
import { buildSnippets, KEY_PLACEHOLDER, SetupSnippets, shellQuote } from './setup-snippets.tsx';

const ORIGIN = 'https://observa.example.com:8443';
const KEY = 'eyJhbGciOiJIUzI1NiJ9.eyJ0IjoiYSJ9.c2lnbmF0dXJlLV8';
const IDS = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };

const codeOf = (id: string, options = { endpoint: ORIGIN, apiKey: KEY as string | null, ...IDS }) =>
  buildSnippets(options).find((s) => s.id === id)!.blocks.map((b) => b.code).join('\n');

/** Runs a snippet's shell in bash with `curl` and `npm` stubbed to print their arguments, then prints the named variables. */
function runShell(code: string, variables: string[] = []): string[] {
  const script = `curl() { printf '%s\\n' "$@"; }\nnpm() { :; }\n${code}\n${variables.map((v) => `printf '%s\\n' "$${v}"`).join('\n')}`;
  return execFileSync('bash', ['-c', script], { encoding: 'utf8' }).trimEnd().split('\n');
}

describe('setup snippets', () => {
  it('put the key and the origin in every snippet', () => {
    for (const snippet of buildSnippets({ endpoint: ORIGIN, apiKey: KEY, ...IDS })) {
      const code = snippet.blocks.map((b) => b.code).join('\n');
      expect(code, snippet.id).toContain(KEY);
      expect(code, snippet.id).toContain(ORIGIN);
      expect(code, snippet.id).not.toMatch(/undefined|null|\[object/);
    }
  });

  it('set exactly the environment variables the SDK and OpenTelemetry read', () => {
    expect(runShell(codeOf('sdk').split('\n\n')[0].split('\nimport')[0], ['OBSERVA_API_KEY', 'OBSERVA_ENDPOINT'])).toEqual([KEY, ORIGIN]);
    expect(runShell(codeOf('otel'), ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_PROTOCOL'])).toEqual([
      ORIGIN,
      `Authorization=Bearer%20${KEY}`,
      'http/protobuf',
    ]);
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
    const origin = `http://x'; echo pwned; '`;
    const sdkShell = codeOf('sdk', { endpoint: origin, apiKey: hostile, ...IDS }).split('\nimport')[0];
    expect(runShell(sdkShell, ['OBSERVA_API_KEY', 'OBSERVA_ENDPOINT'])).toEqual([hostile, origin]);
    const otel = runShell(codeOf('otel', { endpoint: origin, apiKey: hostile, ...IDS }), ['OTEL_EXPORTER_OTLP_HEADERS']);
    expect(otel).toEqual([`Authorization=Bearer%20${encodeURIComponent(hostile)}`]);
    const curl = runShell(codeOf('curl', { endpoint: origin, apiKey: hostile, ...IDS }));
    expect(curl).toContain(`Authorization: Bearer ${hostile}`);
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
  });

  it('show a placeholder, not an empty value, when there is no key', () => {
    for (const snippet of buildSnippets({ endpoint: ORIGIN, apiKey: null, ...IDS })) {
      expect(snippet.blocks.map((b) => b.code).join('\n'), snippet.id).toContain(KEY_PLACEHOLDER);
    }
    expect(runShell(codeOf('otel', { endpoint: ORIGIN, apiKey: null, ...IDS }), ['OTEL_EXPORTER_OTLP_HEADERS'])).toEqual([`Authorization=Bearer%20${KEY_PLACEHOLDER}`]);
  });

  it('render the SDK tab first, escaped, with a copy button per block', () => {
    const html = renderToString(<SetupSnippets endpoint={ORIGIN} apiKey={'<script>alert(1)</script>'} {...IDS} />);
    expect(html).toContain('aria-selected="true"');
    expect(html).toContain("OBSERVA_API_KEY='&lt;script>alert(1)&lt;/script>'");
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('OTEL_EXPORTER_OTLP_HEADERS'); // other tabs render on demand
    expect(html.match(/class="copy-button"/g)).toHaveLength(2);
  });
});
