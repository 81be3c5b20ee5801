import type { Db } from '../../../db/client';
import { roundUsd } from '../../../core/prices';

/**
 * The `predictions` table: every Replicate prediction the studio makes, written before its create
 * request is sent, so a crash or an unanswered create is reconciled instead of paid for twice.
 */

export const ACTIVE_STATUSES = ['creating', 'unknown', 'starting', 'processing'] as const;
export type PredictionStatus =
  | (typeof ACTIVE_STATUSES)[number]
  | 'succeeded'
  | 'failed'
  | 'canceled'
  | 'aborted'
  /** Succeeded, but Replicate deleted the output before the studio saved it. */
  | 'output_lost';

export interface PredictionRow {
  jobKey: string;
  sessionId: string;
  assetId: string;
  purpose: string;
  attempt: number;
  predictionId: string | null;
  model: string;
  inputHash: string;
  status: PredictionStatus;
  createdAt: Date;
}

export interface PredictionUpdate {
  status?: PredictionStatus | undefined;
  progress?: number | undefined;
  error?: string | undefined;
  predictTime?: number | undefined;
  costUsd?: number | undefined;
  completed?: boolean | undefined;
}

export interface PredictionStore {
  latest(job: {
    sessionId: string;
    assetId: string;
    purpose: string;
  }): Promise<PredictionRow | null>;
  /** Records the intent to create; false if that attempt exists already. */
  begin(
    row: Omit<PredictionRow, 'predictionId' | 'status' | 'createdAt'>,
  ): Promise<PredictionRow | null>;
  attach(jobKey: string, predictionId: string, status: PredictionStatus): Promise<void>;
  update(jobKey: string, update: PredictionUpdate): Promise<void>;
  /** What every prediction of an asset cost, across attempts and purposes. */
  assetCost(sessionId: string, assetId: string): Promise<number>;
  status(jobKey: string): Promise<PredictionStatus | null>;
  /** True when some job already owns this prediction. */
  isAttached(predictionId: string): Promise<boolean>;
}

export const jobKeyOf = (
  job: { sessionId: string; assetId: string; purpose: string },
  attempt: number,
) => `${job.sessionId}:${job.assetId}:${job.purpose}:${attempt}`;

export function createPredictionStore(db: Db): PredictionStore {
  const toRow = (r: Omit<PredictionRow, 'status'> & { status: string }): PredictionRow => ({
    ...r,
    status: r.status as PredictionStatus,
  });

  return {
    async latest(job) {
      const row = await db.prediction.findFirst({
        where: { sessionId: job.sessionId, assetId: job.assetId, purpose: job.purpose },
        orderBy: { attempt: 'desc' },
      });
      return row ? toRow(row) : null;
    },

    async begin(row) {
      const created = await db.prediction.createMany({
        data: [{ ...row, status: 'creating' }],
        skipDuplicates: true,
      });
      if (created.count === 0) return null;
      const stored = await db.prediction.findUniqueOrThrow({ where: { jobKey: row.jobKey } });
      return toRow(stored);
    },

    async attach(jobKey, predictionId, status) {
      await db.prediction.update({ where: { jobKey }, data: { predictionId, status } });
    },

    async update(jobKey, update) {
      await db.prediction.update({
        where: { jobKey },
        data: {
          status: update.status,
          progress: update.progress,
          error: update.error,
          predictTime: update.predictTime,
          costUsd: update.costUsd === undefined ? undefined : roundUsd(update.costUsd),
          completedAt: update.completed ? new Date() : undefined,
        },
      });
    },

    async assetCost(sessionId, assetId) {
      const sum = await db.prediction.aggregate({
        where: { sessionId, assetId },
        _sum: { costUsd: true },
      });
      return roundUsd(Number(sum._sum.costUsd ?? 0));
    },

    async isAttached(predictionId) {
      return (await db.prediction.count({ where: { predictionId } })) > 0;
    },

    async status(jobKey) {
      const row = await db.prediction.findUnique({ where: { jobKey }, select: { status: true } });
      return (row?.status as PredictionStatus | undefined) ?? null;
    },
  };
}
