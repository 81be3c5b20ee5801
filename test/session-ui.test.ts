import { describe, expect, it } from 'vitest';
import type { AssetView } from '../core/session';
import { clipOrder } from '../web/src/lib/session/clips/order';
import { linksDue } from '../web/src/lib/session/links';
import { describeSecondsLeft, secondsLeft } from '../web/src/lib/session/progress/eta';
import { queuedWords } from '../web/src/lib/session/progress/queue';
import { viewName } from '../web/src/lib/session/shared/format';

/** The session page's pure rules: one clip order everywhere, and time left from the rate. */

const clip = (id: string, sourceImageId: string, status: AssetView['status'] = 'ready') =>
  ({ id, type: 'clip', status, sourceImageId, costUsd: 0 }) as AssetView;

describe('clip order', () => {
  const plan = [clip('a', 'i1'), clip('b', 'i2'), clip('c', 'i3')];

  it("is the plan's order until the person chooses, whatever order clips finished in", () => {
    expect(clipOrder(plan, [])).toEqual(['a', 'b', 'c']);
    const finishing = [clip('a', 'i1', 'generating'), clip('b', 'i2'), clip('c', 'i3')];
    expect(clipOrder(finishing, [])).toEqual(['a', 'b', 'c']);
  });

  it("is the person's order once chosen (moved or approved), the rest after them in plan order", () => {
    expect(clipOrder(plan, ['c', 'a', 'b'])).toEqual(['c', 'a', 'b']);
    // Two approved: the one left out follows them.
    expect(clipOrder(plan, ['b', 'a'])).toEqual(['b', 'a', 'c']);
    expect(clipOrder(plan, ['c'])).toEqual(['c', 'a', 'b']);
  });

  it('puts a clip made again where the one it replaces was, through repeated remakes', () => {
    // The workflow puts a successor just before the clip it replaces.
    const remade = [
      clip('a', 'i1'),
      clip('b2', 'i2'),
      clip('b', 'i2', 'replaced'),
      clip('c', 'i3'),
    ];
    expect(clipOrder(remade, ['c', 'b', 'a'])).toEqual(['c', 'b2', 'a']);
    const twice = [
      clip('a', 'i1'),
      clip('b3', 'i2'),
      clip('b2', 'i2', 'replaced'),
      clip('b', 'i2', 'replaced'),
      clip('c', 'i3'),
    ];
    expect(clipOrder(twice, ['c', 'b', 'a'])).toEqual(['c', 'b3', 'a']);
  });
});

describe('clip order with variants', () => {
  it('shows a variant right after its clip, and keeps the kept one in its place', () => {
    const variant = { ...clip('b2', 'i2', 'pending'), variantOf: 'b' };
    const paired = [clip('a', 'i1'), clip('b', 'i2'), variant, clip('c', 'i3')];
    expect(clipOrder(paired, ['c', 'b', 'a'])).toEqual(['c', 'b', 'b2', 'a']);
    // The variant kept: the old clip is replaced (and later dropped from the list).
    const kept = [
      clip('a', 'i1'),
      clip('b', 'i2', 'replaced'),
      { ...variant, status: 'ready' as const },
      clip('c', 'i3'),
    ];
    expect(clipOrder(kept, ['c', 'b', 'a'])).toEqual(['c', 'b2', 'a']);
  });
});

describe('time left', () => {
  const at = 1_000_000;

  it('says nothing until the job has moved enough to have a rate', () => {
    expect(secondsLeft({ at, fraction: 0 }, { at: at + 5000, fraction: 0 }, at + 5000)).toBe(
      undefined,
    );
    expect(secondsLeft({ at, fraction: 0 }, { at: at + 200, fraction: 0.2 }, at + 200)).toBe(
      undefined,
    );
  });

  it('extrapolates the observed rate and counts down between reports', () => {
    // 40% in 4 s: 6 s left at the report, 4 s left two seconds later.
    const first = { at, fraction: 0.1 };
    const latest = { at: at + 4000, fraction: 0.5 };
    expect(secondsLeft(first, latest, at + 4000)).toBeCloseTo(5);
    expect(secondsLeft(first, latest, at + 6000)).toBeCloseTo(3);
    expect(secondsLeft(first, latest, at + 60_000)).toBe(0);
  });

  it('words it for people', () => {
    expect(describeSecondsLeft(undefined)).toBe('');
    expect(describeSecondsLeft(1)).toBe('almost done');
    expect(describeSecondsLeft(41)).toBe('about 40 s left');
    expect(describeSecondsLeft(200)).toBe('about 3 min left');
  });
});

describe('media links', () => {
  it('has the page renew its links shortly before they expire, at most every half minute', () => {
    const now = 1_000_000_000_000;
    const expiresAt = now / 1000 + 3600;
    expect(linksDue(expiresAt, now, 0)).toBe(false);
    expect(linksDue(expiresAt, now + 3_400_000, 0)).toBe(true);
    expect(linksDue(expiresAt, now + 3_400_000, now + 3_390_000)).toBe(false);
    expect(linksDue(undefined, now, 0)).toBe(false);
  });
});

describe('image names', () => {
  const image = (extra: Partial<AssetView>): AssetView => ({
    id: 'i',
    type: 'image',
    status: 'ready',
    costUsd: 0,
    view: 'front',
    ...extra,
  });
  it('names an image for its shot when the studio set it (a photo’s scene), else its view', () => {
    expect(viewName(image({ shotName: 'warm window light, close' }))).toBe(
      'Warm window light, close',
    );
    expect(viewName(image({}))).toBe('Front');
    expect(viewName(undefined)).toBe('Image');
  });
});

describe('queued words', () => {
  const place = {
    stage: 'generating_images' as const,
    queued: true,
    ahead: 3,
    waitMs: 4 * 60_000,
  };

  it('says the place in line and the wait while the step waits for a worker slot', () => {
    expect(queuedWords(place, 'generating_images', 0)).toBe('Queued, 3 ahead, about 4 min');
    expect(queuedWords({ ...place, waitMs: null }, 'generating_images', 0)).toBe('Queued, 3 ahead');
  });

  it('says nothing once a job reports progress, for another stage, or when not waiting', () => {
    expect(queuedWords(place, 'generating_images', 0.05)).toBeUndefined();
    expect(queuedWords(place, 'rendering', 0)).toBeUndefined();
    expect(queuedWords({ ...place, queued: false }, 'generating_images', 0)).toBeUndefined();
    expect(queuedWords(null, 'generating_images', 0)).toBeUndefined();
  });
});
