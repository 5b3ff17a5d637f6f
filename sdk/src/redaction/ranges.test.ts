import { describe, expect, it } from 'vitest';
import { digitRuns } from './digit-runs.ts';
import { emailRanges } from './email-ranges.ts';

const slices = (text: string, ranges: ReadonlyArray<readonly [number, number]>) => ranges.map(([start, end]) => text.slice(start, end));

describe('emailRanges', () => {
  it('covers each address with the characters around it that \\b looks at', () => {
    const text = 'mail jane.doe@example.com, or ops@corp.io_x now';
    expect(slices(text, emailRanges(text))).toEqual(['jane.doe@example.com', 'ops@corp.io_x']);
  });

  it('merges ranges that touch and finds none without an @', () => {
    const text = 'a@b.io+c@d.io';
    expect(slices(text, emailRanges(text))).toEqual(['a@b.io+c@d.io']);
    expect(emailRanges('no address here')).toEqual([]);
  });
});

describe('digitRuns', () => {
  it('covers each run of number characters holding a digit, one character wider on both sides', () => {
    const text = 'call +44 20 7946 0958 now, card 4111-1111-1111-1111.';
    expect(slices(text, digitRuns(text))).toEqual(['l +44 20 7946 0958 n', 'd 4111-1111-1111-1111.']);
  });

  it('merges runs one character apart, keeps runs without digits out and handles the text edges', () => {
    expect(slices('12a34 - x', digitRuns('12a34 - x'))).toEqual(['12a34 - x']);
    expect(digitRuns('a (b) - c')).toEqual([]);
    expect(slices('7', digitRuns('7'))).toEqual(['7']);
    expect(slices('tab\t1\u00a02', digitRuns('tab\t1\u00a02'))).toEqual(['b\t1\u00a02']);
  });
});
