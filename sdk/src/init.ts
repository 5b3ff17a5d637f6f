/**
 * init(): the fresh-start path. Builds a BasicTracerProvider with the Observa span processor (OTLP/HTTP
 * to the collector) and the app's own processors, and registers it globally together with an
 * AsyncLocalStorage context manager and W3C trace-context + baggage propagators, unless
 * `registerGlobal: false`. With OTEL_SDK_DISABLED=true it returns a handle that does nothing.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { setActiveTracerProvider } from './active-sdk.ts';
import { resolveConfig } from './config.ts';
import { ObservaSpanProcessor } from './observa-span-processor.ts';
import type { DropCounts, InitOptions, ObservaHandle } from './types.ts';

let active: ObservaHandle | undefined;

/**
 * Sets up tracing to Observa; options win over OBSERVA_* / OTEL_* variables. Throws
 * ObservaConfigError on nonsense (a malformed endpoint). A second call returns the first handle.
 */
export function init(options: InitOptions = {}): ObservaHandle {
  if (active) {
    console.warn('[observa] init() was already called; returning the existing handle (call shutdown() first to start over).');
    return active;
  }
  const config = resolveConfig(options);
  if (config.disabled) return disabledHandle();

  const processor = new ObservaSpanProcessor(options);
  const provider = new BasicTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes(config.resource)),
    spanProcessors: [processor, ...(options.spanProcessors ?? [])],
  });
  const unregister = config.registerGlobal ? registerGlobals(provider) : () => {};
  setActiveTracerProvider(provider);

  let stopped: Promise<void> | undefined;
  const handle: ObservaHandle = {
    tracerProvider: provider,
    flush: () => (stopped ? Promise.resolve() : provider.forceFlush().catch(() => {})),
    shutdown: () =>
      (stopped ??= (async () => {
        await provider.shutdown().catch(() => {});
        unregister();
        setActiveTracerProvider(undefined);
        active = undefined;
      })()),
    droppedSpans: () => processor.droppedSpans(),
  };
  active = handle;
  return handle;
}

/** Registers the globals nobody registered yet; returns how to take back what was registered. */
function registerGlobals(provider: BasicTracerProvider): () => void {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const ownsContext = context.setGlobalContextManager(contextManager);
  if (!ownsContext) contextManager.disable(); // the app's own context manager keeps working for us
  const ownsPropagation = propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  const ownsTrace = trace.setGlobalTracerProvider(provider);
  if (!ownsTrace) {
    console.warn('[observa] another tracer provider is already registered globally: spans created through it do not reach Observa. Add ObservaSpanProcessor to that provider instead of calling init().');
  }
  return () => {
    if (ownsTrace) trace.disable();
    if (ownsPropagation) propagation.disable();
    if (ownsContext) context.disable();
  };
}

function disabledHandle(): ObservaHandle {
  const none: DropCounts = { export_failed: 0, queue_full: 0, buffer_full: 0, redact_failed: 0 };
  return {
    tracerProvider: new BasicTracerProvider({ sampler: new AlwaysOffSampler() }),
    flush: async () => {},
    shutdown: async () => {},
    droppedSpans: () => ({ ...none }),
  };
}
