import { afterEach, describe, expect, it, vi } from 'vitest';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { withSession } from './context-scopes.ts';
import { init } from './init.ts';
import { observe } from './observe.ts';
import type { ObservaHandle } from './types.ts';

let handle: ObservaHandle | undefined;
afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('init', () => {
  it('registers a provider with the Observa processor, the resource and the app’s own processors', async () => {
    vi.stubEnv('OTEL_RESOURCE_ATTRIBUTES', 'team=search');
    const exporter = new InMemorySpanExporter();
    const theirs = new InMemorySpanExporter();
    handle = init({ exporter, serviceName: 'shop', environment: 'staging', release: '1.4.0', spanProcessors: [new SimpleSpanProcessor(theirs)] });

    const result = await withSession('s-1', () => observe('agent', async () => 'done', { type: 'agent' })());
    await handle.flush();

    expect(result).toBe('done');
    const [span] = exporter.getFinishedSpans();
    expect(span.attributes).toMatchObject({ 'observa.span.type': 'agent', 'session.id': 's-1' });
    expect(span.resource.attributes).toMatchObject({ 'service.name': 'shop', 'deployment.environment.name': 'staging', 'service.version': '1.4.0', team: 'search', 'telemetry.sdk.language': 'nodejs' });
    expect(theirs.getFinishedSpans().map((s) => s.name)).toEqual(['agent']);
  });

  it('returns the same handle when called twice, and can start again after shutdown', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const first = init({ exporter: new InMemorySpanExporter() });
    expect(init({ exporter: new InMemorySpanExporter() })).toBe(first);
    expect(warn).toHaveBeenCalledOnce();
    await first.shutdown();
    await first.shutdown();
    await first.flush();
    expect(trace.getTracerProvider().getTracer('x').startSpan('after').isRecording()).toBe(false);

    handle = init({ exporter: new InMemorySpanExporter() });
    expect(handle).not.toBe(first);
    expect(trace.getActiveSpan()).toBeUndefined();
    expect(observe('alive', () => trace.getActiveSpan()?.isRecording())()).toBe(true);
  });

  it('with registerGlobal: false leaves the globals alone but the helpers still use its provider', async () => {
    const exporter = new InMemorySpanExporter();
    handle = init({ exporter, registerGlobal: false });
    expect(trace.getTracerProvider().getTracer('x').startSpan('global').isRecording()).toBe(false);
    observe('helper span', () => 1)();
    await handle.flush();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['helper span']);
  });

  it('does nothing when OTEL_SDK_DISABLED=true', async () => {
    vi.stubEnv('OTEL_SDK_DISABLED', 'true');
    const exporter = new InMemorySpanExporter();
    const disabled = init({ exporter });
    expect(observe('ignored', () => 5)()).toBe(5);
    await disabled.flush();
    await disabled.shutdown();
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(disabled.droppedSpans().export_failed).toBe(0);
  });

  it('throws a clear error for a malformed endpoint', () => {
    expect(() => init({ endpoint: 'localhost:4318' })).toThrow('endpoint must be an http(s) URL, got "localhost:4318"');
  });
});
