/**
 * OBSERVA_SECRET for test collectors on a Postgres server (required there; embedded mode keeps one in
 * the data dir). One secret per database URL, so a restart on the same database keeps keys valid.
 */
import { randomBytes } from 'node:crypto';

const secrets = new Map<string, string>();

export function testSecretFor(databaseUrl: string): string {
  let secret = secrets.get(databaseUrl);
  if (!secret) {
    secret = randomBytes(32).toString('base64url');
    secrets.set(databaseUrl, secret);
  }
  return secret;
}
