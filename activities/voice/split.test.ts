import { describe, expect, it } from 'vitest';
import { cutPoints, parseSilences } from './split';

describe('cutting a recording back into its phrases', () => {
  it('reads silencedetect', () => {
    const log =
      '[silencedetect @ 0x1] silence_start: 0\n[silencedetect @ 0x1] silence_end: 0.2 | silence_duration: 0.2\n' +
      '[silencedetect @ 0x1] silence_start: 1.5\n[silencedetect @ 0x1] silence_end: 2.1 | silence_duration: 0.6\n' +
      '[silencedetect @ 0x1] silence_start: 3.9\n';
    expect(parseSilences(log, 4.2)).toEqual([
      { start: 0, end: 0.2 },
      { start: 1.5, end: 2.1 },
      { start: 3.9, end: 4.2 },
    ]);
  });

  it('cuts in the middle of the longest pauses inside the speech, in time order', () => {
    const silences = [
      { start: 0, end: 0.3 },
      { start: 1.0, end: 1.1 }, // a breath
      { start: 2.0, end: 2.6 },
      { start: 3.4, end: 3.7 },
      { start: 5.0, end: 5.6 },
      { start: 7.9, end: 8.2 },
    ];
    expect(cutPoints(silences, ['a', 'b', 'c', 'd'], 8.2)).toEqual([2.3, 3.55, 5.3]);
  });

  it('shares the speech by characters when the model skipped pauses', () => {
    const cuts = cutPoints([{ start: 0, end: 1 }], ['abc', 'abcdef', 'abc'], 5);
    expect(cuts[0]).toBeCloseTo(1 + 4 * (3 / 12));
    expect(cuts[1]).toBeCloseTo(1 + 4 * (9 / 12));
    expect(cutPoints([], ['only'], 2)).toEqual([]);
  });
});
