import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { CLIP_SECONDS, VIDEO_FPS } from '../core/options';
import { SESSION_EVENTS } from '../core/rooms';
import type { AssetView } from '../core/session';
import { frameSize } from '../core/sizes';
import { assetKey } from '../storage';
import { providerCallContext } from './context';
import type { ActivityDeps } from './deps';
import { truthfully } from './failures';
import { productLayerKey } from './generation';
import { modelClipFidelity } from './fidelity/product-check';
import type { FinishClipInput } from './inputs';
import { normaliseClip } from './media/clip-format';
import { whileBeating } from './providers/while-beating';
import { withWorkspace } from './workspace';

/**
 * Bringing a model's clip to the session's format and checking the product in it: CPU work
 * (FFmpeg, the fidelity check) on a queue of its own, one per core, so a provider's queue (which
 * mostly waits on the provider, many at once) never runs a crowd of encodes side by side.
 */
export function createClipFinishingActivities(deps: ActivityDeps) {
  const { storage } = deps;
  return {
    async finishClip(input: FinishClipInput): Promise<AssetView> {
      // The model was paid already: whatever stops the finishing says what the clip cost.
      return carryingCost(input.modelClip.costUsd, () =>
        truthfully(deps.log, 'a clip', async () => {
          const ctx = providerCallContext((fraction) =>
            deps.publish(input.sessionId, SESSION_EVENTS.progress, {
              assetId: input.assetId,
              fraction,
            }),
          );
          return withWorkspace(deps.workDir, 'finish-clip', async (dir) => {
            const started = Date.now();
            const source = input.sourceImage;
            const modelPath = join(dir, 'model.mp4');
            await storage.getToFile(input.modelClip.storageKey, modelPath);
            const outputPath = join(dir, `${input.assetId}.mp4`);
            const { width, height } = frameSize(input.aspectRatio ?? '16:9');
            const made = await whileBeating(
              ctx,
              () =>
                normaliseClip(
                  modelPath,
                  outputPath,
                  { width, height, fps: VIDEO_FPS, maxSeconds: CLIP_SECONDS },
                  ctx.signal,
                ),
              0.5,
            );
            let checked: Pick<AssetView, 'fidelity' | 'fidelityWarning' | 'productBox'> = {};
            if (source.productBox) {
              // A model animated the still: the product is searched for in sampled frames.
              const layerPath = join(dir, 'product-layer.png');
              await storage.getToFile(productLayerKey(input.sessionId, source.id), layerPath);
              checked = await modelClipFidelity(
                outputPath,
                layerPath,
                made.durationSeconds,
                dir,
                VIDEO_FPS,
                ctx,
              );
            }
            const key = assetKey(input.sessionId, 'clip', input.assetId, 'mp4');
            const stored = await storage.putFile(key, outputPath, 'video/mp4');
            ctx.onProgress?.(1);
            return {
              id: input.assetId,
              type: 'clip',
              status: 'ready',
              storageKey: key,
              mime: 'video/mp4',
              bytes: stored.bytes,
              sha256: stored.sha256,
              provider: input.modelClip.provider,
              model: input.modelClip.model,
              costUsd: input.modelClip.costUsd,
              generationMs: input.modelClip.generationMs + (Date.now() - started),
              ...checked,
              width: made.width,
              height: made.height,
              durationSeconds: made.durationSeconds,
              prompt: input.prompt,
              seed: input.seed,
              motion: input.motion,
              sourceImageId: source.id,
            };
          });
        }),
      );
    },
  };
}

/**
 * Rethrows a failure with what the asset cost in its details (`assetCostUsd`, read by the
 * workflow's ledger), so a clip whose finishing fails still shows the model's price.
 */
async function carryingCost<T>(costUsd: number, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ApplicationFailure) || error.details?.length) throw error;
    throw ApplicationFailure.create({
      message: error.message,
      type: error.type ?? undefined,
      nonRetryable: error.nonRetryable ?? undefined,
      details: [{ assetCostUsd: costUsd }],
      cause: error.cause instanceof Error ? error.cause : undefined,
    });
  }
}
