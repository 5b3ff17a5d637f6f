/**
 * The HS256 secret that signs API keys and dashboard sessions. OBSERVA_SECRET wins; otherwise a random
 * secret is created once and kept in Postgres, so every collector process sharing the database agrees.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

const KEY = 'jwt_signing_secret';

export async function loadSigningSecret(db: Knex, configured: string | null): Promise<Uint8Array> {
  if (configured) return new TextEncoder().encode(configured);
  await db('instance_settings')
    .insert({ key: KEY, value: randomBytes(48).toString('base64url') })
    .onConflict('key')
    .ignore();
  const row = await db('instance_settings').where({ key: KEY }).first();
  return new TextEncoder().encode(row.value);
}
