/**
 * A session's place in line for a worker slot, and how long it will likely wait (issue 19:
 * overload is a queue, not an error). Pure, so the API computes it from the session rows and the
 * measured job durations, and the tests pin it down.
 *
 * The line is the sessions in the same machine stage on the same task queue. A session that has
 * finished a job of the stage is being served; the others wait in the order they entered the
 * stage (a waiting session's row was last written when it moved to the stage). Sessions served,
 * and those that entered earlier, are ahead. Each job of theirs that is not done takes one of the
 * queue's `slots` (the worker's activity concurrency) for about `jobMs`.
 */
export interface InLine {
  id: string;
  /** When the session entered the stage (or its row was last written), epoch ms. */
  since: number;
  /** Jobs of the stage done, and in all (0 while the stage has not counted them yet). */
  done: number;
  total: number;
}

export interface Place {
  /** Sessions ahead in the line. */
  ahead: number;
  /** True when this session's work waits for a slot: no job of it done, and the slots are taken. */
  waiting: boolean;
  /** Milliseconds until a slot is likely free for it; undefined while no job has been measured. */
  waitMs: number | undefined;
}

/** Jobs a session still has in its stage (one at least: the stage is not over). */
const jobsLeft = (s: InLine) => Math.max(1, s.total - s.done);

const isAhead = (mine: InLine, other: InLine) =>
  other.done > 0 || other.since < mine.since || (other.since === mine.since && other.id < mine.id);

export function placeInLine(
  mine: InLine,
  line: readonly InLine[],
  slots: number,
  jobMs: number | undefined,
): Place {
  const ahead = line.filter((other) => other.id !== mine.id && isAhead(mine, other));
  const jobsAhead = ahead.reduce((sum, s) => sum + jobsLeft(s), 0);
  const waiting = mine.done === 0 && jobsAhead >= slots;
  if (!waiting) return { ahead: ahead.length, waiting, waitMs: 0 };
  // Its first job starts once all but (slots - 1) of the jobs ahead have finished, `slots` at a time.
  const rounds = Math.ceil((jobsAhead - slots + 1) / Math.max(1, slots));
  return {
    ahead: ahead.length,
    waiting,
    waitMs: jobMs === undefined ? undefined : rounds * jobMs,
  };
}

/** "about 3 min" (never "0 min": a wait under a minute reads as "under a minute"). */
export function describeQueueWait(waitMs: number | undefined): string | undefined {
  if (waitMs === undefined) return undefined;
  if (waitMs < 60_000) return 'under a minute';
  return `about ${Math.round(waitMs / 60_000)} min`;
}

/** The words a person reads: "Queued, 3 ahead, about 4 min". */
export function describePlace(place: Place): string | undefined {
  if (!place.waiting) return undefined;
  const wait = describeQueueWait(place.waitMs);
  return `Queued, ${place.ahead} ahead${wait ? `, ${wait}` : ''}`;
}
