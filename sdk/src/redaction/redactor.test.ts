import { describe, expect, it } from 'vitest';
import { DETECTORS } from '../config.ts';
import { passesLuhn } from './luhn.ts';
import { Redactor } from './redactor.ts';

const all = new Redactor(DETECTORS);

describe('built-in detectors', () => {
  it.each([
    ['email', 'write to jane.doe+ai@example.co.uk today', 'write to [REDACTED:email] today'],
    ['phone (international)', 'call +44 20 7946 0958 now', 'call [REDACTED:phone] now'],
    ['phone (compact international)', 'sms +4915112345678.', 'sms [REDACTED:phone].'],
    ['phone (North American)', 'cell: (555) 123-4567, office 555.987.6543', 'cell: [REDACTED:phone], office [REDACTED:phone]'],
    ['card (Visa, spaced)', 'card 4111 1111 1111 1111 exp 12/29', 'card [REDACTED:card] exp 12/29'],
    ['card (Amex, dashed)', 'amex 3782-822463-10005', 'amex [REDACTED:card]'],
    ['card (Mastercard)', 'pay with 5555555555554444', 'pay with [REDACTED:card]'],
    ['OpenAI key', 'key=sk-proj-AbCdEf0123456789AbCdEf0123', 'key=[REDACTED:api_key]'],
    ['Anthropic key', 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345', '[REDACTED:api_key]'],
    ['GitHub token', 'token ghp_0123456789abcdefghijklmnopqrstuvwxyzAB', 'token [REDACTED:api_key]'],
    ['JWT', 'key eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'key [REDACTED:api_key]'],
    ['bearer token', 'Authorization: Bearer abc123.def456-ghi', 'Authorization: Bearer [REDACTED:bearer]'],
    ['AWS access key id', 'id AKIAIOSFODNN7EXAMPLE', 'id [REDACTED:aws_key]'],
    ['AWS secret', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key = [REDACTED:aws_key]'],
  ])('%s', (_name, input, expected) => {
    expect(all.redactText(input)).toBe(expected);
  });

  it.each([
    ['a number failing the Luhn check', 'order 4111 1111 1111 1112'],
    ['a 13-digit millisecond timestamp', 'at 1700000000000 ms'],
    ['dates and versions', 'released 2024-01-15, version 1.2.3, ip 10.0.0.1'],
    ['prose about bearers', 'the bearer bonds were in the bearer instrument'],
    ['a short sk- word', 'ask-me-anything'],
  ])('leaves %s alone', (_name, input) => {
    expect(all.redactText(input)).toBe(input);
  });

  it('applies only the switched-on detectors', () => {
    const emailOnly = new Redactor(['email']);
    expect(emailOnly.redactText('a@b.io, 4111111111111111, sk-AbCdEf0123456789AbCdEf')).toBe('[REDACTED:email], 4111111111111111, sk-AbCdEf0123456789AbCdEf');
    expect(new Redactor([]).empty).toBe(true);
  });
});

describe('redactAttributes', () => {
  it('redacts strings and string arrays in place, reports the keys and leaves chosen ids alone', () => {
    const attributes = { 'gen_ai.input.messages': 'mail me at a@b.io', 'app.list': ['ok', 'key sk-AbCdEf0123456789AbCdEf'], 'user.id': 'jane@example.com', count: 3, clean: 'nothing here' };
    expect(all.redactAttributes(attributes)).toEqual(['gen_ai.input.messages', 'app.list']);
    expect(attributes).toEqual({ 'gen_ai.input.messages': 'mail me at [REDACTED:email]', 'app.list': ['ok', 'key [REDACTED:api_key]'], 'user.id': 'jane@example.com', count: 3, clean: 'nothing here' });
  });
});

describe('passesLuhn', () => {
  it.each([
    ['4111111111111111', true],
    ['79927398713', true],
    ['4111111111111112', false],
    ['', false],
    ['12a4', false],
  ])('%s -> %s', (digits, expected) => {
    expect(passesLuhn(digits)).toBe(expected);
  });
});
