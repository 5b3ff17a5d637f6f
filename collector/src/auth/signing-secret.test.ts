/**
 * The deployment secret: where it comes from (OBSERVA_SECRET, the data dir's file, or a refusal to
 * start with DATABASE_URL), adoption of the secret older versions kept in Postgres, and HKDF
 * separation: a JWT signed with the raw secret is not accepted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { SignJWT, decodeJwt } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { SecretBox } from '../crypto/secret-box.ts';
import { useTestControlPlane } from '../testing/test-control-plane.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestCollector } from '../testing/test-collector.ts';
import { deriveDeploymentKeys, loadDeploymentKeys } from './signing-secret.ts';

const context = useTestControlPlane();
const dirs: string[] = [];
const LEGACY = 'jwt_signing_secret';
const POSTGRES = 'postgres://observa@db.example/observa';

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'observa-secret-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('loadDeploymentKeys', () => {
  it('uses OBSERVA_SECRET when set, in either mode, and writes no file', async () => {
    const secret = 'a configured secret of at least thirty-two characters';
    const dataDir = tempDir();
    for (const databaseUrl of [null, POSTGRES]) {
      expect(await loadDeploymentKeys(context.cp.db, { secret, databaseUrl, dataDir })).toEqual(deriveDeploymentKeys(secret));
    }
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('refuses to start with DATABASE_URL and no OBSERVA_SECRET, saying what to set and why', async () => {
    const load = loadDeploymentKeys(context.cp.db, { secret: null, databaseUrl: POSTGRES, dataDir: tempDir() });
    await expect(load).rejects.toThrow(ConfigError);
    await expect(load).rejects.toThrow(/OBSERVA_SECRET is required when DATABASE_URL is set: every collector process sharing the database must use the same secret/);
  });

  it('generates <dataDir>/secret once (mode 0600) in embedded mode and reuses it', async () => {
    const dataDir = tempDir();
    const config = { secret: null, databaseUrl: null, dataDir };
    const starts = await Promise.all([1, 2, 3].map(() => loadDeploymentKeys(context.cp.db, config)));
    const file = path.join(dataDir, 'secret');
    const secret = fs.readFileSync(file, 'utf8').trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    for (const keys of starts) expect(keys).toEqual(deriveDeploymentKeys(secret));
    expect(await loadDeploymentKeys(context.cp.db, config)).toEqual(deriveDeploymentKeys(secret));
    expect(fs.readdirSync(dataDir)).toEqual(['secret']);
    // Another data dir is another instance: another secret.
    expect(await loadDeploymentKeys(context.cp.db, { ...config, dataDir: tempDir() })).not.toEqual(starts[0]);
  });

  it('refuses a secret file that was cut short', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'secret'), 'too short\n');
    await expect(loadDeploymentKeys(context.cp.db, { secret: null, databaseUrl: null, dataDir })).rejects.toThrow(/holds fewer than 32 characters/);
  });

  it("adopts an older version's secret from instance_settings into the file and removes it from the database", async () => {
    const { db } = context.cp;
    const legacy = randomBytes(48).toString('base64url');
    await db('instance_settings').insert({ key: LEGACY, value: legacy });
    // Tokens sealed by the older version (its box took the raw secret) stay readable.
    const sealed = new SecretBox(new TextEncoder().encode(legacy)).seal('p.tenant-token', 'tenant-1 append_token');

    // With DATABASE_URL the refusal points at the stored value, which stays until OBSERVA_SECRET takes it over.
    await expect(loadDeploymentKeys(db, { secret: null, databaseUrl: POSTGRES, dataDir: tempDir() })).rejects.toThrow(/instance_settings key "jwt_signing_secret"/);
    expect(await db('instance_settings').where({ key: LEGACY }).first()).toBeDefined();

    const dataDir = tempDir();
    const keys = await loadDeploymentKeys(db, { secret: null, databaseUrl: null, dataDir });
    expect(keys).toEqual(deriveDeploymentKeys(legacy));
    expect(fs.readFileSync(path.join(dataDir, 'secret'), 'utf8').trim()).toBe(legacy);
    expect(await db('instance_settings').where({ key: LEGACY }).first()).toBeUndefined();
    expect(new SecretBox(keys.secretBox).open(sealed, 'tenant-1 append_token')).toBe('p.tenant-token');
  });

  it('removes the stored copy once OBSERVA_SECRET holds the same value, and keeps it otherwise', async () => {
    const { db } = context.cp;
    const legacy = randomBytes(48).toString('base64url');
    await db('instance_settings').insert({ key: LEGACY, value: legacy });
    await loadDeploymentKeys(db, { secret: 'another secret of at least thirty-two characters', databaseUrl: POSTGRES, dataDir: tempDir() });
    expect(await db('instance_settings').where({ key: LEGACY }).first()).toBeDefined();
    await loadDeploymentKeys(db, { secret: legacy, databaseUrl: POSTGRES, dataDir: tempDir() });
    expect(await db('instance_settings').where({ key: LEGACY }).first()).toBeUndefined();
  });

  it('derives a 32-byte JWT key that is neither the secret nor shared with another secret', () => {
    const secret = 'a configured secret of at least thirty-two characters';
    const keys = deriveDeploymentKeys(secret);
    expect(keys.jwtSigning).toHaveLength(32);
    expect(Buffer.from(keys.jwtSigning).toString()).not.toBe(secret);
    expect(Buffer.from(keys.jwtSigning).equals(Buffer.from(keys.secretBox))).toBe(false);
    expect(deriveDeploymentKeys(`${secret}!`).jwtSigning).not.toEqual(keys.jwtSigning);
  });

  it('keeps OBSERVA_SECRET of fewer than 32 characters a configuration error', () => {
    expect(() => loadConfig({ OBSERVA_SECRET: 'short' })).toThrow(ConfigError);
  });
});

describe('HKDF separation on a running collector', () => {
  it('accepts tokens signed with the derived key and refuses the same claims signed with the raw secret', async () => {
    const secret = randomBytes(32).toString('base64url');
    const collector = await startTestCollector({ env: { OBSERVA_SECRET: secret } });
    try {
      const login = await fetch(`${collector.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }) });
      const session = ((await login.json()) as any).token as string;
      const resign = (token: string, key: Uint8Array) => new SignJWT(decodeJwt(token)).setProtectedHeader({ alg: 'HS256' }).sign(key);
      const projects = async (token: string) => (await collector.request('/api/v1/projects', { headers: { authorization: `Bearer ${token}` } })).status;

      for (const token of [session, collector.apiKey]) {
        expect(await projects(token)).toBe(200);
        expect(await projects(await resign(token, deriveDeploymentKeys(secret).jwtSigning))).toBe(200);
        expect(await projects(await resign(token, new TextEncoder().encode(secret)))).toBe(401);
      }
    } finally {
      await collector.close();
    }
  }, 60_000);
});
