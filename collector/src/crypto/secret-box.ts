/**
 * Encrypts small secrets (third-party tokens) for storage: AES-256-GCM with a random 12-byte IV per
 * value, stored as `v1:<iv>:<tag>:<ciphertext>` (base64). The key is derived with HKDF, under this
 * box's own label, from the deployment secret (auth/signing-secret.ts), which never lives in the
 * database: OBSERVA_SECRET, or the data directory's `secret` file in embedded mode. A database dump
 * alone therefore reveals no token. The `context` (for example "tenant 1234 append_token") is bound
 * as additional authenticated data: a value copied to another tenant or column does not decrypt.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const SALT = 'observa secret box v1';
const INFO = 'observa tenant analytics tokens';

/** A stored value that does not decrypt: tampered, bound to another context, or sealed under another secret. */
export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

export class SecretBox {
  private readonly key: Buffer;

  /** `secret`: the deployment secret's bytes (DeploymentKeys.secretBox); the AES key is derived from it. */
  constructor(secret: Uint8Array) {
    this.key = Buffer.from(hkdfSync('sha256', secret, SALT, INFO, 32));
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64'))).join(':');
  }

  open(sealed: string, context: string): string {
    const [version, iv, tag, ciphertext, extra] = sealed.split(':');
    if (version !== VERSION || ciphertext === undefined || extra !== undefined) throw new SecretBoxError(`not a ${VERSION} sealed value`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'), { authTagLength: 16 });
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      // GCM says only "unable to authenticate"; the likely causes are what an operator needs.
      throw new SecretBoxError('sealed value does not decrypt: tampered, or sealed under another OBSERVA_SECRET');
    }
  }
}
