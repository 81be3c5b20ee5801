import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { businessFailure } from '../core/errors';
import { CLIP_SECONDS, VIDEO_FPS, type ModelTier } from '../core/options';
import { SESSION_EVENTS } from '../core/rooms';
import { FIDELITY_WARNING_BELOW } from '../core/session';
import type { AssetView, ProductBox } from '../core/session';
import { checkImage, modelClipFidelity, productLayerFor } from './fidelity/product-check';
import { clipFidelity } from './fidelity/score';
import { boxThroughFrames } from './fidelity/warp';
import { beatGridOf } from './media/beats';
import { assetKey } from '../storage';
import { providerCallContext } from './context';
import type { ActivityDeps } from './deps';
import type {
  CutoutInput,
  GenerateClipInput,
  GenerateImageInput,
  GenerateMusicInput,
  ModelClip,
  PlanScenesInput,
  PlanShotsInput,
} from './inputs';
import type { CallContext, ClipRequest, GeneratedFile } from './providers/types';
import { frameSize } from '../core/sizes';
import { truthfully } from './failures';
import { withWorkspace } from './workspace';

/**
 * Planning and generation through the configured providers. Each generation writes to a scratch
 * file and mirrors it to storage inside the same activity, because provider URLs expire.
 */
export function createGenerationActivities(deps: ActivityDeps) {
  const { providers, storage } = deps;
  const progressFor = (sessionId: string, assetId: string) => (fraction: number) =>
    deps.publish(sessionId, SESSION_EVENTS.progress, { assetId, fraction });
  /** The call context of one asset: progress to its room, and the job a paid provider keys by. */
  const assetCall = (input: { sessionId: string; assetId: string; tier?: ModelTier | undefined }) =>
    providerCallContext(progressFor(input.sessionId, input.assetId), {
      sessionId: input.sessionId,
      assetId: input.assetId,
      tier: input.tier ?? 'standard',
    });
  /** Planning jobs are keyed by the id the workflow gave them (older runs: one per session). */
  const planCall = (
    input: { sessionId: string; jobId?: string | undefined; tier?: ModelTier | undefined },
    kind: string,
  ) =>
    providerCallContext(undefined, {
      sessionId: input.sessionId,
      assetId: input.jobId ?? `${kind}:${input.sessionId}`,
      tier: input.tier ?? 'standard',
    });

  /** Mirrors a generated file to its storage key and describes the stored asset. */
  const store = async (
    type: 'image' | 'clip' | 'music',
    input: { sessionId: string; assetId: string },
    out: GeneratedFile,
    fallbackExt: string,
    started: number,
  ): Promise<AssetView> => {
    const key = assetKey(input.sessionId, type, input.assetId, extensionOf(out.path, fallbackExt));
    const stored = await storage.putFile(key, out.path, out.mime);
    return {
      id: input.assetId,
      type,
      status: 'ready',
      storageKey: key,
      mime: out.mime,
      bytes: stored.bytes,
      sha256: stored.sha256,
      provider: providers.name,
      model: out.model,
      costUsd: out.costUsd,
      generationMs: Date.now() - started,
    };
  };

  /**
   * Scores the composited product against the cutout, and keeps the product layer beside the image
   * (clips lay it over moves that would veil it, and score their frames against it).
   */
  const productPlacement = async (
    input: { sessionId: string; assetId: string },
    imagePath: string,
    cutoutPath: string,
    out: {
      width: number;
      height: number;
      productBox?: ProductBox | undefined;
      productLayerPath?: string | undefined;
    },
    ctx: CallContext,
  ): Promise<Pick<AssetView, 'fidelity' | 'fidelityWarning' | 'productBox'>> => {
    // Composited by the studio: checked where it was placed. Made by a model: searched for, and
    // the box found is where exports reframe around (and where its clips look for it).
    const check = await checkImage(imagePath, cutoutPath, out.productBox, ctx);
    // Nothing in the image looks like the product: it is flagged, and has no box to keep.
    if (!check.found) return { fidelity: 0, fidelityWarning: true };
    const fidelity = check.fidelity;
    if (!out.productLayerPath) {
      out.productLayerPath = await productLayerFor(
        cutoutPath,
        check.productBox,
        out.width,
        out.height,
        `${imagePath}.product.png`,
      );
    }
    if (out.productLayerPath) {
      await storage.putFile(
        productLayerKey(input.sessionId, input.assetId),
        out.productLayerPath,
        'image/png',
      );
    }
    return {
      fidelity,
      fidelityWarning: fidelity < FIDELITY_WARNING_BELOW,
      productBox: check.productBox,
    };
  };

  /** What a provider is asked for a clip: the still, copied from storage, in the session's format. */
  const clipRequest = async (
    input: GenerateClipInput,
    dir: string,
    outputPath: string,
  ): Promise<ClipRequest> => {
    const source = input.sourceImage;
    if (!source.storageKey) throw new Error(`Image ${source.id} has no stored file`);
    const imagePath = join(dir, `source.${extensionOf(source.storageKey, 'png')}`);
    await storage.getToFile(source.storageKey, imagePath);
    return {
      imagePath,
      motion: input.motion,
      prompt: input.prompt,
      seed: input.seed,
      style: input.style,
      durationSeconds: CLIP_SECONDS,
      fps: VIDEO_FPS,
      ...frameSize(input.aspectRatio ?? '16:9'),
      outputPath,
    };
  };

  return {
    async planShots(input: PlanShotsInput) {
      return truthfully(deps.log, 'the shot plan', async () => {
        const started = Date.now();
        const plan = await providers.planner.planShots(
          {
            prompt: input.prompt,
            count: input.count,
            aspectRatio: input.aspectRatio,
            seed: input.seed,
            hasPhoto: input.hasPhoto,
          },
          planCall(input, 'plan-shots'),
        );
        return { ...plan, provider: providers.name, durationMs: Date.now() - started };
      });
    },

    async planScenes(input: PlanScenesInput) {
      return truthfully(deps.log, 'the scene plan', async () => {
        const started = Date.now();
        const plan = await providers.planner.planScenes(
          {
            videoPrompt: input.videoPrompt,
            product: input.product,
            style: input.style,
            images: input.images,
            durationSeconds: input.durationSeconds,
          },
          planCall(input, 'plan-scenes'),
        );
        return { ...plan, provider: providers.name, durationMs: Date.now() - started };
      });
    },

    async generateImage(input: GenerateImageInput): Promise<AssetView> {
      return truthfully(deps.log, 'an image', async () => {
        const ctx = assetCall(input);
        return withWorkspace(deps.workDir, 'image', async (dir) => {
          const started = Date.now();
          let productPhotoPath: string | undefined;
          if (input.productPhotoKey) {
            productPhotoPath = join(dir, 'product-photo');
            await storage.getToFile(input.productPhotoKey, productPhotoPath);
          }
          const out = await providers.images.generateImage(
            {
              prompt: input.prompt,
              view: input.view,
              seed: input.seed,
              style: input.style,
              product: input.product,
              ...frameSize(input.aspectRatio),
              productPhotoPath,
              outputPath: join(dir, `${input.assetId}.png`),
            },
            ctx,
          );
          const placed = productPhotoPath
            ? await productPlacement(input, out.path, productPhotoPath, out, ctx)
            : {};
          return {
            ...(await store('image', input, out, 'png', started)),
            width: out.width,
            height: out.height,
            prompt: input.prompt,
            seed: input.seed,
            view: input.view,
            shotName: out.shotName,
            sceneNotice: out.sceneNotice,
            ...placed,
          };
        });
      });
    },

    async generateClip(input: GenerateClipInput): Promise<AssetView> {
      return truthfully(deps.log, 'a clip', async () => {
        const ctx = assetCall(input);
        return withWorkspace(deps.workDir, 'clip', async (dir) => {
          const started = Date.now();
          const source = input.sourceImage;
          const request = await clipRequest(input, dir, join(dir, `${input.assetId}.mp4`));
          let product: { layerPath: string; box: ProductBox } | undefined;
          if (source.productBox) {
            product = { layerPath: join(dir, 'product-layer.png'), box: source.productBox };
            await storage.getToFile(productLayerKey(input.sessionId, source.id), product.layerPath);
          }
          const out = await providers.clips.generateClip({ ...request, product }, ctx);
          let checked: Pick<AssetView, 'fidelity' | 'fidelityWarning' | 'productBox'> = {};
          if (product && out.productFrames) {
            const frames = join(dir, 'frames');
            await mkdir(frames);
            const { lowest } = await clipFidelity(
              out.path,
              product.layerPath,
              product.box,
              out.productFrames,
              frames,
              // Heartbeats (with this attempt's job id) while the frames are scored; a cancelled
              // activity stops between frames.
              () => {
                ctx.onProgress?.(1);
                ctx.signal?.throwIfAborted();
              },
              // The clip's other frames are scored only when its most moved one is near the line.
              FIDELITY_WARNING_BELOW,
            );
            checked = {
              fidelity: lowest,
              fidelityWarning: lowest < FIDELITY_WARNING_BELOW,
              // Where the product travels in this clip (the still's box through the move).
              productBox: boxThroughFrames(
                product.box,
                out.productFrames.map((f) => f.placement),
                out.width,
                out.height,
              ),
            };
          } else if (product) {
            // A model animated the still: the product is searched for in sampled frames.
            checked = await modelClipFidelity(
              out.path,
              product.layerPath,
              out.durationSeconds,
              dir,
              VIDEO_FPS,
              ctx,
            );
          }
          return {
            ...(await store('clip', input, out, 'mp4', started)),
            ...checked,
            width: out.width,
            height: out.height,
            durationSeconds: out.durationSeconds,
            prompt: input.prompt,
            seed: input.seed,
            motion: input.motion,
            sourceImageId: source.id,
          };
        });
      });
    },

    /**
     * A model's clip as it came, stored for the clip-finishing queue (`finishClip`) to bring to
     * the session's format: this queue only waits on the provider and downloads.
     */
    async generateModelClip(input: GenerateClipInput): Promise<ModelClip> {
      return truthfully(deps.log, 'a clip', async () => {
        const generate = providers.clips.generateModelClip?.bind(providers.clips);
        if (!generate) {
          throw businessFailure('INTERNAL', `The ${providers.name} studio finishes its own clips.`);
        }
        const ctx = assetCall(input);
        return withWorkspace(deps.workDir, 'clip', async (dir) => {
          const started = Date.now();
          const out = await generate(await clipRequest(input, dir, join(dir, 'model.mp4')), ctx);
          const key = modelClipKey(input.sessionId, input.assetId);
          await storage.putFile(key, out.path, out.mime);
          return {
            storageKey: key,
            mime: out.mime,
            provider: providers.name,
            model: out.model,
            costUsd: out.costUsd,
            generationMs: Date.now() - started,
          };
        });
      });
    },

    /** Cuts the product out of the uploaded photo once; every image is then made around it. */
    async cutoutProductPhoto(input: CutoutInput): Promise<AssetView> {
      return truthfully(deps.log, 'the product cutout', async () => {
        const remover = providers.cutouts;
        if (!remover)
          throw businessFailure('INTERNAL', `The ${providers.name} studio makes no cutouts.`);
        const ctx = assetCall(input);
        return withWorkspace(deps.workDir, 'cutout', async (dir) => {
          const started = Date.now();
          const photoPath = join(dir, 'product-photo');
          await storage.getToFile(input.photoKey, photoPath);
          const out = await remover.removeBackground(
            {
              imagePath: photoPath,
              outputPath: join(dir, `${input.assetId}.png`),
              hints: input.hints,
            },
            ctx,
          );
          return {
            ...(await store('image', input, out, 'png', started)),
            width: out.width,
            height: out.height,
            cutoutQuality: out.quality,
            // Where the person's marks on the photo fall on this cutout (the plan review).
            ...(out.photoBox ? { productBox: out.photoBox } : {}),
          };
        });
      });
    },

    async generateMusic(input: GenerateMusicInput): Promise<AssetView> {
      return truthfully(deps.log, 'the music', async () => {
        const ctx = assetCall(input);
        return withWorkspace(deps.workDir, 'music', async (dir) => {
          const started = Date.now();
          const out = await providers.music.generateMusic(
            {
              genre: input.genre,
              durationSeconds: input.durationSeconds,
              seed: input.seed,
              outputPath: join(dir, `${input.assetId}.m4a`),
            },
            ctx,
          );
          // Analysed once here: every render and export of the session cuts on these beats.
          const grid = await beatGridOf(out.path, dir, ctx.signal);
          return {
            ...(await store('music', input, out, 'm4a', started)),
            beats: grid.beats.map((t) => Math.round(t * 1000) / 1000),
            durationSeconds: out.durationSeconds,
            seed: input.seed,
            genre: input.genre,
          };
        });
      });
    },
  };
}

/** The product layer stored beside an image that has a composited product. */
export function productLayerKey(sessionId: string, imageId: string): string {
  return assetKey(sessionId, 'image', `${imageId}-product`, 'png');
}

/** Where a model's clip is kept as it came, beside the finished clip it becomes. */
export function modelClipKey(sessionId: string, assetId: string): string {
  return assetKey(sessionId, 'clip', `${assetId}-model`, 'mp4');
}

function extensionOf(path: string, fallback: string) {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1];
  return ext ? ext.toLowerCase() : fallback;
}
