import { describe, expect, it } from 'vitest';
import { containsAnyLiteral, containsDigit } from './text-search.ts';

describe('containsDigit', () => {
  it.each([
    ['', false],
    ['no digits at all', false],
    ['9', true],
    ['ends in 0', true],
    ['wide ＡＢ７', false], // a full-width digit is no ASCII digit
  ])('%j -> %s', (text, expected) => {
    expect(containsDigit(text)).toBe(expected);
  });
});

describe('containsAnyLiteral', () => {
  const test = containsAnyLiteral(['sk-', 'eyJ', 'AKIA', 'aws_secret_access_key', 'xoxb-', 'plain']);

  it.each([
    ['sk-abc', true], // literal at the very start: its anchor sits at its offset
    ['k-abc', false], // anchor found, literal would start before the text
    ['ask-me', true],
    ['a-b_c-d', false],
    ['token eyJhb', true],
    ['JSON ey J', false],
    ['id AKIAXYZ', true],
    ['aws_secret_access_key=', true],
    ['aws_secret_other', false],
    ['xoxb-1', true],
    ['xoxq-1', false],
    ['a plain word', true], // no rare character: located by its first one
    ['', false],
  ])('%j -> %s', (text, expected) => {
    expect(test(text)).toBe(expected);
  });
});
