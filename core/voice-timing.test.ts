import { describe, expect, it } from 'vitest';
import { HOOK_BY_SECONDS, VOICE_TAIL_SECONDS } from './voice-script';
import { MAX_TEMPO, ScriptTooLongError, placePhrases } from './voice-timing';

const phrases = (...seconds: number[]) => seconds.map((s, i) => ({ text: `p${i}`, seconds: s }));

describe('placing the phrases on the ad', () => {
  it('starts with the hook, ends with the call to action, and spreads the rest', () => {
    const placed = placePhrases(phrases(1, 1.5, 1.5, 0.8), 10);
    expect(placed.tempo).toBe(1);
    const [hook, , , cta] = placed.phrases;
    expect(hook!.startSeconds).toBe(0.25);
    expect(hook!.startSeconds + hook!.spokenSeconds).toBeLessThanOrEqual(HOOK_BY_SECONDS);
    expect(cta!.startSeconds + cta!.spokenSeconds).toBeCloseTo(10 - VOICE_TAIL_SECONDS, 3);
    for (let i = 1; i < placed.phrases.length; i++) {
      const before = placed.phrases[i - 1]!;
      expect(placed.phrases[i]!.startSeconds).toBeGreaterThan(
        before.startSeconds + before.spokenSeconds,
      );
    }
  });

  it('times each caption from its first word until just before the next phrase', () => {
    const { phrases: placed, cues } = placePhrases(phrases(1, 1, 1), 8);
    cues.forEach((cue, i) => {
      expect(cue.startSeconds).toBe(placed[i]!.startSeconds);
      expect(cue.endSeconds).toBeGreaterThanOrEqual(
        placed[i]!.startSeconds + placed[i]!.spokenSeconds,
      );
      const next = cues[i + 1];
      if (next) expect(cue.endSeconds).toBeLessThan(next.startSeconds);
    });
    expect(cues.at(-1)!.endSeconds).toBeLessThanOrEqual(8);
  });

  it('speeds a voice that runs a little long, and refuses one far too long', () => {
    const tight = placePhrases(phrases(3, 3, 3), 9);
    expect(tight.tempo).toBeGreaterThan(1);
    expect(tight.tempo).toBeLessThanOrEqual(MAX_TEMPO);
    const end = tight.phrases.at(-1)!;
    expect(end.startSeconds + end.spokenSeconds).toBeLessThanOrEqual(9 - VOICE_TAIL_SECONDS + 1e-3);
    expect(() => placePhrases(phrases(5, 5, 5), 9)).toThrow(ScriptTooLongError);
  });

  it('lets a sample follow on without waiting for the end', () => {
    const sample = placePhrases(phrases(1, 1), 20, false);
    expect(sample.phrases[1]!.startSeconds).toBeLessThan(2);
  });
});
