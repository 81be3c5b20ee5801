import type { RenderStep } from '#core/rooms.ts';
import type { Observation } from './eta';

/** What is known of one job from its progress reports. */
export interface Track {
  /** When this attempt was first heard of. */
  startedAt: number;
  first: Observation;
  latest: Observation;
  /** What the bar shows: the most this attempt has reported, so it never moves back. */
  shown: number;
  /** 1 for the first attempt; a job heard starting over (an activity retry) counts up. */
  attempt: number;
  /** A render's named step (saving, poster...). */
  step?: RenderStep | undefined;
}

/** A report this far below the last one is a job starting over, not a late or noisy report. */
const RESTART_DROP = 0.2;

/**
 * The track after one more report. Within an attempt the shown share only grows (a late or
 * out-of-order report cannot pull the bar back); a report far below the last one starts a new
 * attempt, which the page names ("trying again") rather than showing as the same bar falling.
 */
export function nextTrack(
  known: Track | undefined,
  fraction: number,
  at: number,
  step?: RenderStep,
): Track {
  const value = Math.min(1, Math.max(0, fraction));
  if (!known || value < known.latest.fraction - RESTART_DROP) {
    const first = { at, fraction: value };
    return {
      startedAt: at,
      first,
      latest: first,
      shown: value,
      attempt: known ? known.attempt + 1 : 1,
      step,
    };
  }
  return {
    ...known,
    latest: value >= known.latest.fraction ? { at, fraction: value } : known.latest,
    shown: Math.max(known.shown, value),
    step: step ?? known.step,
  };
}
