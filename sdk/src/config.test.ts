import { describe, expect, it } from 'vitest';
import { DETECTORS, ObservaConfigError, resolveConfig } from './config.ts';

describe('resolveConfig', () => {
  it('defaults to a local collector without auth', () => {
    const config = resolveConfig({}, {});
    expect(config).toMatchObject({
      disabled: false,
      apiKey: undefined,
      endpoint: 'http://localhost:4318',
      tracesUrl: 'http://localhost:4318/v1/traces',
      headers: {},
      timeoutMillis: 10_000,
      registerGlobal: true,
      resource: {},
      batch: { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000 },
      processing: { maxAttributeLength: 32768, detectors: DETECTORS, exportOnly: 'all', llmBuffer: { maxSpans: 2048, timeoutMillis: 300_000 } },
    });
  });

  it('reads OBSERVA_* and the standard OTEL_* variables', () => {
    const config = resolveConfig({}, {
      OBSERVA_API_KEY: 'key-from-env',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com:4318/',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-team=ml%20platform, X-Trace-Debug=1',
      OTEL_SERVICE_NAME: 'checkout',
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=ignored,deployment.environment.name=staging,team=a%2Cb',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
      OTEL_BSP_MAX_QUEUE_SIZE: '100',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '50',
      OBSERVA_RELEASE: 'v1.2.3',
      OBSERVA_EXPORT_ONLY: 'llm',
      OBSERVA_MAX_ATTRIBUTE_LENGTH: '1000',
      OBSERVA_REDACTION: 'email, card',
    });
    expect(config.tracesUrl).toBe('https://otel.example.com:4318/v1/traces');
    expect(config.endpoint).toBe('https://otel.example.com:4318');
    expect(config.headers).toEqual({ 'x-team': 'ml platform', 'x-trace-debug': '1', authorization: 'Bearer key-from-env' });
    expect(config.resource).toEqual({ 'service.name': 'checkout', 'deployment.environment.name': 'staging', team: 'a,b', 'service.version': 'v1.2.3' });
    expect(config.timeoutMillis).toBe(2500);
    expect(config.batch).toMatchObject({ maxQueueSize: 100, maxExportBatchSize: 50 });
    expect(config.processing).toMatchObject({ exportOnly: 'llm', maxAttributeLength: 1000, detectors: ['email', 'card'] });
  });

  it('takes the signal-specific traces endpoint as a complete URL, and OBSERVA_ENDPOINT over the generic one', () => {
    const env = { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://gateway:9000/custom/traces', OBSERVA_ENDPOINT: 'http://observa:4318', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318' };
    const config = resolveConfig({}, env);
    expect(config.tracesUrl).toBe('http://gateway:9000/custom/traces');
    expect(config.endpoint).toBe('http://observa:4318');
  });

  it('lets explicit options win over the environment', () => {
    const env = {
      OBSERVA_API_KEY: 'env-key',
      OBSERVA_ENDPOINT: 'http://env:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://env-traces:4318/v1/traces',
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Basic%20abc,x-a=env',
      OTEL_SERVICE_NAME: 'env-service',
      OTEL_SDK_DISABLED: 'true',
      OBSERVA_REDACTION: 'off',
    };
    const config = resolveConfig(
      { apiKey: 'option-key', endpoint: 'http://option:4318', headers: { 'X-A': 'option' }, serviceName: 'option-service', environment: 'prod', disabled: false, redaction: { phone: false } },
      env,
    );
    expect(config.tracesUrl).toBe('http://option:4318/v1/traces');
    expect(config.headers).toEqual({ authorization: 'Bearer option-key', 'x-a': 'option' });
    expect(config.resource).toEqual({ 'service.name': 'option-service', 'deployment.environment.name': 'prod' });
    expect(config.disabled).toBe(false);
    expect(config.processing.detectors).toEqual(['email', 'card', 'apiKey', 'bearer', 'aws']);
  });

  it('honours OTEL_SDK_DISABLED and redaction switched off', () => {
    expect(resolveConfig({}, { OTEL_SDK_DISABLED: 'TRUE' }).disabled).toBe(true);
    expect(resolveConfig({ redaction: false }, {}).processing.detectors).toEqual([]);
    expect(resolveConfig({}, { OBSERVA_REDACTION: 'none' }).processing.detectors).toEqual([]);
  });

  it.each([
    [{ endpoint: 'localhost:4318' }, {}, /endpoint must be an http\(s\) URL/],
    [{ endpoint: 'not a url' }, {}, /endpoint is not a valid URL/],
    [{}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://x' }, /OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/],
    [{}, { OTEL_EXPORTER_OTLP_HEADERS: 'novalue' }, /OTEL_EXPORTER_OTLP_HEADERS: expected key=value/],
    [{}, { OTEL_RESOURCE_ATTRIBUTES: 'a=%E0%A4%A' }, /not URL-encoded correctly/],
    [{}, { OTEL_SDK_DISABLED: 'yes' }, /OTEL_SDK_DISABLED must be true or false/],
    [{ maxAttributeLength: 0 }, {}, /maxAttributeLength must be a positive integer/],
    [{}, { OTEL_BSP_MAX_QUEUE_SIZE: 'lots' }, /batch.maxQueueSize must be a positive integer/],
    [{ batch: { maxQueueSize: 10, maxExportBatchSize: 20 } }, {}, /must not exceed/],
    [{ exportOnly: 'gen_ai' as 'llm' }, {}, /exportOnly must be "all" or "llm"/],
    [{ redaction: { ssn: true } as never }, {}, /unknown detector "ssn"/],
    [{}, { OBSERVA_REDACTION: 'email,ssn' }, /OBSERVA_REDACTION: unknown detector "ssn"/],
  ])('rejects nonsense: %j %j', (options, env, message) => {
    expect(() => resolveConfig(options, env)).toThrow(ObservaConfigError);
    expect(() => resolveConfig(options, env)).toThrow(message);
  });
});
