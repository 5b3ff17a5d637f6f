/** SecretBox: round trip, a fresh IV per value, and refusal of anything altered or moved. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, SecretBoxError } from './secret-box.ts';

const box = new SecretBox(new TextEncoder().encode('a deployment secret of at least thirty-two characters'));
const token = 'p.eyJ1IjogIjEyMyJ9.c2lnbmF0dXJl-ünïcode';

/** Flips one bit of the base64 part at `index` (1 iv, 2 tag, 3 ciphertext). */
function flip(sealed: string, index: number): string {
  const parts = sealed.split(':');
  const bytes = Buffer.from(parts[index], 'base64');
  bytes[0] ^= 1;
  parts[index] = bytes.toString('base64');
  return parts.join(':');
}

describe('SecretBox', () => {
  it('round-trips, as v1:<iv>:<tag>:<ciphertext> with a 12-byte IV and a new IV each time', () => {
    const sealed = box.seal(token, 'tenant-a append_token');
    expect(box.open(sealed, 'tenant-a append_token')).toBe(token);
    const [version, iv, tag, ciphertext] = sealed.split(':');
    expect(version).toBe('v1');
    expect(Buffer.from(iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(tag, 'base64')).toHaveLength(16);
    expect(Buffer.from(ciphertext, 'base64')).toHaveLength(Buffer.byteLength(token));
    expect(sealed).not.toContain(token.slice(0, 8));
    expect(box.seal(token, 'tenant-a append_token')).not.toBe(sealed);
  });

  it.each([[1, 'iv'], [2, 'auth tag'], [3, 'ciphertext']])('detects a changed %s', (index) => {
    const sealed = box.seal(token, 'ctx');
    expect(() => box.open(flip(sealed, index as number), 'ctx')).toThrow(SecretBoxError);
  });

  it('refuses another context (tenant or column), another secret and malformed values', () => {
    const sealed = box.seal(token, 'tenant-a append_token');
    expect(() => box.open(sealed, 'tenant-b append_token')).toThrow(SecretBoxError);
    expect(() => box.open(sealed, 'tenant-a admin_token')).toThrow(SecretBoxError);
    expect(() => new SecretBox(randomBytes(48)).open(sealed, 'tenant-a append_token')).toThrow(/another OBSERVA_SECRET/);
    expect(() => box.open('v2:a:b:c', 'ctx')).toThrow(SecretBoxError);
    expect(() => box.open(token, 'ctx')).toThrow(SecretBoxError);
    expect(() => box.open(`${sealed}:extra`, 'tenant-a append_token')).toThrow(SecretBoxError);
  });
});
