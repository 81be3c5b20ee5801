import { join } from 'node:path';
import sharp from 'sharp';
import type { AspectRatio, ProductView } from '../core/options';
import type { AssetView } from '../core/session';
import { assetKey, isStorageKey } from '../storage';
import type { ActivityDeps } from './deps';
import { truthfully } from './failures';
import { createRecordActivities } from './records';
import { frameSize } from '../core/sizes';
import { withWorkspace } from './workspace';

export interface AdoptMoodBoardInput {
  sessionId: string;
  userId: string;
  aspectRatio: AspectRatio;
  /** Each chosen mood-board image and the id its copy takes in this session (made by the workflow). */
  copies: Array<{ fromId: string; toId: string }>;
}

/**
 * Starting a session from mood-board images: each chosen image (one the same person approved in
 * an earlier session) is copied into the new session at its frame size, cropped around what the
 * image is about, so it is never made (or paid for) again and deleting the old session cannot
 * take it away.
 */
export function createMoodBoardActivities(deps: ActivityDeps) {
  const { db, storage } = deps;
  const records = createRecordActivities(deps);
  return {
    async adoptMoodBoardImages(input: AdoptMoodBoardInput): Promise<AssetView[]> {
      return truthfully(deps.log, 'the mood-board images', async () => {
        const items = await db.moodBoardItem.findMany({
          where: { userId: input.userId, assetId: { in: input.copies.map((c) => c.fromId) } },
          include: { asset: true },
        });
        const { width, height } = frameSize(input.aspectRatio);
        const adopted: AssetView[] = [];
        // In the order the person chose them; an image deleted since then is skipped.
        for (const { fromId, toId } of input.copies) {
          const source = items.find((i) => i.assetId === fromId)?.asset;
          if (!source?.storageKey || !isStorageKey(source.storageKey)) continue;
          if (!(await storage.head(source.storageKey))) continue;
          const key = assetKey(input.sessionId, 'image', toId, 'png');
          const stored = await withWorkspace(deps.workDir, 'mood-board', async (dir) => {
            const original = join(dir, 'original');
            const framed = join(dir, 'framed.png');
            await storage.getToFile(source.storageKey!, original);
            await sharp(original)
              .resize(width, height, { fit: 'cover', position: sharp.strategy.attention })
              .png()
              .toFile(framed);
            return storage.putFile(key, framed, 'image/png');
          });
          const metadata = (source.metadata ?? {}) as { view?: ProductView };
          const asset: AssetView = {
            id: toId,
            type: 'image',
            status: 'ready',
            storageKey: key,
            mime: 'image/png',
            bytes: stored.bytes,
            sha256: stored.sha256,
            width,
            height,
            provider: 'mood-board',
            model: 'mood-board',
            prompt: source.prompt ?? undefined,
            seed: source.seed === null ? undefined : Number(source.seed),
            view: metadata.view,
            costUsd: 0,
          };
          await records.recordAsset({ sessionId: input.sessionId, asset });
          adopted.push(asset);
        }
        return adopted;
      });
    },
  };
}
