import { describe, expect, it } from 'vitest';
import { safeNext } from './login-page.tsx';

const origin = 'https://observa.example';

describe('where sign-in goes next', () => {
  it('follows a path on this site, with its query', () => {
    expect(safeNext('/projects/p1/traces?model=gpt-4o', origin)).toBe('/projects/p1/traces?model=gpt-4o');
    expect(safeNext('/invitations/abc', origin)).toBe('/invitations/abc');
  });

  it('goes home for anything that would leave the site or is missing', () => {
    for (const next of [undefined, '', 'https://evil.test/', '//evil.test/x', '/\\evil.test/x', '/\\/evil.test', 'javascript:alert(1)', 'projects']) {
      expect(safeNext(next, origin)).toBe('/');
    }
  });
});
