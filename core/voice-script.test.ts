import { describe, expect, it } from 'vitest';
import { countUnits, maxUnits, scriptFit, splitPhrases } from './voice-script';

describe('how much a voiceover can say', () => {
  it('counts words, or characters in languages written without spaces', () => {
    expect(countUnits("Meet the AirRun Pro. It's 50% lighter.", 'en')).toBe(7);
    expect(countUnits('超轻跑鞋，专业版。', 'zh')).toBe(7);
  });

  it('lets a longer ad say more, at the language’s own pace', () => {
    expect(maxUnits(8, 'en')).toBeLessThan(maxUnits(10, 'en'));
    expect(maxUnits(10, 'en')).toBeLessThan(maxUnits(30, 'en'));
    // About 2.5 words a second over the voice's window, less the pauses between phrases.
    expect(maxUnits(10, 'en')).toBeGreaterThanOrEqual(18);
    expect(maxUnits(10, 'en')).toBeLessThanOrEqual(23);
    // German words are longer: fewer of them fit.
    expect(maxUnits(10, 'de')).toBeLessThan(maxUnits(10, 'en'));
  });

  it('says whether a script fits, and when its hook has been said', () => {
    const fits = scriptFit('Meet the AirRun Pro. Light as air. Shop now.', 10, 'en');
    expect(fits).toMatchObject({ fits: true, units: 9, hookInTime: true, unit: 'word' });
    const long = scriptFit(Array(40).fill('word').join(' '), 10, 'en');
    expect(long.fits).toBe(false);
    expect(long.units).toBe(40);
    const slowHook = scriptFit(
      'This is a rather long first sentence before anything. Buy.',
      10,
      'en',
    );
    expect(slowHook.hookInTime).toBe(false);
    expect(scriptFit('', 10, 'en').fits).toBe(false);
  });
});

describe('phrases', () => {
  it('cuts a script into sentences, long ones at their commas, then into even runs', () => {
    expect(
      splitPhrases('Meet the AirRun Pro.  Light as air, built to last. Shop now!', 'en'),
    ).toEqual(['Meet the AirRun Pro.', 'Light as air, built to last.', 'Shop now!']);
    expect(
      splitPhrases(
        'Our lightest running shoe ever, with a recycled knit upper, and a cushioned sole.',
        'en',
      ),
    ).toEqual([
      'Our lightest running shoe ever,',
      'with a recycled knit upper,',
      'and a cushioned sole.',
    ]);
    const runs = splitPhrases('one two three four five six seven eight nine ten eleven', 'en');
    expect(runs).toEqual(['one two three four five six', 'seven eight nine ten eleven']);
  });

  it('keeps decimals whole and splits scripts without spaces at their own marks', () => {
    expect(splitPhrases('Only 3.5 ounces. Buy now.', 'en')).toEqual([
      'Only 3.5 ounces.',
      'Buy now.',
    ]);
    expect(splitPhrases('超轻跑鞋。专业版！', 'zh')).toEqual(['超轻跑鞋。', '专业版！']);
  });
});
