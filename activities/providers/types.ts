import type {
  AspectRatio,
  BeatRole,
  CameraMove,
  ModelTier,
  MusicGenre,
  ProductView,
} from '../../core/options';
import type { CutoutHints, CutoutQuality } from '../../core/cutout-quality';
import type { ProductBox, ProductSpec, StyleSpec } from '../../core/session';
import type { Voice, VoiceLanguage } from '../../core/voices';

/**
 * One interface per capability. A provider writes its output to a local file the caller names;
 * the calling activity then mirrors that file to storage in the same activity (provider URLs
 * expire), so a retry never depends on a provider's copy.
 */

export type { ProductSpec, StyleSpec } from '../../core/session';

export interface ShotPlan {
  seed: number;
  style: StyleSpec;
  product: ProductSpec;
  /** In the order the planner chose; `role` is the beat the shot is meant to play. */
  shots: Array<{ view: ProductView; prompt: string; role: BeatRole }>;
}

/** A voiceover the planner wrote for the ad (the person edits it before the render). */
export interface VoiceoverDraft {
  script: string;
  language: VoiceLanguage;
}

export interface ScenePlan {
  /** In the order the ad plays them: by beat role, hook first, call to action last. */
  scenes: Array<{
    imageId: string;
    motion: CameraMove;
    prompt: string;
    durationSeconds: number;
    role: BeatRole;
  }>;
  /** The voiceover, fitted to the ad's length; absent from planners that write none. */
  voiceover?: VoiceoverDraft | undefined;
}

export interface CallContext {
  signal?: AbortSignal | undefined;
  /** Called with 0..1 as work advances; activities turn it into heartbeats. */
  onProgress?: ((fraction: number) => void) | undefined;
  /**
   * Provider-side job id from an earlier attempt of the same activity (Replicate prediction id),
   * so a retry resumes instead of paying again. `onJobCreated` reports a new one.
   */
  resumeJobId?: string | undefined;
  onJobCreated?: ((jobId: string) => void) | undefined;
  /** Which session and asset the call makes, and at which tier: paid providers key jobs by it. */
  job?: { sessionId: string; assetId: string; tier: ModelTier } | undefined;
}

export interface Billing {
  model: string;
  costUsd: number;
}

export interface Planner {
  planShots(
    input: {
      prompt: string;
      count: number;
      aspectRatio: AspectRatio;
      seed?: number | undefined;
      /** The session has a product photo: shots are scenes around it, not views of it. */
      hasPhoto?: boolean | undefined;
    },
    ctx?: CallContext,
  ): Promise<ShotPlan & Billing>;
  planScenes(
    input: {
      videoPrompt: string;
      product: ProductSpec;
      style: StyleSpec;
      images: Array<{ id: string; view: ProductView; prompt: string; role?: BeatRole | undefined }>;
      /** The ad's length, which the voiceover is written to fit (absent: 10 s). */
      durationSeconds?: number | undefined;
    },
    ctx?: CallContext,
  ): Promise<ScenePlan & Billing>;
}

export interface GeneratedFile extends Billing {
  path: string;
  mime: string;
}

export interface ImageGenerator {
  generateImage(
    input: {
      prompt: string;
      view: ProductView;
      seed: number;
      style: StyleSpec;
      product: ProductSpec;
      width: number;
      height: number;
      /** Uploaded product photo to composite onto the generated backdrop, if any. */
      productPhotoPath?: string | undefined;
      outputPath: string;
    },
    ctx?: CallContext,
  ): Promise<
    GeneratedFile & {
      width: number;
      height: number;
      /** Where the photo's cutout was composited (fractions of the frame), when it was. */
      productBox?: ProductBox | undefined;
      /** The cutout exactly as composited, on a transparent frame of the image's size. */
      productLayerPath?: string | undefined;
      /** What the shot is, when it is not simply its view ("warm window light, close"). */
      shotName?: string | undefined;
      /** What the prompt asked that this provider could not do (shown beside the image). */
      sceneNotice?: string | undefined;
    }
  >;
}

/** Where the product is in one frame of a clip: frame = scale * still + offset, in pixels. */
export interface ProductFrame {
  frame: number;
  placement: { scaleX: number; scaleY: number; offsetX: number; offsetY: number };
}

/** What a clip is made from and to. */
export interface ClipRequest {
  imagePath: string;
  motion: CameraMove;
  prompt: string;
  seed: number;
  durationSeconds: number;
  fps: number;
  /** The session's look; providers that read prompts apply it to the clip's prompt. */
  style?: StyleSpec | undefined;
  width: number;
  height: number;
  outputPath: string;
  /** The still's product layer and box, when a photo's cutout was composited into it. */
  product?: { layerPath: string; box: ProductBox } | undefined;
}

export interface ClipGenerator {
  /** The clip in the session's format (size, rate, length). */
  generateClip(
    request: ClipRequest,
    ctx?: CallContext,
  ): Promise<
    GeneratedFile & {
      width: number;
      height: number;
      durationSeconds: number;
      /** Where the still's product lands in sampled frames, for the fidelity check. */
      productFrames?: ProductFrame[] | undefined;
    }
  >;
  /**
   * The model's clip as it came (its own size, rate and length), for providers whose clips are
   * brought to the session's format apart, on the clip-finishing queue (media/clip-format.ts).
   */
  generateModelClip?(request: ClipRequest, ctx?: CallContext): Promise<GeneratedFile>;
}

export interface MusicGenerator {
  generateMusic(
    input: { genre: MusicGenre; durationSeconds: number; seed: number; outputPath: string },
    ctx?: CallContext,
  ): Promise<GeneratedFile & { durationSeconds: number; bpm: number }>;
}

/** Cuts the product out of an uploaded photo (a PNG with alpha). */
export interface BackgroundRemover {
  removeBackground(
    input: {
      imagePath: string;
      outputPath: string;
      /** A person's marks (keep, drop, a box) to redo the cutout with; absent: none. */
      hints?: CutoutHints | undefined;
    },
    ctx?: CallContext,
  ): Promise<
    GeneratedFile & {
      width: number;
      height: number;
      /** How trustworthy the cutout is, when the remover can tell. */
      quality?: CutoutQuality | undefined;
      /** Where the cutout sits in the photo (fractions of it), when the remover trims it. */
      photoBox?: { x: number; y: number; w: number; h: number } | undefined;
    }
  >;
}

/** One phrase of a voiceover, spoken into its own file. */
export interface SpokenPhrase {
  text: string;
  path: string;
}

/**
 * Speaks a voiceover phrase by phrase, each into its own file in `dir` (in order), so each
 * caption can be timed to its phrase.
 */
export interface VoiceGenerator {
  speak(
    input: { phrases: string[]; voice: Voice; language: VoiceLanguage; dir: string },
    ctx?: CallContext,
  ): Promise<Billing & { phrases: SpokenPhrase[] }>;
}

export interface Providers {
  name: string;
  planner: Planner;
  images: ImageGenerator;
  clips: ClipGenerator;
  music: MusicGenerator;
  voices: VoiceGenerator;
  /** Absent where photos are composited as they are (the local studio). */
  cutouts?: BackgroundRemover | undefined;
}
