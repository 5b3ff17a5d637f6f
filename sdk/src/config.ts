/**
 * The SDK's whole configuration, resolved in this one place: explicit options first, then the
 * environment (`OBSERVA_*` and the standard `OTEL_*` variables), then defaults. Nonsense (a malformed
 * URL, a negative size) throws an ObservaConfigError naming the option or variable. Components get
 * the resolved values and never read the environment. Every variable is in sdk/README.md.
 */
import type { Attributes } from '@opentelemetry/api';
import type { DetectorName, InitOptions, RedactHook } from './types.ts';

export type Env = Record<string, string | undefined>;

export class ObservaConfigError extends Error {
  override name = 'ObservaConfigError';
}

export const DEFAULT_ENDPOINT = 'http://localhost:4318';
export const DEFAULT_MAX_ATTRIBUTE_LENGTH = 32 * 1024;
export const DETECTORS: readonly DetectorName[] = ['email', 'phone', 'card', 'apiKey', 'bearer', 'aws'];

export interface ProcessingConfig {
  maxAttributeLength: number;
  /** The detectors switched on. */
  detectors: readonly DetectorName[];
  redact: RedactHook | undefined;
  exportOnly: 'all' | 'llm';
  llmBuffer: { maxSpans: number; timeoutMillis: number };
}

export interface BatchConfig {
  maxQueueSize: number;
  maxExportBatchSize: number;
  scheduledDelayMillis: number;
}

export interface ResolvedConfig {
  disabled: boolean;
  apiKey: string | undefined;
  /** Base URL of the collector's HTTP API (score() posts to `<endpoint>/api/v1/scores`). */
  endpoint: string;
  tracesUrl: string;
  /** Export headers, names lower-cased; `authorization` is set when there is an API key. */
  headers: Record<string, string>;
  timeoutMillis: number;
  resource: Attributes;
  registerGlobal: boolean;
  processing: ProcessingConfig;
  batch: BatchConfig;
}

/** Resolves options over the environment (explicit options win) and validates the result. */
export function resolveConfig(options: InitOptions = {}, env: Env = process.env): ResolvedConfig {
  const apiKey = nonEmpty(options.apiKey) ?? nonEmpty(env.OBSERVA_API_KEY);
  const endpoint = baseUrl(options.endpoint, 'endpoint') ?? baseUrl(env.OBSERVA_ENDPOINT, 'OBSERVA_ENDPOINT') ?? baseUrl(env.OTEL_EXPORTER_OTLP_ENDPOINT, 'OTEL_EXPORTER_OTLP_ENDPOINT') ?? DEFAULT_ENDPOINT;
  // The signal-specific variable is a complete URL (OTel spec); an explicit endpoint still wins.
  const tracesUrl = options.endpoint === undefined ? (httpUrl(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? `${endpoint}/v1/traces`) : `${endpoint}/v1/traces`;

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...keyValueList(env.OTEL_EXPORTER_OTLP_HEADERS, 'OTEL_EXPORTER_OTLP_HEADERS'), ...options.headers })) {
    headers[name.toLowerCase()] = value;
  }
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;

  return {
    disabled: options.disabled ?? bool(env.OTEL_SDK_DISABLED, 'OTEL_SDK_DISABLED') ?? false,
    apiKey,
    endpoint,
    tracesUrl,
    headers,
    timeoutMillis: positive(options.timeoutMillis ?? env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT ?? env.OTEL_EXPORTER_OTLP_TIMEOUT, 'timeoutMillis', 10_000),
    resource: resource(options, env),
    registerGlobal: options.registerGlobal ?? true,
    processing: {
      maxAttributeLength: positive(options.maxAttributeLength ?? env.OBSERVA_MAX_ATTRIBUTE_LENGTH, 'maxAttributeLength', DEFAULT_MAX_ATTRIBUTE_LENGTH),
      detectors: detectors(options.redaction, env.OBSERVA_REDACTION),
      redact: options.redact,
      exportOnly: exportOnly(options.exportOnly ?? nonEmpty(env.OBSERVA_EXPORT_ONLY)),
      llmBuffer: {
        maxSpans: positive(options.llmBuffer?.maxSpans, 'llmBuffer.maxSpans', 2048),
        timeoutMillis: positive(options.llmBuffer?.timeoutMillis, 'llmBuffer.timeoutMillis', 5 * 60_000),
      },
    },
    batch: batch(options, env),
  };
}

