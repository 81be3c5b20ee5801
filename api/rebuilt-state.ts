import { roundUsd } from '../core/prices';
import type { AssetView, Composition, SessionOptions, SessionState } from '../core/session';
import { isStage, type Stage } from '../core/stages';
import type { Db } from '../db/client';
import type { Asset, Session } from '../db/generated/client';

/**
 * The state of a session written before rows kept the whole state (the `state` column), put
 * back together from its rows: the session row, its assets and its cost ledger. Enough to show
 * the session, its media and costs, and to re-render it; the shot plan and style are not kept.
 */
export async function rebuildState(db: Db, row: Session): Promise<SessionState> {
  const [assets, costs] = await Promise.all([
    db.asset.findMany({ where: { sessionId: row.id }, orderBy: { createdAt: 'asc' } }),
    db.generationCost.groupBy({
      by: ['stage'],
      where: { sessionId: row.id },
      _sum: { costUsd: true },
    }),
  ]);
  const views = assets.map(assetView);
  const live = (type: AssetView['type']) => views.filter((a) => a.type === type);
  const latest = (type: AssetView['type']) =>
    live(type).findLast((a) => a.status === 'ready') ?? live(type).at(-1);
  const selections = (row.selections ?? {}) as {
    approvedImageIds?: string[];
    approvedClipIds?: string[];
  };
  const byStage: Partial<Record<Stage, number>> = {};
  for (const c of costs) {
    if (isStage(c.stage)) byStage[c.stage] = roundUsd(Number(c._sum.costUsd ?? 0));
  }
  return {
    sessionId: row.id,
    userId: row.userId,
    title: row.title,
    stage: isStage(row.stage) ? row.stage : 'failed',
    progress: { done: 0, total: 0, fraction: 0 },
    options: row.options as unknown as SessionOptions,
    productPrompt: row.productPrompt,
    videoPrompt: row.videoPrompt ?? undefined,
    seed: row.seed === null ? undefined : Number(row.seed),
    shots: [],
    images: live('image').filter((a) => a.status !== 'replaced'),
    clips: live('clip').filter((a) => a.status !== 'replaced'),
    music: latest('music'),
    voice: latest('voice'),
    final: views.find((a) => a.id === row.finalAssetId) ?? latest('final'),
    approvedImageIds: selections.approvedImageIds ?? [],
    approvedClipIds: selections.approvedClipIds ?? [],
    composition: (row.composition ?? undefined) as Composition | undefined,
    costs: { totalUsd: Number(row.totalCostUsd), byStage },
    lastError: (row.lastError ?? undefined) as SessionState['lastError'],
    // Clients drop states whose version is not newer than what they hold; the workflow's own
    // counter is lost, and the row's last write time is above any count a session reaches.
    version: row.updatedAt.getTime(),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function assetView(a: Asset): AssetView {
  const meta = (a.metadata ?? {}) as Partial<AssetView>;
  return {
    id: a.id,
    type: a.type as AssetView['type'],
    status: a.status as AssetView['status'],
    storageKey: a.storageKey ?? undefined,
    mime: a.mime ?? undefined,
    bytes: a.bytes ?? undefined,
    sha256: a.sha256 ?? undefined,
    width: a.width ?? undefined,
    height: a.height ?? undefined,
    durationSeconds: a.durationSeconds ?? undefined,
    provider: a.provider ?? undefined,
    model: a.model ?? undefined,
    prompt: a.prompt ?? undefined,
    seed: a.seed === null ? undefined : Number(a.seed),
    costUsd: Number(a.costUsd),
    generationMs: a.generationMs ?? undefined,
    view: meta.view,
    motion: meta.motion,
    sourceImageId: meta.sourceImageId,
    genre: meta.genre,
    error: meta.error,
    posterKey: meta.posterKey,
    fidelity: meta.fidelity,
    fidelityWarning: meta.fidelityWarning,
    productBox: meta.productBox,
    shotName: meta.shotName,
    sceneNotice: meta.sceneNotice,
    cutoutQuality: meta.cutoutQuality,
    aspectRatio: meta.aspectRatio,
    variantOf: meta.variantOf,
    voiceId: meta.voiceId,
    language: meta.language,
    cues: meta.cues,
    captionKeys: meta.captionKeys,
    loudness: meta.loudness,
  };
}
