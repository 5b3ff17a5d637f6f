/**
 * The deployment secret and the keys derived from it. One secret, several purposes, each with its own
 * HKDF-derived key, so a key that leaks from one use (a sealed-token key, a JWT key) reveals nothing
 * about the secret or the other keys.
 *
 * Where the secret comes from:
 * - OBSERVA_SECRET (at least 32 characters) when set;
 * - embedded mode (no DATABASE_URL): `<dataDir>/secret`, generated on the first start (mode 0600),
 *   beside the PGlite data it protects;
 * - with DATABASE_URL and no OBSERVA_SECRET the collector refuses to start: every process sharing the
 *   database must sign and verify with the same secret, and keeping it in that database would put the
 *   key that seals stored tokens next to the tokens.
 * Older versions kept a generated secret in `instance_settings`; an embedded start adopts it into the
 * file (so sealed tokens stay readable) and removes it from the database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { hkdfSync, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { ConfigError, type Config } from '../config.ts';

export const MIN_SECRET_LENGTH = 32;
const LEGACY_SETTING = 'jwt_signing_secret';
const JWT_SALT = 'observa deployment keys v1';
const JWT_INFO = 'observa jwt signing (api keys, sessions)';

export interface DeploymentKeys {
  /** HS256 key that signs and verifies API keys and dashboard sessions. */
  jwtSigning: Uint8Array;
  /** Key material for SecretBox, which derives its own AES key under its own HKDF label. */
  secretBox: Uint8Array;
}

/** The keys for one secret: the JWT key is HKDF(secret), never the secret itself. */
export function deriveDeploymentKeys(secret: string): DeploymentKeys {
  const material = new TextEncoder().encode(secret);
  return {
    jwtSigning: new Uint8Array(hkdfSync('sha256', material, JWT_SALT, JWT_INFO, 32)),
    secretBox: material,
  };
}

export async function loadDeploymentKeys(db: Knex, config: Pick<Config, 'secret' | 'databaseUrl' | 'dataDir'>): Promise<DeploymentKeys> {
  return deriveDeploymentKeys(await loadDeploymentSecret(db, config));
}

async function loadDeploymentSecret(db: Knex, config: Pick<Config, 'secret' | 'databaseUrl' | 'dataDir'>): Promise<string> {
  const legacy: string | undefined = (await db('instance_settings').where({ key: LEGACY_SETTING }).first('value'))?.value;
  const secret = config.secret ?? (config.databaseUrl ? refuseWithoutSecret(legacy) : readOrCreateSecretFile(path.join(config.dataDir, 'secret'), legacy));
  // Once adopted (into the file or OBSERVA_SECRET), a copy in the database would let a dump unseal the stored tokens.
  if (legacy === secret) await db('instance_settings').where({ key: LEGACY_SETTING }).delete();
  return secret;
}

function refuseWithoutSecret(legacy: string | undefined): never {
  const upgrade = legacy
    ? ` This database still holds the secret an older version generated (instance_settings key "${LEGACY_SETTING}"); set OBSERVA_SECRET to that value to keep its stored Tinybird tokens readable.`
    : '';
  throw new ConfigError(
    `OBSERVA_SECRET is required when DATABASE_URL is set: every collector process sharing the database must use the same secret to sign and verify API keys and sessions, and it must not live in that database. Set it to the same random value of at least ${MIN_SECRET_LENGTH} characters on every process (for example the output of \`openssl rand -base64 48\`).${upgrade}`,
  );
}

/**
 * Reads the secret file, or creates it with the legacy secret or a new random one. Creation writes a
 * private temp file and hard-links it into place, which fails if the file appeared meanwhile, so
 * concurrent starts all end up reading the one secret that won.
 */
function readOrCreateSecretFile(file: string, legacy: string | undefined): string {
  if (!fs.existsSync(file)) {
    const candidate = legacy ?? randomBytes(48).toString('base64url');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const fd = fs.openSync(temp, 'wx', 0o600);
    try {
      fs.writeSync(fd, `${candidate}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    try {
      fs.linkSync(temp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`${file} holds fewer than ${MIN_SECRET_LENGTH} characters: restore it from a backup, or set OBSERVA_SECRET`);
  }
  return secret;
}
