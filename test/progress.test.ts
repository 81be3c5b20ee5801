import { describe, expect, it } from 'vitest';
import { estimateJobs, expectedMs, shapeOf } from '../core/job-estimates';
import { RENDER_STEPS, renderFraction } from '../core/rooms';
import type { SessionView } from '../api/routes/sessions';
import { focusKeyFor } from '../web/src/lib/session/focus';
import { estimateSecondsLeft } from '../web/src/lib/session/progress/eta';
import { stepBarLabel, stepNow } from '../web/src/lib/session/progress/step';
import { nextTrack, type Track } from '../web/src/lib/session/progress/track';

/** Progress that tells the truth: bars only move forward, estimates start from history. */

describe('a job track', () => {
  const at = 1_000_000;
  const feed = (reports: Array<[number, number]>) =>
    reports.reduce<Track | undefined>((t, [ms, f]) => nextTrack(t, f, at + ms), undefined)!;

  it('never shows less than it showed before (a late or out-of-order report)', () => {
    const track = feed([
      [0, 0],
      [500, 0.6],
      [600, 0.55],
    ]);
    expect(track.shown).toBe(0.6);
    expect(track.attempt).toBe(1);
  });

  it('starts a new, named attempt when the job starts over', () => {
    const track = feed([
      [0, 0],
      [1000, 0.8],
      [2000, 0.05],
    ]);
    expect(track.attempt).toBe(2);
    expect(track.shown).toBe(0.05);
  });

  it('keeps the step a render is in', () => {
    let track = nextTrack(undefined, renderFraction('encoding', 1), at, 'encoding');
    track = nextTrack(track, renderFraction('saving'), at + 10, 'saving');
    expect(track.step).toBe('saving');
    expect(track.shown).toBe(renderFraction('saving'));
  });
});

describe("a step's bar over its jobs", () => {
  const at = 1_000_000;

  it('never falls under one name, even when jobs start over after reaching the end', () => {
    // Three clips reach 100 %; two are then retried by the worker (they report 0 again) and
    // make their way back up. Every value the bar shows is noted under the name it has then.
    const ids = ['a', 'b', 'c'];
    const tracks = new Map<string, Track>();
    const shown = new Map<string, number[]>();
    const report = (id: string, fraction: number, ms: number) => {
      tracks.set(id, nextTrack(tracks.get(id), fraction, at + ms));
      const now = stepNow(
        ids.map((j) => ({
          fraction: tracks.get(j)?.shown ?? 0,
          attempt: tracks.get(j)?.attempt ?? 1,
        })),
      );
      const name = stepBarLabel('Making your clips', now.restarts);
      shown.set(name, [...(shown.get(name) ?? []), now.fraction]);
      return now;
    };
    for (const [i, f] of [0, 0.4, 0.8, 1].entries()) for (const id of ids) report(id, f, i * 1000);
    const first = report('b', 0, 5000);
    expect(first).toMatchObject({ done: 2, restarts: 1, retrying: 1 });
    report('c', 0.02, 5100);
    for (const [i, f] of [0.5, 1].entries()) {
      report('b', f, 6000 + i * 1000);
      report('c', f, 6000 + i * 1000);
    }
    expect([...shown.keys()]).toEqual([
      'Making your clips',
      'Making your clips, try 2',
      'Making your clips, try 3',
    ]);
    for (const values of shown.values()) expect(values).toEqual([...values].sort((x, y) => x - y));
    expect(shown.get('Making your clips, try 3')!.at(-1)).toBe(1);
  });

  it('counts the jobs done as the tiles show them', () => {
    expect(
      stepNow([
        { fraction: 1, attempt: 1 },
        { fraction: 0.5, attempt: 2 },
        { fraction: 0, attempt: 1 },
      ]),
    ).toEqual({ fraction: 0.5, done: 1, restarts: 1, retrying: 1 });
    expect(stepNow([])).toEqual({ fraction: 0, done: 0, restarts: 0, retrying: 0 });
  });
});

describe('a render step by step', () => {
  it('only moves forward, and reaches 100 % only when stored', () => {
    const shares = [
      renderFraction('preparing'),
      renderFraction('encoding', 0.5),
      renderFraction('encoding', 1),
      renderFraction('saving'),
      renderFraction('poster'),
    ];
    expect([...shares].sort((a, b) => a - b)).toEqual(shares);
    expect(new Set(shares).size).toBe(shares.length);
    expect(Math.max(...shares)).toBeLessThan(1);
    expect(RENDER_STEPS).toEqual(['preparing', 'encoding', 'saving', 'poster']);
  });
});

