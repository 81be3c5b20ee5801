import type { Prisma } from '../db/generated/client';
import { SESSION_EVENTS } from '../core/rooms';
import type { AssetView, SessionState } from '../core/session';
import { writeSessionState } from '../db/session-state';
import type { ActivityDeps } from './deps';
import type { CostEntry } from './inputs';

const json = (value: unknown) => value as Prisma.InputJsonValue;

/**
 * Database writes. Every one is an upsert keyed by ids the workflow made, so a retried or
 * replayed activity leaves the same rows behind.
 */
export function createRecordActivities(deps: ActivityDeps) {
  const { db } = deps;
  return {
    /** Mirrors the workflow's state into the session row and tells the session's room. */
    async syncSession(state: SessionState): Promise<void> {
      await writeSessionState(db, state);
      deps.publish(state.sessionId, SESSION_EVENTS.state, state);
    },

    async recordAsset(input: { sessionId: string; asset: AssetView }): Promise<void> {
      const { sessionId, asset } = input;
      const row = {
        type: asset.type,
        status: asset.status,
        storageKey: asset.storageKey ?? null,
        sha256: asset.sha256 ?? null,
        bytes: asset.bytes ?? null,
        mime: asset.mime ?? null,
        width: asset.width ?? null,
        height: asset.height ?? null,
        durationSeconds: asset.durationSeconds ?? null,
        provider: asset.provider ?? null,
        model: asset.model ?? null,
        prompt: asset.prompt ?? null,
        seed: asset.seed ?? null,
        costUsd: asset.costUsd,
        generationMs: asset.generationMs ?? null,
        metadata: json({
          view: asset.view,
          motion: asset.motion,
          sourceImageId: asset.sourceImageId,
          genre: asset.genre,
          error: asset.error,
          posterKey: asset.posterKey,
          fidelity: asset.fidelity,
          fidelityWarning: asset.fidelityWarning,
          productBox: asset.productBox,
          aspectRatio: asset.aspectRatio,
          variantOf: asset.variantOf,
          voiceId: asset.voiceId,
          language: asset.language,
          cues: asset.cues,
          captionKeys: asset.captionKeys,
          loudness: asset.loudness,
        }),
      };
      await db.asset.upsert({
        where: { id: asset.id },
        create: { id: asset.id, sessionId, ...row },
        update: row,
      });
    },

    async recordCost(entry: CostEntry): Promise<void> {
      await db.generationCost.upsert({
        where: { idempotencyKey: entry.idempotencyKey },
        create: { ...entry, error: entry.error ?? null },
        update: {},
      });
    },

    /** Approved images join the user's mood board, which outlives the session. */
    async addToMoodBoard(input: { userId: string; assetIds: string[] }): Promise<void> {
      await db.moodBoardItem.createMany({
        data: input.assetIds.map((assetId) => ({ userId: input.userId, assetId })),
        skipDuplicates: true,
      });
    },
  };
}