function resource(options: InitOptions, env: Env): Attributes {
  const attributes: Attributes = { ...keyValueList(env.OTEL_RESOURCE_ATTRIBUTES, 'OTEL_RESOURCE_ATTRIBUTES'), ...options.resourceAttributes };
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined) attributes[key] = value;
  };
  set('service.name', nonEmpty(options.serviceName) ?? nonEmpty(env.OTEL_SERVICE_NAME));
  set('deployment.environment.name', nonEmpty(options.environment) ?? nonEmpty(env.OBSERVA_ENVIRONMENT));
  set('service.version', nonEmpty(options.release) ?? nonEmpty(env.OBSERVA_RELEASE));
  return attributes;
}

function batch(options: InitOptions, env: Env): BatchConfig {
  const maxQueueSize = positive(options.batch?.maxQueueSize ?? env.OTEL_BSP_MAX_QUEUE_SIZE, 'batch.maxQueueSize', 2048);
  const maxExportBatchSize = positive(options.batch?.maxExportBatchSize ?? env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE, 'batch.maxExportBatchSize', 512);
  if (maxExportBatchSize > maxQueueSize) throw new ObservaConfigError(`batch.maxExportBatchSize (${maxExportBatchSize}) must not exceed batch.maxQueueSize (${maxQueueSize})`);
  return {
    maxQueueSize,
    maxExportBatchSize,
    scheduledDelayMillis: positive(options.batch?.scheduledDelayMillis ?? env.OTEL_BSP_SCHEDULE_DELAY, 'batch.scheduledDelayMillis', 5000),
  };
}

/** `false` = none, `true`/absent = all, an object switches single detectors; the env takes `off`, `all` or a list. */
function detectors(option: InitOptions['redaction'], raw: string | undefined): readonly DetectorName[] {
  if (option === false) return [];
  if (option === true) return DETECTORS;
  if (option !== undefined) {
    for (const name of Object.keys(option)) {
      if (!DETECTORS.includes(name as DetectorName)) throw new ObservaConfigError(`redaction: unknown detector "${name}" (known: ${DETECTORS.join(', ')})`);
    }
    return DETECTORS.filter((name) => option[name] !== false);
  }
  const text = nonEmpty(raw)?.toLowerCase();
  if (text === undefined || text === 'all' || text === 'on' || text === 'true') return DETECTORS;
  if (text === 'off' || text === 'none' || text === 'false') return [];
  const names = text.split(',').map((name) => name.trim()).filter(Boolean);
  return names.map((name) => {
    const known = DETECTORS.find((detector) => detector.toLowerCase() === name);
    if (!known) throw new ObservaConfigError(`OBSERVA_REDACTION: unknown detector "${name}" (use off, all or a list of ${DETECTORS.join(', ')})`);
    return known;
  });
}

function exportOnly(value: string | undefined): 'all' | 'llm' {
  if (value === undefined || value === 'all' || value === 'llm') return value ?? 'all';
  throw new ObservaConfigError(`exportOnly must be "all" or "llm", got "${value}"`);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function httpUrl(value: string | undefined, name: string): string | undefined {
  const text = nonEmpty(value);
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ObservaConfigError(`${name} is not a valid URL: "${text}" (expected e.g. http://localhost:4318)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ObservaConfigError(`${name} must be an http(s) URL, got "${text}"`);
  return text;
}

/** A validated URL without trailing slashes, so paths append cleanly. */
function baseUrl(value: string | undefined, name: string): string | undefined {
  return httpUrl(value, name)?.replace(/\/+$/, '');
}

function positive(value: number | string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new ObservaConfigError(`${name} must be a positive integer, got "${value}"`);
  return number;
}

function bool(value: string | undefined, name: string): boolean | undefined {
  const text = nonEmpty(value)?.toLowerCase();
  if (text === undefined) return undefined;
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new ObservaConfigError(`${name} must be true or false, got "${value}"`);
}

/** `k=v,k2=v2` with URL-encoded keys and values (OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES). */
function keyValueList(raw: string | undefined, name: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of (raw ?? '').split(',')) {
    if (entry.trim() === '') continue;
    const at = entry.indexOf('=');
    if (at <= 0) throw new ObservaConfigError(`${name}: expected key=value pairs separated by commas, got "${entry.trim()}"`);
    try {
      result[decodeURIComponent(entry.slice(0, at).trim())] = decodeURIComponent(entry.slice(at + 1).trim());
    } catch {
      throw new ObservaConfigError(`${name}: "${entry.trim()}" is not URL-encoded correctly`);
    }
  }
  return result;
}
