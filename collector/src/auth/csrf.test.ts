import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { csrfKeyFrom, csrfTokenFor, originMatchesHost } from './csrf.ts';

it('derives one stable token per session and signing key', () => {
  const key = csrfKeyFrom(randomBytes(32));
  const token = csrfTokenFor(key, 'session-a');
  expect(csrfTokenFor(key, 'session-a')).toBe(token);
  expect(csrfTokenFor(key, 'session-b')).not.toBe(token);
  expect(csrfTokenFor(csrfKeyFrom(randomBytes(32)), 'session-a')).not.toBe(token);
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
});

it('matches an Origin to the Host it was sent to, port included', () => {
  expect(originMatchesHost('https://observa.example.com', 'observa.example.com')).toBe(true);
  expect(originMatchesHost('http://127.0.0.1:4318', '127.0.0.1:4318')).toBe(true);
  expect(originMatchesHost('http://OBSERVA.example.com', 'Observa.Example.com')).toBe(true);
  expect(originMatchesHost('http://127.0.0.1:9999', '127.0.0.1:4318')).toBe(false);
  expect(originMatchesHost('https://evil.example', 'observa.example.com')).toBe(false);
  expect(originMatchesHost('null', 'observa.example.com')).toBe(false);
  expect(originMatchesHost('not a url', 'observa.example.com')).toBe(false);
});
