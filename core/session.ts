import type { CutoutHints, CutoutQuality } from './cutout-quality';
import type { ErrorCode } from './errors';
import type {
  AspectRatio,
  BeatRole,
  CameraMove,
  ModelTier,
  MusicGenre,
  ProductView,
  ProviderName,
} from './options';
import type { Stage } from './stages';
import type { Cue } from './voice-timing';
import type { VoiceLanguage } from './voices';

/**
 * The shape of a session as the workflow holds it and the `state` query returns it. Activities
 * store its rows, the API serves it, the UI renders it.
 */

export type AssetType = 'image' | 'clip' | 'music' | 'voice' | 'final';
export type AssetStatus = 'pending' | 'generating' | 'ready' | 'failed' | 'replaced';

export interface AssetView {
  id: string;
  type: AssetType;
  status: AssetStatus;
  storageKey?: string | undefined;
  mime?: string | undefined;
  bytes?: number | undefined;
  sha256?: string | undefined;
  width?: number | undefined;
  height?: number | undefined;
  durationSeconds?: number | undefined;
  provider?: string | undefined;
  model?: string | undefined;
  prompt?: string | undefined;
  seed?: number | undefined;
  costUsd: number;
  generationMs?: number | undefined;
  /** Image view, clip camera move, the image a clip came from, music genre... */
  view?: ProductView | undefined;
  motion?: CameraMove | undefined;
  sourceImageId?: string | undefined;
  genre?: MusicGenre | undefined;
  /** The beat the image or clip plays in the ad (hook first, call to action last). */
  role?: BeatRole | undefined;
  /** A clip made from the last frame of this clip, so a scene runs longer than one clip. */
  continuesFromId?: string | undefined;
  error?: string | undefined;
  /** The format of a rendered ad (the session's own, or another it was exported to). */
  aspectRatio?: AspectRatio | undefined;
  /** A regenerated variant names the asset it was made from; both are shown until one is kept. */
  variantOf?: string | undefined;
  /** Why a failed asset failed, so the person knows whether a retry can help. */
  errorCode?: ErrorCode | undefined;
  /** A final ad's poster frame (a JPEG beside the MP4). */
  posterKey?: string | undefined;
  /**
   * How faithfully the product photo's cutout survives in this image or clip (masked SSIM of the
   * product region, 0..1; for a clip the lowest of its sampled frames). Absent without a photo.
   */
  fidelity?: number | undefined;
  /** True when `fidelity` is below FIDELITY_WARNING_BELOW: the product drifted from the photo. */
  fidelityWarning?: boolean | undefined;
  /** Where the product was placed, as fractions of the frame (for reframing to other aspects). */
  productBox?: ProductBox | undefined;
  /** What an image shows when it is not simply its view ("warm window light, close"). */
  shotName?: string | undefined;
  /** What the image's prompt asked that the provider could not do, in plain words. */
  sceneNotice?: string | undefined;
  /** A product cutout's quality and verdict in plain words (the plan review shows it). */
  cutoutQuality?: CutoutQuality | undefined;
  /** A voiceover's voice (core/voices.ts) and the language it speaks; its script is `prompt`. */
  voiceId?: string | undefined;
  language?: VoiceLanguage | undefined;
  /** A voiceover's phrases and when each is heard (seconds from the start of the ad). */
  cues?: Cue[] | undefined;
  /** A final ad's captions as sidecar files (SubRip and WebVTT) beside the MP4. */
  captionKeys?: { srt: string; vtt: string } | undefined;
  /** The loudness a final ad's sound landed on (render/mix.ts). */
  loudness?: LoudnessReadout | undefined;
}

export interface LoudnessReadout {
  integratedLufs: number;
  truePeakDbtp: number;
  /** The voice's lead over the ducked music while it speaks (LU); null without both. */
  voiceToMusicDb: number | null;
  /** How far the music dips under the voice (LU); null without both. */
  duckingDb: number | null;
}

/** The voiceover of a composition: what is said, by which voice, in which language. */
export interface VoiceoverChoice {
  enabled: boolean;
  script: string;
  voiceId: string;
  language: VoiceLanguage;
}

