import { planTimeline } from '../../../../../activities/render/timeline';
import { AD_TIMING } from '../../../../../core/ad-timing';

/**
 * How long the ad will be with these clips, from the render's own timeline (cards, crossfades
 * and the 8–12 s limits), so the number shown while ordering is the length the render makes.
 * Undefined when the clips cannot make an ad (none, or too many to fit).
 */
export function adLength(
  clipSeconds: readonly number[],
  /** The session's chosen length, which the render fits the ad to exactly. */
  durationSeconds?: number | undefined,
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

/** The clips and cards as they add up before the render fits them to 8–12 s. */
export function rawLength(clipSeconds: readonly number[]): number {
  const clips = clipSeconds.reduce((sum, s) => sum + s, 0);
  return clips + AD_TIMING.introSeconds + AD_TIMING.outroSeconds;
}
