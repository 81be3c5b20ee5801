import { ApplicationFailure } from '@temporalio/common';
import sharp from 'sharp';
import { businessFailure } from '../../../core/errors';
import type { AspectRatio, ModelTier, MusicGenre } from '../../../core/options';
import {
  REPLICATE_MODELS,
  replicateModel,
  type ReplicateCapability,
  type ReplicateModelKey,
} from '../../../core/replicate-models';
import type { StyleSpec } from '../../../core/session';
import type {
  BackgroundRemover,
  CallContext,
  ClipGenerator,
  ImageGenerator,
  MusicGenerator,
} from '../types';
import { opaqueBox } from '../alpha';
import { downloadOutput, OutputGoneError, type MediaKind } from './download';
import type { createLifecycle } from './lifecycle';
import { normaliseClip } from '../../media/clip-format';
import { whileBeating } from '../while-beating';
import { imageDataUri, normaliseAudio, normaliseImage } from './normalise';
import { createReplicateVoices } from './voice';

type Lifecycle = ReturnType<typeof createLifecycle>;

/** An operator's pin of one capability to another model of the table (e.g. the legacy SVD). */
export type ModelOverrides = Partial<Record<ReplicateCapability, ReplicateModelKey>>;

/**
 * Images, cutouts, clips, music and voices on Replicate. Each call runs one prediction through the
 * lifecycle (recorded, reconciled, paid once), saves its output at once (Replicate deletes it
 * after an hour) and brings it to the session's format. The cost is what every prediction for
 * the asset cost, so the ledger is the sum of the predictions.
 */

export function createReplicateMedia(lifecycle: Lifecycle, overrides: ModelOverrides = {}) {
  /** Runs the tier's model for a capability and saves its first output file. */
  async function runToFile(
    capability: ReplicateCapability,
    purpose: string,
    request: Parameters<ReturnType<typeof replicateModel>['buildInput']>[0],
    kind: MediaKind,
    downloadPath: string,
    ctx: CallContext | undefined,
  ) {
    const job = requireJob(ctx);
    const override = overrides[capability];
    const model = override ? REPLICATE_MODELS[override] : replicateModel(job.tier, capability);
    const finished = await lifecycle.run(
      {
        sessionId: job.sessionId,
        assetId: job.assetId,
        purpose,
        model,
        input: model.buildInput(request),
      },
      ctx,
    );
    const url = firstOutput(finished.prediction.output);
    try {
      await whileBeating(ctx, () =>
        downloadOutput(url, downloadPath, {
          kind,
          maxBytes: model.maxOutputBytes,
          signal: ctx?.signal,
        }),
      );
    } catch (error) {
      if (error instanceof OutputGoneError) throw await lifecycle.markOutputLost(finished.jobKey);
      throw error;
    }
    return { model: model.ref.split(':')[0]!, costUsd: finished.assetCostUsd };
  }

  const images: ImageGenerator = {
    async generateImage(input, ctx) {
      const aspectRatio = aspectOf(input.width, input.height);
      const prompt = withStyle(input.prompt, input.style);
      const raw = `${input.outputPath}.model`;
      // With a product photo (its cutout), the edit model places that very product in the scene.
      const run = input.productPhotoPath
        ? await runToFile(
            'edit',
            'image',
            {
              prompt: `${prompt}. Keep the product exactly as in the reference photo: same shape, colours, logo and text.`,
              image: await imageDataUri(input.productPhotoPath),
              seed: input.seed,
              aspectRatio,
            },
            'image',
            raw,
            ctx,
          )
        : await runToFile(
            'image',
            'image',
            { prompt, seed: input.seed, aspectRatio },
            'image',
            raw,
            ctx,
          );
      const size = await normaliseImage(raw, input.outputPath, input.width, input.height);
      return { path: input.outputPath, mime: 'image/png', ...size, ...run };
    },
  };

  const cutouts: BackgroundRemover = {
    async removeBackground(input, ctx) {
      const raw = `${input.outputPath}.model`;
      const run = await runToFile(
        'cutout',
        'cutout',
        { prompt: '', image: await imageDataUri(input.imagePath) },
        'image',
        raw,
        ctx,
      );
      // Trimmed to the product, as the local cutout is, so scenes place the product itself.
      const { data, info: frame } = await sharp(raw)
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const box = opaqueBox(data, frame.width, frame.height);
      if (box.width <= 0) {
        throw businessFailure(
          'MEDIA_INVALID',
          'The background remover found no product in the photo. Upload a clearer photo of it.',
        );
      }
      const info = await sharp(data, {
        raw: { width: frame.width, height: frame.height, channels: 4 },
      })
        .extract(box)
        .png()
        .toFile(input.outputPath);
      return {
        path: input.outputPath,
        mime: 'image/png',
        width: info.width,
        height: info.height,
        ...run,
      };
    },
  };

  /** The model's clip as it came (its own size, rate and length). */
  const generateModelClip: NonNullable<ClipGenerator['generateModelClip']> = async (input, ctx) => {
    const run = await runToFile(
      'clip',
      'clip',
      {
        prompt: input.style ? withStyle(input.prompt, input.style) : input.prompt,
        image: await imageDataUri(input.imagePath),
        seed: input.seed,
        durationSeconds: input.durationSeconds,
        aspectRatio: aspectOf(input.width, input.height),
      },
      'video',
      input.outputPath,
      ctx,
    );
    return { path: input.outputPath, mime: 'video/mp4', ...run };
  };

  const clips: ClipGenerator = {
    generateModelClip,
    /** The model's clip in the session's format, in one go (runs from before finishing apart). */
    async generateClip(input, ctx) {
      const raw = await generateModelClip(
        { ...input, outputPath: `${input.outputPath}.model` },
        ctx,
      );
      const made = await whileBeating(ctx, () =>
        normaliseClip(
          raw.path,
          input.outputPath,
          {
            width: input.width,
            height: input.height,
            fps: input.fps,
            maxSeconds: input.durationSeconds,
          },
          ctx?.signal,
        ),
      );
      return { ...raw, path: input.outputPath, ...made };
    },
  };

  const music: MusicGenerator = {
    async generateMusic(input, ctx) {
      const raw = `${input.outputPath}.model`;
      const style = MUSIC_PROMPTS[input.genre];
      const run = await runToFile(
        'music',
        'music',
        { prompt: style.prompt, durationSeconds: input.durationSeconds, seed: input.seed },
        'audio',
        raw,
        ctx,
      );
      const made = await whileBeating(ctx, () =>
        normaliseAudio(raw, input.outputPath, input.durationSeconds, ctx?.signal),
      );
      return { path: input.outputPath, mime: 'audio/mp4', bpm: style.bpm, ...made, ...run };
    },
  };

  return { images, cutouts, clips, music, voices: createReplicateVoices(runToFile) };
}

