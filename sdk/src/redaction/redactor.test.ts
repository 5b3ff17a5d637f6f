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
    ['AWS secret (upper case)', 'AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"', 'AWS_SECRET_ACCESS_KEY="[REDACTED:aws_key]"'],
    ['Stripe key', 'sk_live_abcdefghijklmnop1234', '[REDACTED:api_key]'],
    ['Slack token', 'xoxb-1234567890-abcdef', '[REDACTED:api_key]'],
    ['Google key', 'AIzaSyA-1234567890abcdefghijklmnopqrstu', '[REDACTED:api_key]'],
    ['GitHub fine-grained token', 'github_pat_11ABCDEFG0123456789_abcdef', '[REDACTED:api_key]'],
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

describe('redactValue', () => {
  it('redacts strings and strings in arrays, returning the very value when nothing is found', () => {
    expect(all.redactValue('gen_ai.input.messages', 'mail me at a@b.io')).toBe('mail me at [REDACTED:email]');
    expect(all.redactValue('app.list', ['ok', 'key sk-AbCdEf0123456789AbCdEf'])).toEqual(['ok', 'key [REDACTED:api_key]']);
    const clean = ['ok', 'nothing here'];
    expect(all.redactValue('app.list', clean)).toBe(clean);
    expect(all.redactValue('count', 3)).toBe(3);
  });

  it('leaves the ids the app chose and the GenAI keys that name things alone', () => {
    expect(all.redactValue('user.id', 'jane@example.com')).toBe('jane@example.com');
    expect(all.redactValue('gen_ai.response.id', 'chatcmpl-555 123 4567')).toBe('chatcmpl-555 123 4567');
    expect(all.redactValue('gen_ai.request.model', 'ft:gpt-4o:a@b.io')).toBe('ft:gpt-4o:a@b.io');
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
