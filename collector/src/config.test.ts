/** Configuration of the analytics backend: chDB by default, Tinybird with its variables checked at start. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const tinybird = { OBSERVA_ANALYTICS: 'tinybird', TINYBIRD_HOST: 'https://api.tinybird.co/', TINYBIRD_ADMIN_TOKEN: 'p.admin', TINYBIRD_WORKSPACE_ID: 'ws-1' };

describe('analytics configuration', () => {
  it('defaults to chDB and reads no Tinybird variable', () => {
    expect(loadConfig({ TINYBIRD_HOST: 'not checked' })).toMatchObject({ analytics: 'chdb', tinybird: null });
  });

  it('reads the Tinybird workspace and limits; the append token defaults to the admin token', () => {
    expect(loadConfig(tinybird)).toMatchObject({
      analytics: 'tinybird',
      tinybird: { host: 'https://api.tinybird.co', appendToken: 'p.admin', adminToken: 'p.admin', workspaceId: 'ws-1', batchRows: 5000, batchBytes: 8 * 1024 * 1024, timeoutMs: 30_000 },
    });
    expect(loadConfig({ ...tinybird, TINYBIRD_APPEND_TOKEN: 'p.append', TINYBIRD_BATCH_ROWS: '1000', TINYBIRD_BATCH_BYTES: '4MiB', TINYBIRD_TIMEOUT_MS: '5000' }).tinybird).toMatchObject({
      appendToken: 'p.append', batchRows: 1000, batchBytes: 4 * 1024 * 1024, timeoutMs: 5000,
    });
  });

  it.each([
    [{ OBSERVA_ANALYTICS: 'clickhouse' }, 'OBSERVA_ANALYTICS must be chdb or tinybird'],
    [{ ...tinybird, TINYBIRD_HOST: '' }, 'TINYBIRD_HOST is required when OBSERVA_ANALYTICS=tinybird'],
    [{ ...tinybird, TINYBIRD_ADMIN_TOKEN: ' ' }, 'TINYBIRD_ADMIN_TOKEN is required'],
    [{ ...tinybird, TINYBIRD_WORKSPACE_ID: undefined }, 'TINYBIRD_WORKSPACE_ID is required'],
    [{ ...tinybird, TINYBIRD_HOST: 'api.tinybird.co' }, 'TINYBIRD_HOST must be an http(s) URL'],
    [{ ...tinybird, TINYBIRD_BATCH_BYTES: '11MiB' }, 'TINYBIRD_BATCH_BYTES must be between 1 and 10MiB'],
    [{ ...tinybird, TINYBIRD_BATCH_ROWS: '0' }, 'TINYBIRD_BATCH_ROWS must be an integer >= 1'],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('ingestion bounds', () => {
  it('derives the in-flight bytes from the body limit and a positive memory bound by default', () => {
    const config = loadConfig({ OBSERVA_MAX_BODY_BYTES: '1048576' });
    expect(config.inFlight).toEqual({ maxBodies: 100, maxBytes: 4 * 1024 * 1024 });
    expect(config.backpressure.maxMemoryBytes).toBeGreaterThan(0);
    expect(config.backpressure).toMatchObject({ maxOutboxRows: 200_000, maxOutboxBytes: 1024 ** 3 });
  });

  it('refuses a headers timeout longer than the request timeout, naming both', () => {
    expect(() => loadConfig({ OBSERVA_HEADERS_TIMEOUT_MS: '60000', OBSERVA_REQUEST_TIMEOUT_MS: '30000' })).toThrow(ConfigError);
    expect(() => loadConfig({ OBSERVA_HEADERS_TIMEOUT_MS: '60000', OBSERVA_REQUEST_TIMEOUT_MS: '30000' })).toThrow(/OBSERVA_HEADERS_TIMEOUT_MS \(60000\) must not exceed OBSERVA_REQUEST_TIMEOUT_MS \(30000\)/);
  });
});

describe('OTLP/gRPC port', () => {
  it('listens on 4317 by default, on any given port, on a free one with 0, and not at all with off', () => {
    expect(loadConfig({}).grpcPort).toBe(4317);
    expect(loadConfig({ OBSERVA_GRPC_PORT: '14317' }).grpcPort).toBe(14317);
    expect(loadConfig({ OBSERVA_GRPC_PORT: '0', OBSERVA_PORT: '0' }).grpcPort).toBe(0);
    expect(loadConfig({ OBSERVA_GRPC_PORT: 'OFF' }).grpcPort).toBeNull();
  });

  it.each([
    [{ OBSERVA_GRPC_PORT: 'grpc' }, 'OBSERVA_GRPC_PORT must be a port number (0 for any free port) or off, got "grpc"'],
    [{ OBSERVA_GRPC_PORT: '70000' }, 'OBSERVA_GRPC_PORT must be a port number'],
    [{ OBSERVA_GRPC_PORT: '4318' }, 'OBSERVA_GRPC_PORT must differ from OBSERVA_PORT (both 4318)'],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
