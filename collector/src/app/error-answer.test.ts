import { describe, expect, it } from 'vitest';
import { HttpError } from '../http-error.ts';
import { errorAnswerOf } from './error-answer.ts';

describe('errorAnswerOf', () => {
  it('answers an HttpError as it is, logging only what is ours to fix', () => {
    const refused = new HttpError(429, 'rate limit exceeded', { 'retry-after': '3' });
    expect(errorAnswerOf(refused)).toEqual({ status: 429, message: 'rate limit exceeded', headers: { 'retry-after': '3' }, log: 'none', err: refused });
    expect(errorAnswerOf(new HttpError(503, 'ingestion paused')).log).toBe('retry-later');
    expect(errorAnswerOf(new HttpError(500, 'broken')).log).toBe('failure');
    // OTLP metrics sent to the collector: the client's configuration, answered but not logged as our failure.
    expect(errorAnswerOf(new HttpError(501, 'Observa does not accept OTLP metrics')).log).toBe('none');
  });

  it('turns a control plane that does not answer into 503 + Retry-After', () => {
    const lost = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(errorAnswerOf(lost)).toMatchObject({ status: 503, headers: { 'retry-after': '5' }, log: 'retry-later', err: lost });
  });

  it('keeps the details of anything else for the log, telling the client only "internal error"', () => {
    const bug = new TypeError('cannot read properties of undefined');
    expect(errorAnswerOf(bug)).toEqual({ status: 500, message: 'internal error', headers: {}, log: 'failure', err: bug });
    const koaCookie = Object.assign(new Error('malformed cookie'), { status: 400, expose: true });
    expect(errorAnswerOf(koaCookie)).toMatchObject({ status: 400, message: 'malformed cookie', log: 'none' });
  });
});
