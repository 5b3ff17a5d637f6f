/**
 * `npm start` as a user runs it: the first start on an empty data dir prints the key once; a stop and
 * a start on the same embedded stores keep every trace and span.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startCollectorProcess } from '../testing/collector-process.ts';
import { jsonSpan, otlpJson, randomTraceId } from '../testing/otlp-json.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'observa-restart-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

it('keeps everything across a restart and announces the API key only on the first start', async () => {
  // This test is about the embedded stores, so it runs on PGlite whatever TEST_DATABASE_URL says.
  const env = { OBSERVA_DATA_DIR: dataDir, DATABASE_URL: '', OBSERVA_ADMIN_PASSWORD: 'restart-password' };
  const first = await startCollectorProcess(env);
  const keyLines = first.output().split('\n').filter((line) => line.startsWith('OBSERVA_API_KEY='));
  expect(keyLines).toHaveLength(1);
  const key = keyLines[0].slice('OBSERVA_API_KEY='.length);

  const traceId = randomTraceId();
  const spans = [jsonSpan({ traceId, name: 'before restart', attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 5 } })];
  const sent = await fetch(`${first.url}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(otlpJson(spans)) });
  expect(sent.status).toBe(200);
  expect(await first.stop('SIGTERM')).toBe(0);

  const second = await startCollectorProcess(env);
  try {
    expect(second.output()).not.toContain('OBSERVA_API_KEY=');
    const detail = await (await fetch(`${second.url}/api/v1/traces/${traceId}`, { headers: { authorization: `Bearer ${key}` } })).json() as any;
    expect(detail.trace).toMatchObject({ name: 'before restart', input_tokens: 5, models: ['gpt-4o-mini'] });
    expect(detail.spans).toHaveLength(1);
    expect(detail.spans[0].model).toBe('gpt-4o-mini');
  } finally {
    await second.stop();
  }
}, 120_000);