describe('time left', () => {
  const at = 1_000_000;
  const start = { at, fraction: 0 };

  it('comes from what such jobs took before while the job has no rate of its own', () => {
    const track = { startedAt: at, first: start, latest: start };
    expect(estimateSecondsLeft(track, 30_000, at + 10_000)).toBeCloseTo(20);
    expect(estimateSecondsLeft(track, undefined, at + 10_000)).toBeUndefined();
  });

  it('moves to the observed rate as the job goes on', () => {
    // 60 % in 6 s: 4 s left at this rate; history said 30 s in all (24 s left).
    const latest = { at: at + 6000, fraction: 0.6 };
    const track = { startedAt: at, first: start, latest };
    expect(estimateSecondsLeft(track, 30_000, at + 6000)).toBeCloseTo(4);
    // 20 % in 2 s: the rate says 8 s, history 28 s; they are mixed, 40 % on the rate.
    const early = { startedAt: at, first: start, latest: { at: at + 2000, fraction: 0.2 } };
    expect(estimateSecondsLeft(early, 30_000, at + 2000)).toBeCloseTo(0.4 * 8 + 0.6 * 28);
  });

  it('never says a slow job is done before it reports', () => {
    const track = { startedAt: at, first: start, latest: start };
    expect(estimateSecondsLeft(track, 5000, at + 60_000)).toBeGreaterThan(0);
  });
});

describe("the studio's measured job times", () => {
  const job = (type: string, ms: number, width = 1920, height = 1080, durationSeconds = 3) => ({
    provider: 'local',
    type,
    width,
    height,
    durationSeconds,
    generationMs: ms,
  });

  it('are medians per provider, type and shape; renders per second of ad', () => {
    const estimates = estimateJobs([
      job('image', 1000),
      job('image', 3000),
      job('image', 2000),
      job('image', 9000, 1080, 1920),
      job('clip', 4000),
      job('final', 20_000, 1920, 1080, 10),
      { ...job('clip', 7000), provider: 'replicate' },
      { ...job('image', 5000), generationMs: null },
    ]);
    const find = (type: string, aspectRatio: string, provider = 'local') =>
      estimates.find(
        (e) => e.type === type && e.aspectRatio === aspectRatio && e.provider === provider,
      );
    expect(find('image', '16:9')).toMatchObject({ medianMs: 2000, samples: 3 });
    expect(find('image', '9:16')).toMatchObject({ medianMs: 9000 });
    expect(find('clip', '16:9', 'replicate')).toMatchObject({ medianMs: 7000 });
    expect(find('final', '16:9')).toMatchObject({ medianMs: 2000, perAdSecond: true });
    const render = {
      provider: 'local',
      type: 'final',
      aspectRatio: '16:9',
      adSeconds: 30,
    } as const;
    expect(expectedMs(estimates, render)).toBe(60_000);
    expect(expectedMs(estimates, { ...render, provider: 'replicate' })).toBeUndefined();
  });

  it('name the nearest listed shape', () => {
    expect(shapeOf(1920, 1080)).toBe('16:9');
    expect(shapeOf(1080, 1920)).toBe('9:16');
    expect(shapeOf(1024, 1000)).toBe('1:1');
    expect(shapeOf(null, 10)).toBe('1:1');
  });
});

describe('where focus goes after an action', () => {
  const view = (stage: SessionView['stage'], more: Partial<SessionView> = {}) =>
    ({ stage, ...more }) as Pick<SessionView, 'stage' | 'final' | 'exportTarget'>;
  const final = { id: 'f', type: 'final', status: 'ready', costUsd: 0 } as const;

  it("is the new step's place", () => {
    expect(focusKeyFor(view('generating_images'))).toBe('images');
    expect(focusKeyFor(view('planning_scenes'))).toBe('clips');
    expect(focusKeyFor(view('rendering'))).toBe('compose');
    expect(focusKeyFor(view('failed'))).toBe('failure');
  });

  it('stays with the finished ad for a render again or an export', () => {
    expect(focusKeyFor(view('rendering', { final }))).toBe('final');
    expect(focusKeyFor(view('generating_music', { final }))).toBe('final');
    expect(focusKeyFor(view('rendering', { exportTarget: '9:16', final }))).toBe('final');
  });
});
