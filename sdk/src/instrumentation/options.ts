import type { Tracer, TracerProvider } from '@opentelemetry/api';
import { observaTracer } from '../active-sdk.ts';
import { SDK_NAME, SDK_VERSION } from '../version.ts';

export interface InstrumentationOptions {
  /**
   * Record prompts and completions (`gen_ai.input.messages`, `gen_ai.output.messages`,
   * `gen_ai.system_instructions`). Default true. Off, spans keep models, parameters, usage,
   * finish reasons and tool definitions only.
   */
  captureContent?: boolean;
  /** Where spans go. Default: the global provider, looked up at each call (so a later `init()` counts). */
  tracerProvider?: TracerProvider;
}

export interface OpenAIInstrumentationOptions extends InstrumentationOptions {
  /**
   * Streamed chat completions report usage only with `stream_options.include_usage`. When the
   * app sets no `stream_options`, the wrapper asks for usage itself and hides what that adds
   * (the final usage-only chunk and `usage: null` on every other chunk), so the app sees the
   * stream it asked for. Default true, except for Azure OpenAI, where older API versions reject
   * `stream_options`. An app that sets `stream_options` is never overridden.
   */
  streamUsage?: boolean;
}

/** The instrumentation scope of the spans: the SDK's own. */
export const TRACER_NAME = SDK_NAME;

/** Resolved once per wrap; the tracer itself is looked up per call. */
export interface Tracing {
  tracer(): Tracer;
  readonly captureContent: boolean;
}

export function tracing(options: InstrumentationOptions): Tracing {
  const provider = options.tracerProvider;
  return {
    // Without an explicit provider, the one init() set up (also with registerGlobal: false), else the global one.
    tracer: () => (provider ? provider.getTracer(TRACER_NAME, SDK_VERSION) : observaTracer()),
    captureContent: options.captureContent !== false,
  };
}
