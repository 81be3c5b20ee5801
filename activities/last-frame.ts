import { join } from 'node:path';
import { businessFailure } from '../core/errors';
import type { AssetView } from '../core/session';
import { assetKey } from '../storage';
import type { ActivityDeps } from './deps';
import { truthfully } from './failures';
import { runFfmpeg } from './media/ffmpeg';
import { lastFrameArgs } from './media/last-frame';
import { withWorkspace } from './workspace';

export interface LastFrameInput {
  sessionId: string;
  /** The id of the still it makes (stored as an image of the session). */
  assetId: string;
  /** The clip whose last frame the next clip of a chained scene starts from. */
  clip: AssetView;
}

/**
 * Chained scenes: a scene longer than one clip continues from the last frame of the clip before,
 * so the motion carries on instead of cutting back to the source image.
 */
export function createLastFrameActivities(deps: ActivityDeps) {
  return {
    async extractLastFrame(input: LastFrameInput): Promise<AssetView> {
      return truthfully(deps.log, 'the last frame of a clip', async () => {
        const clipKey = input.clip.storageKey;
        if (!clipKey) throw businessFailure('INTERNAL', 'The clip to continue has no stored file.');
        return withWorkspace(deps.workDir, 'last-frame', async (dir) => {
          const started = Date.now();
          const clipPath = join(dir, 'clip.mp4');
          const framePath = join(dir, 'last-frame.png');
          await deps.storage.getToFile(clipKey, clipPath);
          await runFfmpeg(lastFrameArgs(clipPath, framePath));
          const key = assetKey(input.sessionId, 'image', input.assetId, 'png');
          const stored = await deps.storage.putFile(key, framePath, 'image/png');
          return {
            id: input.assetId,
            type: 'image',
            status: 'ready',
            storageKey: key,
            mime: 'image/png',
            bytes: stored.bytes,
            sha256: stored.sha256,
            width: input.clip.width,
            height: input.clip.height,
            provider: 'ffmpeg',
            model: 'ffmpeg/last-frame',
            view: input.clip.view,
            costUsd: 0,
            generationMs: Date.now() - started,
          };
        });
      });
    },
  };
}
