import { describe, expect, it } from 'vitest';
import { planTimeline } from './timeline';
import type { Timeline } from './timeline';

const base = { introSeconds: 1.5, outroSeconds: 2, crossfadeSeconds: 0.5 };
const clips = (count: number, seconds = 3) => Array.from({ length: count }, () => seconds);

/** Invariants every plan must keep, whatever the input. */
function expectConsistent(plan: Timeline, clipCount: number) {
  const { segments, crossfadeSeconds: fade, fps } = plan;
  expect(segments).toHaveLength(clipCount + 2);
  expect(segments[0]?.kind).toBe('intro');
  expect(segments.at(-1)?.kind).toBe('outro');
  expect(plan.totalSeconds).toBeGreaterThanOrEqual(8);
  expect(plan.totalSeconds).toBeLessThanOrEqual(12);

  let start = 0;
  for (const segment of segments) {
    expect(segment.startSeconds).toBeCloseTo(start, 9);
    expect(segment.shownSeconds).toBeGreaterThanOrEqual(2 * fade);
    // Whole frames only, so xfade offsets never fall between frames.
    expect(Number.isInteger(Math.round(segment.shownSeconds * fps * 1e6) / 1e6)).toBe(true);
    if (segment.kind === 'clip') {
      const played = segment.sourceSeconds * segment.slowdown + segment.holdSeconds;
      expect(played).toBeCloseTo(segment.shownSeconds, 6);
      expect(segment.slowdown).toBeGreaterThanOrEqual(1);
      expect(segment.slowdown).toBeLessThanOrEqual(1.5);
      expect(segment.holdSeconds).toBeGreaterThanOrEqual(0);
    }
    start += segment.shownSeconds - fade;
  }
  const last = segments.at(-1);
  expect(plan.totalSeconds).toBeCloseTo((last?.startSeconds ?? 0) + (last?.shownSeconds ?? 0), 9);
}

describe('planTimeline', () => {
  it('stretches the cards to reach 8 s with a single clip', () => {
    const plan = planTimeline({ ...base, clipDurations: [3] });
    expectConsistent(plan, 1);
    expect(plan.totalSeconds).toBe(8);
    expect(plan.segments[0]?.shownSeconds).toBeGreaterThan(1.5);
    expect(plan.segments.at(-1)?.shownSeconds).toBeGreaterThan(2);
    expect(plan.segments[1]?.sourceSeconds).toBe(3);
  });

  it('slows down and then holds a very short single clip', () => {
    const plan = planTimeline({ ...base, clipDurations: [1] });
    expectConsistent(plan, 1);
    const clip = plan.segments[1];
    expect(clip?.slowdown).toBe(1.5);
    expect(clip?.holdSeconds).toBeGreaterThan(0);
  });

  it('shows two clips in full and lands on 8 s', () => {
    const plan = planTimeline({ ...base, clipDurations: clips(2) });
    expectConsistent(plan, 2);
    expect(plan.totalSeconds).toBe(8);
    for (const segment of plan.segments.filter((s) => s.kind === 'clip')) {
      expect(segment.shownSeconds).toBe(3);
      expect(segment.slowdown).toBe(1);
    }
  });

  it('leaves three clips alone when they already fit', () => {
    const plan = planTimeline({ ...base, clipDurations: clips(3) });
    expectConsistent(plan, 3);
    expect(plan.totalSeconds).toBe(10.5);
    expect(plan.segments[0]?.shownSeconds).toBe(1.5);
  });

  it('trims four clips, not the outro, to stay within 12 s', () => {
    const plan = planTimeline({ ...base, clipDurations: clips(4) });
    expectConsistent(plan, 4);
    expect(plan.totalSeconds).toBe(12);
    expect(plan.segments[0]?.shownSeconds).toBe(1.5);
    expect(plan.segments.at(-1)?.shownSeconds).toBe(2);
    expect(plan.segments[1]?.shownSeconds).toBeCloseTo(2.75, 1);
  });

  it.each([6, 8, 12, 20])('trims %i clips evenly to fit', (count) => {
    const plan = planTimeline({ ...base, clipDurations: clips(count) });
    expectConsistent(plan, count);
    expect(plan.totalSeconds).toBe(12);
    const shown = plan.segments.filter((s) => s.kind === 'clip').map((s) => s.shownSeconds);
    expect(Math.max(...shown) - Math.min(...shown)).toBeLessThanOrEqual(1 / 30 + 1e-9);
  });

  it('shortens crossfades only when the clips cannot fit otherwise', () => {
    expect(planTimeline({ ...base, clipDurations: clips(8) }).crossfadeSeconds).toBe(0.5);
    const crowded = planTimeline({ ...base, clipDurations: clips(20) });
    expect(crowded.crossfadeSeconds).toBeLessThan(0.5);
    expect(crowded.crossfadeSeconds).toBeGreaterThan(0);
  });

  it('rejects more clips than can ever fit', () => {
    expect(() => planTimeline({ ...base, clipDurations: clips(40) })).toThrow(RangeError);
  });

  it('rejects an empty clip list and clips without duration', () => {
    expect(() => planTimeline({ ...base, clipDurations: [] })).toThrow(RangeError);
    expect(() => planTimeline({ ...base, clipDurations: [3, 0] })).toThrow(RangeError);
    expect(() => planTimeline({ ...base, clipDurations: [Number.NaN] })).toThrow(RangeError);
  });

  it('keeps every mix of clip lengths within range', () => {
    for (let count = 1; count <= 16; count++) {
      for (const seconds of [0.8, 2.04, 3, 3.3, 5]) {
        const plan = planTimeline({ ...base, clipDurations: clips(count, seconds) });
        expectConsistent(plan, count);
      }
    }
  });

  it('works without crossfades', () => {
    const plan = planTimeline({ ...base, crossfadeSeconds: 0, clipDurations: clips(2) });
    expect(plan.crossfadeSeconds).toBe(0);
    expect(plan.totalSeconds).toBe(9.5);
  });
});

describe('planTimeline on a beat grid', () => {
  const base = {
    clipDurations: [3, 3, 3],
    introSeconds: 1.5,
    outroSeconds: 2,
    crossfadeSeconds: 0.5,
    fps: 30,
  };
  /** 100 BPM, first beat at 0.25 s: beats that never fall on the plain plan's cuts. */
  const beats = Array.from({ length: 30 }, (_, k) => 0.25 + k * 0.6);
  const cutsOf = (t: Timeline) =>
    t.segments.slice(1).map((s) => s.startSeconds + t.crossfadeSeconds / 2);
  const nearest = (time: number) => Math.min(...beats.map((b) => Math.abs(b - time)));

  it('centres every crossfade on a beat within the tolerance and keeps the total', () => {
    const plain = planTimeline(base);
    expect(Math.max(...cutsOf(plain).map(nearest))).toBeGreaterThan(0.05);
    const snapped = planTimeline({ ...base, beatGrid: { beats, toleranceSeconds: 0.3 } });
    for (const cut of cutsOf(snapped))
      expect(nearest(cut), `cut at ${cut}`).toBeLessThanOrEqual(1 / 60 + 1e-9);
    expect(snapped.totalSeconds).toBe(plain.totalSeconds);
  });

  it('leaves a cut where it is when no beat is within the tolerance', () => {
    const plain = planTimeline(base);
    const snapped = planTimeline({ ...base, beatGrid: { beats: [100], toleranceSeconds: 0.1 } });
    expect(cutsOf(snapped)).toEqual(cutsOf(plain));
  });
});
