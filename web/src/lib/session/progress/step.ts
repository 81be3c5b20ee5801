/**
 * One step's progress from its jobs (the images or clips of a step, or its single render): the
 * share done (the mean of the jobs' own shares), how many jobs are done, and how many times its
 * jobs started over. A job that starts over (an activity retried after a timeout) has really
 * lost its work, so the step's share may fall; the step then says so and its bar is named as a
 * new try, rather than the same bar silently going back.
 */
export interface JobNow {
  /** The job's share shown, 0..1 (1 when done). */
  fraction: number;
  /** 1 for a job's first attempt, counting up each time it is heard starting over. */
  attempt: number;
}

export interface StepNow {
  fraction: number;
  done: number;
  /** Start-overs among the step's jobs so far (0: every job on its first attempt). */
  restarts: number;
  /** Jobs on a later attempt and not done yet: "trying 2 again". */
  retrying: number;
}

export function stepNow(jobs: readonly JobNow[]): StepNow {
  if (jobs.length === 0) return { fraction: 0, done: 0, restarts: 0, retrying: 0 };
  return {
    fraction: jobs.reduce((sum, j) => sum + j.fraction, 0) / jobs.length,
    done: jobs.filter((j) => j.fraction >= 1).length,
    restarts: jobs.reduce((sum, j) => sum + j.attempt - 1, 0),
    retrying: jobs.filter((j) => j.attempt > 1 && j.fraction < 1).length,
  };
}

/** The step bar's name: a new try of the step once any of its jobs started over. */
export const stepBarLabel = (label: string, restarts: number) =>
  restarts > 0 ? `${label}, try ${restarts + 1}` : label;

/** "trying 1 again", "trying 2 again", or nothing. */
export const retryingWords = (retrying: number) => (retrying > 0 ? `trying ${retrying} again` : '');
