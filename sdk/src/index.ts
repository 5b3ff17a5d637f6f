/**
 * @observa/sdk: OpenTelemetry made LLM-aware. Start fresh with init(), or add ObservaSpanProcessor /
 * createObservaExporter to an existing OpenTelemetry setup; then scope and describe the work with the
 * helpers. Only what is exported here is public.
 */
export { init } from './init.ts';
export { ObservaSpanProcessor } from './observa-span-processor.ts';
export { createObservaExporter, type ObservaExporter } from './observa-exporter.ts';
export { ObservaConfigError } from './config.ts';
export { withConversation, withMetadata, withSession, withTags, withUser } from './context-scopes.ts';
export { observe } from './observe.ts';
export { recordGeneration } from './record-generation.ts';
export { score } from './score.ts';
export { currentSpanId, currentTraceId } from './current-trace.ts';
export { wrapAnthropic, wrapOpenAI, type InstrumentationOptions, type OpenAIInstrumentationOptions } from './instrumentation/index.ts';
export type {
  ConnectionOptions,
  DetectorName,
  DropCounts,
  GenerationInput,
  GenerationMessage,
  GenerationUsage,
  InitOptions,
  ObservaHandle,
  ObservaSpanProcessorOptions,
  ObserveOptions,
  ProcessingOptions,
  RedactableSpan,
  RedactHook,
  RedactionOptions,
  ScoreInput,
  SpanRef,
  SpanType,
} from './types.ts';
