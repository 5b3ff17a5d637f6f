/**
 * The SDK's public types: options, the init() handle and the helpers' inputs. Internal types
 * (resolved config, processing state) live beside the code that uses them and are not exported
 * from the package.
 */
import type { Attributes, TracerProvider } from '@opentelemetry/api';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** The canonical span types the collector knows (`observa.span.type`). */
export type SpanType =
  | 'agent' | 'tool' | 'chain' | 'retrieval' | 'embedding' | 'reranker' | 'guardrail' | 'evaluator' | 'llm' | 'span';

/** The built-in redaction detectors, each replacing a match with `[REDACTED:<kind>]`. */
export type DetectorName = 'email' | 'phone' | 'card' | 'apiKey' | 'bearer' | 'aws';

/** Per-detector switches; a detector not named keeps its default (on). */
export type RedactionOptions = Partial<Record<DetectorName, boolean>>;

/** A span as the `redact` hook sees it: copies of its attributes and event attributes, to change in place. */
export interface RedactableSpan {
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  attributes: Attributes;
  readonly events: ReadonlyArray<{ readonly name: string; attributes: Attributes }>;
}

/**
 * Runs after the built-in detectors, before export. Keys whose value it changes or removes are
 * listed in `observa.redacted`. If it throws, the span is dropped (counted), never exported unredacted.
 */
export type RedactHook = (span: RedactableSpan) => void;

/** Where the collector is and how to authenticate. */
export interface ConnectionOptions {
  /** Observa API key, sent as `Authorization: Bearer <key>`. Env: OBSERVA_API_KEY. */
  apiKey?: string;
  /** Collector base URL; spans go to `<endpoint>/v1/traces`. Env: OBSERVA_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT. Default http://localhost:4318. */
  endpoint?: string;
  /** Extra HTTP headers for every export (merged over OTEL_EXPORTER_OTLP_HEADERS). */
  headers?: Record<string, string>;
  /** Time budget of one export, retries included. Env: OTEL_EXPORTER_OTLP_TIMEOUT. Default 10000. */
  timeoutMillis?: number;
}

/** How spans are processed before export. */
export interface ProcessingOptions {
  /** Longest string attribute kept, in characters; longer ones end in `…[truncated N chars]`. Default 32768. */
  maxAttributeLength?: number;
  /** `false` turns every detector off; an object switches single ones. Env: OBSERVA_REDACTION. Default: all on. */
  redaction?: boolean | RedactionOptions;
  /** Your own redaction, applied to every span after the built-in detectors. */
  redact?: RedactHook;
  /** `'llm'` exports only LLM-relevant spans and their ancestors. Env: OBSERVA_EXPORT_ONLY. Default `'all'`. */
  exportOnly?: 'all' | 'llm';
  /** Bounds of the buffer `exportOnly: 'llm'` keeps for possible ancestors. */
  llmBuffer?: { maxSpans?: number; timeoutMillis?: number };
  /** The export queue (a BatchSpanProcessor). Env: OTEL_BSP_MAX_QUEUE_SIZE, OTEL_BSP_SCHEDULE_DELAY, OTEL_BSP_MAX_EXPORT_BATCH_SIZE. */
  batch?: { maxQueueSize?: number; maxExportBatchSize?: number; scheduledDelayMillis?: number };
}

/** Options of the drop-in `ObservaSpanProcessor`. */
export interface ObservaSpanProcessorOptions extends ConnectionOptions, ProcessingOptions {
  /** Ship processed spans with this exporter instead of OTLP/HTTP to the endpoint (tests, custom transports). */
  exporter?: SpanExporter;
  /** Turn the processor into a no-op. Env: OTEL_SDK_DISABLED. */
  disabled?: boolean;
}

/** Options of `init()`. */
export interface InitOptions extends ObservaSpanProcessorOptions {
  /** `service.name`. Env: OTEL_SERVICE_NAME. */
  serviceName?: string;
  /** `deployment.environment.name`. Env: OBSERVA_ENVIRONMENT. */
  environment?: string;
  /** `service.version`. Env: OBSERVA_RELEASE. */
  release?: string;
  /** More resource attributes, over OTEL_RESOURCE_ATTRIBUTES. */
  resourceAttributes?: Attributes;
  /** Register the provider, an AsyncLocalStorage context manager and W3C propagators globally. Default true. */
  registerGlobal?: boolean;
  /** Your own processors, run beside Observa's. */
  spanProcessors?: SpanProcessor[];
}

/** Spans dropped so far, by reason. */
export interface DropCounts {
  /** The collector refused or could not be reached. */
  export_failed: number;
  /** The export queue was full. */
  queue_full: number;
  /** The `exportOnly: 'llm'` buffer was full. */
  buffer_full: number;
  /** The `redact` hook threw. */
  redact_failed: number;
}

/** What `init()` returns. */
export interface ObservaHandle {
  readonly tracerProvider: TracerProvider;
  /** Exports every finished span now. Never rejects. */
  flush(): Promise<void>;
  /** Flushes, stops exporting and unregisters the globals init() registered. Never rejects; safe to call twice. */
  shutdown(): Promise<void>;
  /** Spans dropped so far (the collector down, a full queue, ...). */
  droppedSpans(): DropCounts;
}

/** Options of `observe()`. */
export interface ObserveOptions {
  /** The span's canonical type (`observa.span.type`). */
  type?: SpanType;
  /** Record the arguments as `observa.input`. Default true. */
  captureInput?: boolean;
  /** Record the result (or the yielded values) as `observa.output`. Default true. */
  captureOutput?: boolean;
}

/** A chat message: the OTel GenAI `{role, parts}` shape or the OpenAI `{role, content}` shape. */
export interface GenerationMessage {
  role: string;
  content?: string | null | ReadonlyArray<Record<string, unknown>>;
  parts?: ReadonlyArray<Record<string, unknown>>;
  [key: string]: unknown;
}

/** Token counts of one model call, in the OTel sense: input includes cached tokens, output includes reasoning. */
export interface GenerationUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
}

/** One model call recorded by hand (`recordGeneration`). */
export interface GenerationInput {
  /** Span name. Default `chat <model>`. */
  name?: string;
  model: string;
  /** Provider, e.g. `openai`, `anthropic`, `aws.bedrock` (other spellings are normalised). */
  provider: string;
  /** `gen_ai.operation.name`. Default `chat`. */
  operation?: string;
  input?: string | ReadonlyArray<GenerationMessage>;
  output?: string | ReadonlyArray<GenerationMessage>;
  usage?: GenerationUsage;
  finishReason?: string;
  startTime?: Date | number;
  endTime?: Date | number;
  timeToFirstTokenMs?: number;
  /** The call failed: the span gets ERROR status and an exception event. */
  error?: unknown;
  /** More attributes for the span. */
  attributes?: Attributes;
}

/** The ids of a span, for `score()`. */
export interface SpanRef {
  traceId: string;
  spanId: string;
}

/** A score (user feedback, an evaluation) on a trace or one of its spans. */
export interface ScoreInput {
  traceId: string;
  spanId?: string;
  name: string;
  value: number | boolean | string;
  comment?: string;
  /** A UUID: sending the same id again updates the score. */
  id?: string;
}
