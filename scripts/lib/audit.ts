import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AssetView, SessionState } from '../../core/session';
import { modelClipKey, productLayerKey } from '../../activities/generation';
import { isPartKey } from '../../activities/render/part-cache';
import type { Db } from '../../db/client';

/**
 * What a finished session must have left behind, read from the database and the fs store:
 * nothing lost (every asset of its final state has a ready row and a file, the final video
 * exists, the row's cost matches the ledger) and nothing twice (one row and one file per asset,
 * one ledger entry per paid asset, one prediction per job).
 */
export interface AuditResult {
  lost: string[];
  duplicated: string[];
}

export async function auditSession(db: Db, storageDir: string, id: string): Promise<AuditResult> {
  const lost: string[] = [];
  const duplicated: string[] = [];
  const row = await db.session.findUnique({ where: { id } });
  if (!row) return { lost: [`${id}: no session row`], duplicated };
  const state = row.state as unknown as SessionState | null;
  if (row.stage !== 'completed' || state?.stage !== 'completed') {
    lost.push(`${id}: stage ${row.stage}, not completed`);
  }
  if (!state) return { lost, duplicated };

  const kept = [
    ...state.images,
    ...state.clips,
    state.music,
    state.final,
    state.productCutout,
  ].filter((a): a is AssetView => a?.status === 'ready');
  if (state.final?.status !== 'ready') lost.push(`${id}: no final video in its state`);
  const rows = await db.asset.findMany({ where: { sessionId: id } });
  const rowById = new Map(rows.map((r) => [r.id, r]));
  for (const asset of kept) {
    const stored = rowById.get(asset.id);
    if (stored?.status !== 'ready') lost.push(`${id}: ${asset.type} ${asset.id} has no ready row`);
    if (!asset.storageKey || !existsSync(join(storageDir, asset.storageKey))) {
      lost.push(`${id}: ${asset.type} ${asset.id} has no file`);
    }
  }

  // Files: exactly the ready assets' keys and their companions (a final video's poster frame,
  // an image's product layer, the model's clip a paid provider's clip was finished from), nothing made a second time under another name. An asset made
  // again keeps its file, as people may still pick it (it was made and paid once).
  const ready = rows.filter((r) => r.status === 'ready' || r.status === 'replaced');
  const keys = new Set<string | null>(ready.map((r) => r.storageKey));
  for (const r of ready) {
    const poster = (r.metadata as { posterKey?: unknown } | null)?.posterKey;
    if (typeof poster === 'string') keys.add(poster);
    if (r.type === 'image') keys.add(productLayerKey(id, r.id));
    if (r.type === 'clip') keys.add(modelClipKey(id, r.id));
  }
  for (const file of filesUnder(join(storageDir, 'sessions', id), `sessions/${id}`)) {
    // The render's encoded parts are a cache that later renders draw on, not assets.
    if (!keys.has(file) && !isPartKey(file))
      duplicated.push(`${id}: file ${file} belongs to no ready asset`);
  }
  const readyByType = countBy(rows.filter((r) => r.status === 'ready').map((r) => r.type));
  const keptByType = countBy(kept.map((a) => a.type));
  for (const [type, count] of Object.entries(readyByType)) {
    if (count > (keptByType[type] ?? 0)) {
      duplicated.push(
        `${id}: ${count} ready ${type} rows for ${keptByType[type] ?? 0} in its state`,
      );
    }
  }

  const ledger = await db.generationCost.findMany({ where: { sessionId: id } });
  const paid = countBy(ledger.filter((c) => c.success).map((c) => c.agent));
  const made = countBy(rows.filter((r) => r.status !== 'failed').map((r) => r.type));
  for (const agent of ['image', 'clip', 'music']) {
    if ((paid[agent] ?? 0) > (made[agent] ?? 0)) {
      duplicated.push(`${id}: ${paid[agent]} ${agent} charges for ${made[agent] ?? 0} assets`);
    }
  }
  const ledgerTotal = ledger.reduce((sum, c) => sum + Number(c.costUsd), 0);
  if (Math.abs(ledgerTotal - Number(row.totalCostUsd)) > 0.0001) {
    (ledgerTotal > Number(row.totalCostUsd) ? duplicated : lost).push(
      `${id}: ledger $${ledgerTotal.toFixed(4)} vs session $${Number(row.totalCostUsd).toFixed(4)}`,
    );
  }

  const predictions = await db.prediction.findMany({ where: { sessionId: id } });
  const jobs = countBy(
    predictions.filter((p) => p.status === 'succeeded').map((p) => `${p.assetId}:${p.purpose}`),
  );
  for (const [job, count] of Object.entries(jobs)) {
    if (count > 1) duplicated.push(`${id}: ${count} succeeded predictions for ${job}`);
  }
  return { lost, duplicated };
}

function countBy(values: string[]) {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function filesUnder(dir: string, prefix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(join(dir, entry.name), `${prefix}/${entry.name}`)
      : [`${prefix}/${entry.name}`],
  );
}
