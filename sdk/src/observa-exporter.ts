/**
 * createObservaExporter: the OTLP/HTTP (JSON) exporter pointed at the collector with the API key,
 * wrapped so it never throws and counts what it drops. For users who bring their own processors
 * (e.g. NodeSDK's `traceExporter`); ObservaSpanProcessor uses the same exporter internally.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { resolveConfig, type ResolvedConfig } from './config.ts';
import { DropCounter } from './drop-counter.ts';
import { SafeSpanExporter } from './safe-span-exporter.ts';
import type { ConnectionOptions, DropCounts } from './types.ts';

/** A SpanExporter that also reports how many spans it could not deliver. */
export interface ObservaExporter extends SpanExporter {
  droppedSpans(): DropCounts;
}

/** Builds the exporter from options over the OTEL_* / OBSERVA_* environment. */
export function createObservaExporter(options: ConnectionOptions = {}): ObservaExporter {
  const config = resolveConfig(options);
  const drops = new DropCounter();
  const exporter = new SafeSpanExporter(otlpExporter(config), drops, config.tracesUrl);
  return Object.assign(exporter, { droppedSpans: () => drops.counts() });
}

/** The raw OTLP exporter for a resolved configuration. */
export function otlpExporter(config: ResolvedConfig): SpanExporter {
  return new OTLPTraceExporter({ url: config.tracesUrl, headers: config.headers, timeoutMillis: config.timeoutMillis });
}