/** A box in a frame, every value a fraction 0..1 of the frame's width or height. */
export interface ProductBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Below this fidelity the product no longer looks like the photo (a model re-drew it, or it was
 * warped): the asset is flagged, and a clip should not be paid for from such an image.
 */
export const FIDELITY_WARNING_BELOW = 0.9;

export interface SessionOptions {
  imageCount: number;
  aspectRatio: AspectRatio;
  budgetUsd: number;
  tier: ModelTier;
  provider: ProviderName;
  /** Stop after planning so a person reviews the style, prompts and cutout (absent: no). */
  reviewPlan?: boolean | undefined;
  /** The finished ad's length (absent in sessions from before it could be chosen: 8–12 s). */
  durationSeconds?: number | undefined;
}

/** Shared look applied to every image and scene of a session. */
export interface StyleSpec {
  lighting: string;
  camera: string;
  /** Hex colours, most prominent first. */
  palette: string[];
  mood: string;
  grade: string;
  backdrop: string;
}

/** What the planner understood of the product prompt. */
export interface ProductSpec {
  /** Short product noun phrase, e.g. "tennis shoes". */
  name: string;
  /** One of the kinds the local studio can draw, e.g. "shoe", "bottle", "watch". */
  kind: string;
  colourName: string;
  colourHex: string;
  material: string;
}

export interface Composition {
  productName: string;
  callToAction: string;
  tagline?: string | undefined;
  colors: { primary: string; accent: string; text: string };
  music: { enabled: boolean; genre: MusicGenre };
  /** Absent in compositions from before voiceovers, and when the person never set one. */
  voice?: VoiceoverChoice | undefined;
}

export interface SessionError {
  stage: Stage;
  code: ErrorCode;
  message: string;
  provider?: string | undefined;
  model?: string | undefined;
  /** False for content-policy and other rejections a plain retry cannot fix. */
  retryable: boolean;
  at: string;
}

/** Progress of the current stage; labels for people live in the UI, keyed by stage. */
export interface Progress {
  done: number;
  total: number;
  /** 0..1 across the current stage. */
  fraction: number;
}

export interface SessionState {
  sessionId: string;
  userId: string;
  title: string;
  stage: Stage;
  progress: Progress;
  options: SessionOptions;
  productPrompt: string;
  productPhotoKey?: string | undefined;
  /** The product cut out of the photo (paid providers), which every image is made around. */
  productCutout?: AssetView | undefined;
  /** The person's marks the cutout is redone with (fractions of the photo); absent: none. */
  cutoutHints?: CutoutHints | undefined;
  videoPrompt?: string | undefined;
  seed?: number | undefined;
  style?: StyleSpec | undefined;
  product?: ProductSpec | undefined;
  /** Image prompts per view, with the beat each shot plays, from the shot plan. */
  shots: Array<{ view: ProductView; prompt: string; role?: BeatRole | undefined }>;
  images: AssetView[];
  clips: AssetView[];
  music?: AssetView | undefined;
  /** The voiceover spoken for the current composition (remade when its script or voice change). */
  voice?: AssetView | undefined;
  /** The voiceover the planner wrote with the scenes; the composition step starts from it. */
  voiceover?: { script: string; language: VoiceLanguage } | undefined;
  final?: AssetView | undefined;
  /** The same ad rendered in other formats, one per format, from the same clips. */
  exports?: AssetView[] | undefined;
  /** The format being rendered now, when it is not the session's own. */
  exportTarget?: AspectRatio | undefined;
  approvedImageIds: string[];
  /** The person's order of the clips while choosing them (before they approve). */
  clipOrder?: string[] | undefined;
  /** Approved clips, in the order they play. */
  approvedClipIds: string[];
  composition?: Composition | undefined;
  costs: { totalUsd: number; byStage: Partial<Record<Stage, number>> };
  lastError?: SessionError | undefined;
  /** Increases with every change, so clients can drop stale updates. */
  version: number;
  createdAt: string;
  updatedAt: string;
}