/** What MusicGen is asked for each genre, at the tempo the render's beat grid assumes. */
const MUSIC_PROMPTS: Record<MusicGenre, { prompt: string; bpm: number }> = {
  upbeat: {
    prompt: 'upbeat modern pop, punchy drums, bright synths, claps, 120 bpm, advert bed',
    bpm: 120,
  },
  cinematic: {
    prompt: 'cinematic orchestral build, warm strings, soft percussion, 90 bpm, trailer',
    bpm: 90,
  },
  electronic: {
    prompt: 'sleek electronic house, four on the floor, deep bass, 128 bpm, product launch',
    bpm: 128,
  },
  ambient: {
    prompt: 'calm ambient pads, gentle piano, airy textures, 70 bpm, premium brand',
    bpm: 70,
  },
  acoustic: {
    prompt: 'light acoustic guitar and percussion, warm and friendly, 100 bpm, lifestyle advert',
    bpm: 100,
  },
};

/** The shared look goes into every prompt, so one session reads as one campaign. */
export function withStyle(prompt: string, style: StyleSpec): string {
  return (
    `${prompt}. Lighting: ${style.lighting}. Camera: ${style.camera}. Mood: ${style.mood}. ` +
    `Colour palette ${style.palette.join(', ')}; ${style.grade}. Backdrop: ${style.backdrop}.`
  );
}

export function aspectOf(width: number, height: number): AspectRatio {
  if (width === height) return '1:1';
  return width > height ? '16:9' : '9:16';
}

function firstOutput(output: unknown): string {
  const first = Array.isArray(output) ? output.find((o) => typeof o === 'string') : output;
  if (typeof first !== 'string') {
    throw ApplicationFailure.retryable('The model finished without a file.', 'PROVIDER_REJECTED');
  }
  return first;
}

export function requireJob(ctx: CallContext | undefined): {
  sessionId: string;
  assetId: string;
  tier: ModelTier;
} {
  if (!ctx?.job) {
    throw ApplicationFailure.nonRetryable('A paid call needs its session and asset.', 'INTERNAL');
  }
  return ctx.job;
}
