/** Reading `Authorization: Basic …` (RFC 7617) as the Langfuse SDKs send it, and every way it can be malformed. */
import { describe, expect, it } from 'vitest';
import { parseBasicAuthorization } from './basic-credential.ts';

const basic = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;

describe('parseBasicAuthorization', () => {
  it('splits the decoded credential at the first colon: the password may contain colons', () => {
    expect(parseBasicAuthorization(basic('0b6f-project:ey.key:with:colons'))).toEqual({ userId: '0b6f-project', password: 'ey.key:with:colons' });
  });

  it('takes the scheme in any case, extra spaces, and base64 without its padding', () => {
    const unpadded = Buffer.from('pk:sk1').toString('base64').replace(/=+$/, '');
    expect(unpadded).not.toMatch(/=$/);
    expect(parseBasicAuthorization(`basic   ${unpadded} `)).toEqual({ userId: 'pk', password: 'sk1' });
  });

  it('keeps empty parts for the caller to judge', () => {
    expect(parseBasicAuthorization(basic(':secret'))).toEqual({ userId: '', password: 'secret' });
    expect(parseBasicAuthorization(basic('public:'))).toEqual({ userId: 'public', password: '' });
  });

  it('is null for other schemes and for no header', () => {
    expect(parseBasicAuthorization('')).toBeNull();
    expect(parseBasicAuthorization('Bearer abc')).toBeNull();
    expect(parseBasicAuthorization('Basically abc')).toBeNull();
  });

  it.each([
    ['Basic', 'is empty'],
    ['Basic   ', 'is empty'],
    ['Basic not*base64!', 'is not base64'],
    ['Basic cGs6c2s=extra', 'is not base64'],
    ['Basic a', 'is not base64'],
    [`Basic ${Buffer.from([0xff, 0xfe, 0x3a]).toString('base64')}`, 'does not decode to UTF-8 text'],
    [basic('no-colon-here'), 'has no ":"'],
  ])('reports %j as malformed: the credential %s', (header, reason) => {
    const parsed = parseBasicAuthorization(header);
    expect(parsed).toHaveProperty('malformed');
    expect((parsed as { malformed: string }).malformed).toContain(reason);
  });
});
