import { describe, expect, it } from 'vitest';
import { loudnessDuring, parseEbur128 } from './loudness';

const LOG = `
[ebur128@voice @ 0x55d1] t: 0.4        TARGET:-23 LUFS    M: -18.0 S:-120.7     I: -18.0 LUFS       LRA:   0.0 LU
[ebur128@music @ 0x55d2] t: 0.4        TARGET:-23 LUFS    M: -30.0 S:-120.7     I: -30.0 LUFS       LRA:   0.0 LU
[ebur128@voice @ 0x55d1] t: 0.5        TARGET:-23 LUFS    M: -16.0 S:-120.7     I: -17.0 LUFS       LRA:   0.0 LU
[ebur128@music @ 0x55d2] t: 0.5        TARGET:-23 LUFS    M: -inf S:-120.7     I: -30.0 LUFS       LRA:   0.0 LU
[ebur128@voice @ 0x55d1] Summary:

  Integrated loudness:
    I:         -17.0 LUFS
    Threshold: -27.0 LUFS

  True peak:
    Peak:       -3.2 dBFS
[ebur128@music @ 0x55d2] Summary:

  Integrated loudness:
    I:         -30.0 LUFS
    Threshold: -40.0 LUFS

  True peak:
    Peak:      -12.5 dBFS
`;

describe('reading ebur128', () => {
  it('keeps each named instance apart', () => {
    const voice = parseEbur128(LOG, 'voice');
    expect(voice).toMatchObject({ integratedLufs: -17, truePeakDbtp: -3.2 });
    expect(voice.momentary).toEqual([
      { t: 0.4, lufs: -18 },
      { t: 0.5, lufs: -16 },
    ]);
    const music = parseEbur128(LOG, 'music');
    expect(music).toMatchObject({ integratedLufs: -30, truePeakDbtp: -12.5 });
    expect(music.momentary[1]!.lufs).toBe(-Infinity);
    expect(() => parseEbur128(LOG, 'mix')).toThrow(/mix/);
  });

  it('averages loudness by energy over the stretches asked for', () => {
    const momentary = [
      { t: 0.4, lufs: -20 },
      { t: 0.5, lufs: -10 },
      { t: 2, lufs: -40 },
    ];
    // Only windows wholly inside [0, 0.6]: -20 and -10 LUFS average by energy to about -12.6.
    expect(loudnessDuring(momentary, [{ startSeconds: 0, endSeconds: 0.6 }])).toBeCloseTo(-12.6, 1);
    expect(loudnessDuring(momentary, [{ startSeconds: 5, endSeconds: 6 }])).toBe(-70);
  });
});
