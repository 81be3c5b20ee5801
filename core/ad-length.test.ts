import { describe, expect, it } from 'vitest';
import { planTimeline } from './render/timeline';
import { clipsNeeded, clipsPerScene } from './ad-length';
import { AD_TIMING } from './ad-timing';
import { AD_SECONDS, CLIP_SECONDS, type BeatRole } from './options';

const ROLES: BeatRole[] = ['hook', 'reveal', 'feature', 'lifestyle', 'call_to_action'];

describe('clips for an ad length', () => {
  it('adds no clips where the scenes already fill the ad', () => {
    expect(clipsPerScene(['hook', 'call_to_action'], 10)).toEqual([1, 1]);
    expect(clipsPerScene(ROLES, 15)).toEqual([1, 1, 1, 1, 1]);
  });

  it('gives the extra clips to the scenes that can linger, keeping the hook short', () => {
    const counts = clipsPerScene(['hook', 'feature', 'call_to_action'], 30);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(clipsNeeded(3, 30));
    expect(counts[0]).toBe(1);
    expect(counts[1]).toBeGreaterThanOrEqual(counts[2]!);
    expect(counts[1]! - counts[2]!).toBeLessThanOrEqual(1);
    // Features take the first extra clip.
    expect(clipsPerScene(['hook', 'feature', 'reveal', 'call_to_action'], 18)).toEqual([
      1, 2, 1, 1,
    ]);
    // A lone scene (even a hook) carries the whole ad.
    expect(clipsPerScene(['hook'], 20)).toEqual([clipsNeeded(1, 20)]);
  });

  // The render fits clips and cards to the exact length without slowing clips past what it allows.
  it.each([AD_SECONDS.min, 10, 15, 20, 25, AD_SECONDS.max])(
    'plans clips a %i s timeline can fit exactly, for 1 to 8 scenes',
    (seconds) => {
      for (let scenes = 1; scenes <= 8; scenes++) {
        const roles = Array.from({ length: scenes }, (_, i) => ROLES[i % ROLES.length]!);
        const total = clipsPerScene(roles, seconds).reduce((a, b) => a + b, 0);
        const plan = planTimeline({
          clipDurations: Array.from({ length: total }, () => CLIP_SECONDS),
          ...AD_TIMING,
          minTotal: seconds,
          maxTotal: seconds,
        });
        expect(plan.totalSeconds).toBe(seconds);
        for (const segment of plan.segments) {
          expect(segment.slowdown).toBeLessThanOrEqual(1.5);
          // Clips are not frozen for long: chaining, not holding, makes a long ad.
          expect(segment.holdSeconds).toBeLessThanOrEqual(0.5);
        }
      }
    },
  );
});
