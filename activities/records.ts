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
      await db.asset.upsert(assetUpsert(input.sessionId, input.asset));
    },

    /**
     * What one result leaves behind, in one transaction: its asset rows (the new asset, and any it
     * replaces) and its ledger entry. Keyed by ids the workflow made, so a retry writes nothing
     * twice.
     */
    async recordResult(input: {
      sessionId: string;
      assets: AssetView[];
      cost: CostEntry;
    }): Promise<void> {
      await db.$transaction([
        ...input.assets.map((asset) => db.asset.upsert(assetUpsert(input.sessionId, asset))),
        db.generationCost.upsert(costUpsert(input.cost)),
      ]);
    },

    async recordCost(entry: CostEntry): Promise<void> {
      await db.generationCost.upsert(costUpsert(entry));
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

/** The asset row of an asset view, upserted by its id. */
function assetUpsert(sessionId: string, asset: AssetView) {
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
      shotName: asset.shotName,
      sceneNotice: asset.sceneNotice,
      cutoutQuality: asset.cutoutQuality,
      aspectRatio: asset.aspectRatio,
      variantOf: asset.variantOf,
      voiceId: asset.voiceId,
      language: asset.language,
      cues: asset.cues,
      captionKeys: asset.captionKeys,
      loudness: asset.loudness,
    }),
  };
  return {
    where: { id: asset.id },
    create: { id: asset.id, sessionId, ...row },
    update: row,
  };
}

/** A ledger entry, written once per idempotency key. */
function costUpsert(entry: CostEntry) {
  return {
    where: { idempotencyKey: entry.idempotencyKey },
    create: { ...entry, error: entry.error ?? null },
    update: {},
  };
}
