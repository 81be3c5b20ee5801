/**
 * Time left from the rate a job has been observed to progress at: no guesses from averages of
 * other jobs, and nothing until the job has moved enough for its rate to mean something.
 */

export interface Observation {
  /** Milliseconds since the epoch. */
  at: number;
  /** 0..1 */
  fraction: number;
}

/** Below this much observed progress or time, a rate is noise: no estimate yet. */
const MIN_PROGRESS = 0.03;
const MIN_MS = 800;

/**
 * Seconds left at `now`, from the first and the latest observation of one job; undefined while
 * there is too little to go on. Time since the latest observation counts as progress at the
 * same rate, never below zero.
 */
export function secondsLeft(first: Observation, latest: Observation, now: number) {
  const moved = latest.fraction - first.fraction;
  const took = latest.at - first.at;
  if (moved < MIN_PROGRESS || took < MIN_MS) return undefined;
  const msPerFraction = took / moved;
  const leftAtLatest = (1 - latest.fraction) * msPerFraction;
  return Math.max(0, (leftAtLatest - (now - latest.at)) / 1000);
}

/** "about 40 s left", "about 2 min left", "almost done". */
export function describeSecondsLeft(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  if (seconds < 3) return 'almost done';
  if (seconds < 90) return `about ${Math.round(seconds / 5) * 5 || 5} s left`;
  return `about ${Math.round(seconds / 60)} min left`;
}
