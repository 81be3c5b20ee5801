import { Context } from '@temporalio/activity';
import type { Activities } from '../../activities';
import { assignRoles, completeRoles, orderByRole } from '../../core/beats';
import { PRODUCT_VIEWS } from '../../core/options';
import type { AssetView } from '../../core/session';
import { modelClipKey } from '../../activities/generation';
import { frameSize } from '../../core/sizes';
import { assetKey } from '../../storage';

/**
 * Generation activities that make no media, at known prices, so workflow tests are fast and can
 * count what was paid for. Record activities stay real (the database is part of the behaviour).
 */
/** Keys of the real shape (storage refuses any other), though no file is written. */
const FAKE_EXTENSIONS = {
  image: 'png',
  clip: 'mp4',
  music: 'm4a',
  voice: 'flac',
  final: 'mp4',
} as const;

export const FAKE_PRICES = { planner: 0.01, image: 0.25, clip: 0.5, music: 0.1 } as const;

export interface FakeBehaviour {
  /** Return an Error to make that call fail (before doing anything). */
  fail?: (name: string, input: Record<string, unknown>) => Error | undefined;
  /** When set, generateClip heartbeats until it is cancelled, then calls this. */
  hangClipsUntilCancelled?: () => void;
}

export function createFakeGeneration(behaviour: FakeBehaviour = {}) {
  const check = (name: string, input: object) => {
    const error = behaviour.fail?.(name, input as Record<string, unknown>);
    if (error) throw error;
  };
  const asset = (
    type: AssetView['type'],
    id: string,
    sessionId: string,
    cost: number,
    extra: Partial<AssetView>,
  ): AssetView => ({
    id,
    type,
    status: 'ready',
    storageKey: assetKey(sessionId, type, id, FAKE_EXTENSIONS[type]),
    mime: 'application/octet-stream',
    provider: 'fake',
    model: `fake/${type}`,
    costUsd: cost,
    generationMs: 1,
    ...extra,
  });

  const generation: Pick<
    Activities,
    | 'planShots'
    | 'planScenes'
    | 'generateImage'
    | 'generateClip'
    | 'generateModelClip'
    | 'finishClip'
    | 'extractLastFrame'
    | 'generateMusic'
    | 'renderVideo'
  > = {
    planShots(input) {
      check('planShots', input);
      const views = Array.from(
        { length: input.count },
        (_, i) => PRODUCT_VIEWS[i % PRODUCT_VIEWS.length]!,
      );
      const roles = assignRoles(views);
      return Promise.resolve({
        seed: 42,
        style: {
          lighting: 'soft',
          camera: '50mm',
          palette: ['#ffffff'],
          mood: 'calm',
          grade: 'clean',
          backdrop: 'studio',
        },
        product: {
          name: input.prompt,
          kind: 'shoe',
          colourName: 'pink',
          colourHex: '#ff69b4',
          material: 'mesh',
        },
        shots: views.map((view, i) => ({
          view,
          role: roles[i]!,
          prompt: `${input.prompt}, view ${i}`,
        })),
        model: 'fake/planner',
        costUsd: FAKE_PRICES.planner,
        provider: 'fake',
        durationMs: 1,
      });
    },
    planScenes(input) {
      check('planScenes', input);
      const roles = completeRoles(
        input.images.map((i) => i.view),
        input.images.map((i) => i.role),
      );
      return Promise.resolve({
        scenes: orderByRole(
          input.images.map((image, i) => ({
            imageId: image.id,
            motion: 'zoom_in' as const,
            role: roles[i]!,
            prompt: `${input.videoPrompt} (${image.view})`,
            durationSeconds: 3,
          })),
        ),
        model: 'fake/planner',
        costUsd: FAKE_PRICES.planner,
        provider: 'fake',
        durationMs: 1,
      });
    },
    generateImage(input) {
      check('generateImage', input);
      return Promise.resolve(
        asset('image', input.assetId, input.sessionId, FAKE_PRICES.image, {
          view: input.view,
          prompt: input.prompt,
          seed: input.seed,
        }),
      );
    },
    async generateClip(input) {
      check('generateClip', input);
      const onCancelled = behaviour.hangClipsUntilCancelled;
      if (onCancelled) {
        const ctx = Context.current();
        try {
          for (;;) {
            ctx.heartbeat();
            await ctx.sleep(50);
          }
        } catch (error) {
          onCancelled();
          throw error;
        }
      }
      return asset('clip', input.assetId, input.sessionId, FAKE_PRICES.clip, {
        sourceImageId: input.sourceImage.id,
        motion: input.motion,
        durationSeconds: 3,
      });
    },
    generateModelClip(input) {
      check('generateModelClip', input);
      return Promise.resolve({
        storageKey: modelClipKey(input.sessionId, input.assetId),
        mime: 'video/mp4',
        provider: 'fake',
        model: 'fake/clip',
        costUsd: FAKE_PRICES.clip,
        generationMs: 1,
      });
    },
    finishClip(input) {
      check('finishClip', input);
      return Promise.resolve(
        asset('clip', input.assetId, input.sessionId, input.modelClip.costUsd, {
          sourceImageId: input.sourceImage.id,
          motion: input.motion,
          durationSeconds: 3,
        }),
      );
    },
    extractLastFrame(input) {
      check('extractLastFrame', input);
      return Promise.resolve(asset('image', input.assetId, input.sessionId, 0, {}));
    },
    generateMusic(input) {
      check('generateMusic', input);
      return Promise.resolve(
        asset('music', input.assetId, input.sessionId, FAKE_PRICES.music, { genre: input.genre }),
      );
    },
    renderVideo(input) {
      check('renderVideo', input);
      return Promise.resolve(
        asset('final', input.assetId, input.sessionId, 0, {
          durationSeconds: 10,
          ...frameSize(input.aspectRatio ?? '16:9'),
        }),
      );
    },
  };
  return generation;
}
