import { AppError } from '../core/errors';
import { expectedMs, type JobEstimate } from '../core/job-estimates';
import { ASPECT_RATIOS, PROVIDERS, type AspectRatio, type ProviderName } from '../core/options';
import { placeInLine, type InLine, type Place } from '../core/queue-place';
import { STAGES, isWorking, type Stage } from '../core/stages';
import type { ApiDeps } from './deps';
import { jobMeasures } from './job-measures';

/**
 * Where a session's work stands in the line for a worker slot (issue 19): the sessions in the
 * same stage on the same task queue, read from their rows (the stage column, the progress and
 * options the worker writes), the measured job durations and the worker's slots per queue.
 */

/** The stages whose jobs wait for an activity slot, with the kind of job each runs. */
const QUEUED_JOBS: Partial<Record<Stage, JobEstimate['type']>> = {
  generating_images: 'image',
  generating_clips: 'clip',
  generating_music: 'music',
  rendering: 'final',
};

/** Stages in which a session holds (or waits for) the worker: the studio's queue. */
export const MACHINE_STAGES = STAGES.filter(isWorking);

interface Row {
  id: string;
  since: Date;
  done: number | null;
  total: number | null;
  provider: string | null;
  aspect: string | null;
  seconds: number | null;
}

const providerOf = (value: string | null): ProviderName =>
  PROVIDERS.find((p) => p === value) ?? 'local';
const aspectOf = (value: string | null): AspectRatio =>
  ASPECT_RATIOS.find((a) => a === value) ?? '16:9';
const inLine = (row: Row): InLine => ({
  id: row.id,
  since: row.since.getTime(),
  done: row.done ?? 0,
  total: row.total ?? 0,
});

/** A session's worker time before anything is measured: about two minutes on a laptop. */
const TYPICAL_SESSION_WORK_MS = 120_000;

export type QueuePlace = Place & { stage: Stage; queued: boolean };

export function sessionQueue(deps: Pick<ApiDeps, 'db' | 'config'>) {
  const { db, config } = deps;
  const measured = jobMeasures(deps);

  const rowsIn = (stage: Stage) => db.$queryRaw<Row[]>`
    SELECT id, updated_at AS since,
      (state->'progress'->>'done')::int AS done, (state->'progress'->>'total')::int AS total,
      options->>'provider' AS provider, options->>'aspectRatio' AS aspect,
      (options->>'durationSeconds')::float AS seconds
    FROM sessions WHERE stage = ${stage}`;

  /** The session's place in its stage's line; not queued outside the stages that wait for slots. */
  async function placeOf(session: { id: string; stage: Stage }): Promise<QueuePlace> {
    const type = QUEUED_JOBS[session.stage];
    const none = { stage: session.stage, queued: false, ahead: 0, waiting: false, waitMs: 0 };
    if (!type) return none;
    const rows = await rowsIn(session.stage);
    const mine = rows.find((r) => r.id === session.id);
    if (!mine) return none;
    const provider = providerOf(mine.provider);
    // Renders of every provider share the render queue; generation runs on the provider's own.
    const sameQueue = (r: Row) => type === 'final' || providerOf(r.provider) === provider;
    const slots =
      type === 'final'
        ? config.RENDER_CONCURRENCY
        : provider === 'local'
          ? config.ACTIVITY_CONCURRENCY
          : config.PROVIDER_ACTIVITY_CONCURRENCY;
    const jobMs = expectedMs(await measured(), {
      provider,
      type,
      aspectRatio: aspectOf(mine.aspect),
      ...(mine.seconds ? { adSeconds: mine.seconds } : {}),
    });
    const place = placeInLine(inLine(mine), rows.filter(sameQueue).map(inLine), slots, jobMs);
    return { ...place, stage: session.stage, queued: place.waiting };
  }

  /**
   * The milliseconds of worker time one session takes in its machine stages, from the measured
   * jobs of a typical local session (a default while nothing has been measured).
   */
  async function sessionWorkMs() {
    const jobs = await measured();
    const of = (type: JobEstimate['type'], count: number) =>
      (expectedMs(jobs, { provider: 'local', type, aspectRatio: '16:9' }) ?? 0) * count;
    const measuredMs = of('image', 6) + of('clip', 4) + of('music', 1) + of('final', 1);
    return measuredMs || TYPICAL_SESSION_WORK_MS;
  }

  /**
   * Admits a session whose row was just written, or removes the row and refuses with 503
   * STUDIO_BUSY when MAX_QUEUED_SESSIONS are already in the machine stages ahead of it (judged
   * after the insert, oldest first, so two starts at once cannot both take the last place).
   */
  async function admit(sessionId: string) {
    const limit = config.MAX_QUEUED_SESSIONS;
    if (!limit) return;
    try {
      const mine = await db.session.findUniqueOrThrow({
        where: { id: sessionId },
        select: { createdAt: true },
      });
      const ahead = await db.session.count({
        where: {
          id: { not: sessionId },
          stage: { in: MACHINE_STAGES },
          OR: [
            { createdAt: { lt: mine.createdAt } },
            { createdAt: mine.createdAt, id: { lt: sessionId } },
          ],
        },
      });
      if (ahead < limit) return;
      // Until enough of those ahead have left the machine stages, the worker's slots at a time.
      const over = ahead - limit + 1;
      const waitMs = (over * (await sessionWorkMs())) / config.ACTIVITY_CONCURRENCY;
      const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
      throw new AppError(
        'STUDIO_BUSY',
        `The studio is busy: ${ahead} sessions are ahead. Try again in about ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        { ahead, limit, retryAfterSeconds: minutes * 60 },
      );
    } catch (error) {
      await db.session.delete({ where: { id: sessionId } }).catch(() => undefined);
      throw error;
    }
  }

  return { placeOf, admit };
}
