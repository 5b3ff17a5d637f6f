/**
 * What init() and the span processor leave for the helpers, process-wide: the provider to take a
 * tracer from when init() did not register one globally, and where score() sends scores.
 */
import { trace, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { SDK_NAME, SDK_VERSION } from './version.ts';

/** Where and how score() reaches the collector's HTTP API. */
export interface Connection {
  endpoint: string;
  headers: Record<string, string>;
  timeoutMillis: number;
  disabled: boolean;
}

let provider: TracerProvider | undefined;
let connection: Connection | undefined;

/** The tracer for spans the SDK creates: `explicit`, else init()'s provider, else the global one (no-op until set up). */
export function observaTracer(explicit?: TracerProvider): Tracer {
  return (explicit ?? provider ?? trace.getTracerProvider()).getTracer(SDK_NAME, SDK_VERSION);
}

/** Called by init() (and with undefined by its shutdown). */
export function setActiveTracerProvider(next: TracerProvider | undefined): void {
  provider = next;
}

/** The connection of the most recently configured Observa processor, if any. */
export function activeConnection(): Connection | undefined {
  return connection;
}

/** Called by ObservaSpanProcessor when it is built (and with undefined by its shutdown). */
export function setActiveConnection(next: Connection | undefined): void {
  connection = next;
}
