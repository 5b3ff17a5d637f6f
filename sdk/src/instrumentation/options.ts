import type { TracerProvider } from '@opentelemetry/api';

export interface InstrumentationOptions {
  /**
   * Record prompts and completions (`gen_ai.input.messages`, `gen_ai.output.messages`,
   * `gen_ai.system_instructions`). Default true. Off, spans keep models, parameters, usage,
   * finish reasons and tool definitions only.
   */
  captureContent?: boolean;
  /**
   * Where spans go. Default: the provider init() set up (also with registerGlobal: false), else the
   * global one, looked up at each call (so a later `init()` counts).
   */
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
