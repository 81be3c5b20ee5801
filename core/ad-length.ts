import { AD_TIMING } from './ad-timing';
import { CLIP_SECONDS, type BeatRole } from './options';
import { planTimeline } from './render/timeline';

/**
 * How many clips an ad of a chosen length needs. One clip is CLIP_SECONDS long; the render may
 * stretch what it gets a little (cards grow, clips slow down), so clips are planned to cover
 * STRETCH-th of the length and the timeline fits the rest exactly. Scenes that need more time
 * than one clip chain clips: each further clip starts from the last frame of the one before.
 */

/** How far the render may stretch the clips and cards it gets without it showing. */
const STRETCH = 1.25;

/** Clips needed in total for an ad of `targetSeconds` with at least `sceneCount` scenes. */
export function clipsNeeded(sceneCount: number, targetSeconds: number, clipSeconds = CLIP_SECONDS) {
  const { introSeconds, outroSeconds, crossfadeSeconds } = AD_TIMING;
  // total = intro + outro + clips × clipSeconds − fades between every two segments
  const covered = targetSeconds / STRETCH - introSeconds - outroSeconds + crossfadeSeconds;
  return Math.max(sceneCount, Math.ceil(covered / (clipSeconds - crossfadeSeconds)));
}

/** Scenes that take the extra time first: features and lifestyle can linger, a hook cannot. */
const LINGER_ORDER: readonly BeatRole[] = ['feature', 'lifestyle', 'reveal', 'call_to_action'];

/**
 * Clips per scene (1 + how many continue it), in the scenes' order, so the ad reaches
 * `targetSeconds`. Extra clips go round the scenes that can linger best, one at a time; the hook
 * stays one punchy clip unless it is the only scene.
 */
export function clipsPerScene(
  roles: ReadonlyArray<BeatRole | undefined>,
  targetSeconds: number,
  clipSeconds = CLIP_SECONDS,
): number[] {
  const counts = roles.map(() => 1);
  let extra = clipsNeeded(roles.length, targetSeconds, clipSeconds) - roles.length;
  const lingering = roles
    .map((role, index) => ({ index, rank: LINGER_ORDER.indexOf(role ?? 'feature') }))
    .filter((scene) => scene.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((scene) => scene.index);
  const order = lingering.length > 0 ? lingering : roles.map((_, index) => index);
  for (let i = 0; extra > 0 && order.length > 0; i = (i + 1) % order.length, extra--) {
    const index = order[i]!;
    counts[index] = (counts[index] ?? 1) + 1;
  }
  return counts;
}

/**
 * How long the ad will be with these clips, from the render's own timeline (cards, crossfades
 * and the 8–12 s limits), so the number shown while ordering is the length the render makes.
 * Undefined when the clips cannot make an ad (none, or too many to fit).
 */
export function adLength(
  clipSeconds: readonly number[],
  /** The session's chosen length, which the render fits the ad to exactly. */
  durationSeconds?: number,
): number | undefined {
  if (clipSeconds.length === 0 || clipSeconds.some((s) => !(s > 0))) return undefined;
  const fit =
    durationSeconds === undefined ? {} : { minTotal: durationSeconds, maxTotal: durationSeconds };
  try {
    return planTimeline({ clipDurations: clipSeconds, ...AD_TIMING, ...fit }).totalSeconds;
  } catch {
    return undefined;
  }
}
