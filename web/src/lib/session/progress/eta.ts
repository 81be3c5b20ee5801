/**
 * Time left for one job: first from how long such jobs took in this studio before (the API's
 * medians per provider, type and shape), then more and more from the rate this job is observed
 * to progress at, once it has moved enough for that rate to mean something.
 */

export interface Observation {
  /** Milliseconds since the epoch. */
  at: number;
  /** 0..1 */
  fraction: number;
}

/** Below this much observed progress or time, a rate is noise: no estimate from it yet. */
const MIN_PROGRESS = 0.03;
const MIN_MS = 800;
/** The share of a job after which its own rate alone sets the estimate. */
const RATE_TRUSTED_AT = 0.5;

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

/**
 * Seconds left from what such jobs took before: the expected time less the time this one has
 * run. A job running longer than usual has "a few seconds" left, not zero, until it reports.
 */
export function secondsLeftFromHistory(startedAt: number, expectedMs: number, now: number) {
  return Math.max(2, (expectedMs - (now - startedAt)) / 1000);
}

/**
 * The estimate shown: history alone at first, the observed rate alone past half-way, and a
 * mix between, weighted by how far the job has come.
 */
export function estimateSecondsLeft(
  track: { first: Observation; latest: Observation; startedAt: number },
  expectedMs: number | undefined,
  now: number,
): number | undefined {
  const fromRate = secondsLeft(track.first, track.latest, now);
  const fromHistory =
    expectedMs === undefined ? undefined : secondsLeftFromHistory(track.startedAt, expectedMs, now);
  if (fromRate === undefined) return fromHistory;
  if (fromHistory === undefined) return fromRate;
  const trust = Math.min(1, track.latest.fraction / RATE_TRUSTED_AT);
  return trust * fromRate + (1 - trust) * fromHistory;
}

/** "about 40 s left", "about 2 min left", "almost done". */
export function describeSecondsLeft(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  if (seconds < 3) return 'almost done';
  if (seconds < 90) return `about ${Math.round(seconds / 5) * 5 || 5} s left`;
  return `about ${Math.round(seconds / 60)} min left`;
}
