import type {
  AspectRatio,
  BeatRole,
  CameraMove,
  ModelTier,
  MusicGenre,
  ProductView,
} from '../core/options';
import type { CutoutHints } from '../core/cutout-quality';
import type { AssetView, Composition, ProductSpec, StyleSpec } from '../core/session';
import type { VoiceLanguage } from '../core/voices';

/** Inputs of the activities, as the workflow sends them. Ids are made by the workflow. */

/**
 * What every paid call carries: the model tier, and (planning) the id of the planning job, so a
 * retried activity resumes the provider job it started. Absent in histories recorded before
 * paid providers existed.
 */
interface Paid {
  tier?: ModelTier | undefined;
}

export interface PlanShotsInput extends Paid {
  sessionId: string;
  jobId?: string | undefined;
  prompt: string;
  count: number;
  aspectRatio: AspectRatio;
  seed?: number | undefined;
  /** The session has a product photo (absent in histories recorded before this was sent). */
  hasPhoto?: boolean | undefined;
}

export interface PlanScenesInput extends Paid {
  sessionId: string;
  jobId?: string | undefined;
  videoPrompt: string;
  product: ProductSpec;
  style: StyleSpec;
  images: Array<{ id: string; view: ProductView; prompt: string; role?: BeatRole | undefined }>;
  /** The ad's length, for the voiceover the planner writes (absent in older histories). */
  durationSeconds?: number | undefined;
}

export interface GenerateImageInput extends Paid {
  sessionId: string;
  assetId: string;
  prompt: string;
  view: ProductView;
  seed: number;
  style: StyleSpec;
  product: ProductSpec;
  aspectRatio: AspectRatio;
  productPhotoKey?: string | undefined;
}

export interface GenerateClipInput extends Paid {
  sessionId: string;
  assetId: string;
  sourceImage: AssetView;
  motion: CameraMove;
  prompt: string;
  seed: number;
  /** The session's format; absent in histories recorded before formats existed (16:9). */
  aspectRatio?: AspectRatio | undefined;
  /** The session's look, applied to the clip's prompt (absent in older histories). */
  style?: StyleSpec | undefined;
}

/**
 * A model's clip as it came, stored before it is brought to the session's format (on the
 * clip-finishing queue); what it cost travels with it to the finished asset.
 */
export interface ModelClip {
  storageKey: string;
  mime: string;
  provider: string;
  model: string;
  costUsd: number;
  generationMs: number;
}

export interface FinishClipInput extends GenerateClipInput {
  modelClip: ModelClip;
}

export interface GenerateMusicInput extends Paid {
  sessionId: string;
  assetId: string;
  genre: MusicGenre;
  durationSeconds: number;
  seed: number;
}

/** The voiceover of a composition, spoken phrase by phrase and laid on the ad's timeline. */
export interface GenerateVoiceInput extends Paid {
  sessionId: string;
  assetId: string;
  script: string;
  voiceId: string;
  language: VoiceLanguage;
  /** The ad's length: the voice track is exactly this long. */
  durationSeconds: number;
}

/** A short sample of a voice reading (the start of) a script, before anything is rendered. */
export interface PreviewVoiceInput extends Paid {
  sessionId: string;
  /** Keys the paid call of a provider voice (a fresh id per preview). */
  previewId: string;
  text: string;
  voiceId: string;
  language: VoiceLanguage;
}

export interface VoicePreview {
  /** MP3 bytes, base64. */
  audioBase64: string;
  mime: string;
  durationSeconds: number;
  model: string;
  costUsd: number;
}

/** A product photo to cut out once per session. */
export interface CutoutInput extends Paid {
  sessionId: string;
  assetId: string;
  photoKey: string;
  /** A person's marks to redo the cutout with (keep, drop, a box); absent: none. */
  hints?: CutoutHints | undefined;
}

export interface RenderInput {
  sessionId: string;
  assetId: string;
  clips: AssetView[];
  music?: AssetView | undefined;
  composition: Composition;
  /** The session's format; histories from before it was passed mean 16:9. */
  aspectRatio?: AspectRatio | undefined;
  /**
   * Export in another format than the session's, from the same clips: each clip is reframed
   * around its product (its productBox) and the text laid out for this format. Absent: the
   * session's format.
   */
  targetAspect?: AspectRatio | undefined;
  /** The ad's chosen length; absent in histories from before it could be chosen (8 to 12 s). */
  durationSeconds?: number | undefined;
  /** The voiceover to mix in, with its cues for the captions (absent: no voice). */
  voice?: AssetView | undefined;
  /**
   * Land cuts and the lower third's entrance on the music's beats (found in the music track)
   * when one lies within this many seconds. Absent: timing as planned.
   */
  beatSnapSeconds?: number | undefined;
}

export interface CostEntry {
  sessionId: string;
  stage: string;
  agent: string;
  provider: string;
  model: string;
  costUsd: number;
  durationMs: number;
  success: boolean;
  error?: string | undefined;
  /** Unique per paid call, so a retried record never counts twice. */
  idempotencyKey: string;
}
