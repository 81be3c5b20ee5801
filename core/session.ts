import { z } from 'zod';
import { CutoutHintsSchema, CutoutQualitySchema } from './cutout-quality';
import { ERRORS } from './errors';
import {
  ASPECT_RATIOS,
  BEAT_ROLES,
  CAMERA_MOVES,
  MODEL_TIERS,
  MUSIC_GENRES,
  PRODUCT_VIEWS,
  PROVIDERS,
} from './options';
import { STAGES } from './stages';
import { CueSchema } from './voice-timing';
import { LANGUAGE_CODES } from './voices';

/**
 * The shape of a session as the workflow holds it and the `state` query returns it. Activities
 * store its rows, the API serves it (and documents it in its OpenAPI document), the UI renders it.
 * The schemas are the one description: every type below is inferred from them. The few with a
 * `meta` id are named components of the OpenAPI document.
 */

const StageSchema = z.enum(STAGES);
const ErrorCodeSchema = z.enum(Object.keys(ERRORS) as [keyof typeof ERRORS]);
const VoiceLanguageSchema = z.enum(LANGUAGE_CODES as [(typeof LANGUAGE_CODES)[number]]);
const AspectRatioSchema = z.enum(ASPECT_RATIOS);
const MusicGenreSchema = z.enum(MUSIC_GENRES);
const ProductViewSchema = z.enum(PRODUCT_VIEWS);
const BeatRoleSchema = z.enum(BEAT_ROLES);

export const ASSET_TYPES = ['image', 'clip', 'music', 'voice', 'final'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];
export const ASSET_STATUSES = ['pending', 'generating', 'ready', 'failed', 'replaced'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

export const LoudnessReadoutSchema = z.object({
  integratedLufs: z.number(),
  truePeakDbtp: z.number(),
  /** The voice's lead over the ducked music while it speaks (LU); null without both. */
  voiceToMusicDb: z.number().nullable(),
  /** How far the music dips under the voice (LU); null without both. */
  duckingDb: z.number().nullable(),
});
export type LoudnessReadout = z.infer<typeof LoudnessReadoutSchema>;

/** A box in a frame, every value a fraction 0..1 of the frame's width or height. */
export const ProductBoxSchema = z.object({
  x: z.number(),
  y: z.number(),
  w: z.number(),
  h: z.number(),
});
export type ProductBox = z.infer<typeof ProductBoxSchema>;

const SidecarKeysSchema = z.object({ srt: z.string(), vtt: z.string() });

export const AssetViewSchema = z
  .object({
    id: z.string(),
    type: z.enum(ASSET_TYPES),
    status: z.enum(ASSET_STATUSES),
    storageKey: z.string().optional(),
    mime: z.string().optional(),
    bytes: z.number().optional(),
    sha256: z.string().optional(),
    width: z.number().optional(),
    height: z.number().optional(),
    durationSeconds: z.number().optional(),
    provider: z.string().optional(),
    model: z.string().optional(),
    prompt: z.string().optional(),
    seed: z.number().optional(),
    costUsd: z.number(),
    generationMs: z.number().optional(),
    /** Image view, clip camera move, the image a clip came from, music genre... */
    view: ProductViewSchema.optional(),
    motion: z.enum(CAMERA_MOVES).optional(),
    sourceImageId: z.string().optional(),
    genre: MusicGenreSchema.optional(),
    /**
     * A music track's beats, seconds from its start, found once when the track is made (renders
     * and exports cut on them without decoding it again). Absent on tracks from before.
     */
    beats: z.array(z.number()).optional(),
    /** The beat the image or clip plays in the ad (hook first, call to action last). */
    role: BeatRoleSchema.optional(),
    /** A clip made from the last frame of this clip, so a scene runs longer than one clip. */
    continuesFromId: z.string().optional(),
    error: z.string().optional(),
    /** The format of a rendered ad (the session's own, or another it was exported to). */
    aspectRatio: AspectRatioSchema.optional(),
    /** A regenerated variant names the asset it was made from; both are shown until one is kept. */
    variantOf: z.string().optional(),
    /** Why a failed asset failed, so the person knows whether a retry can help. */
    errorCode: ErrorCodeSchema.optional(),
    /** A final ad's poster frame (a JPEG beside the MP4). */
    posterKey: z.string().optional(),
    /**
     * How faithfully the product photo's cutout survives in this image or clip (masked SSIM of the
     * product region, 0..1; for a clip the lowest of its scored frames: the one its move carries
     * furthest, and the others too when that one is near the warning line). Absent without a photo.
     */
    fidelity: z.number().optional(),
    /** True when `fidelity` is below FIDELITY_WARNING_BELOW: the product drifted from the photo. */
    fidelityWarning: z.boolean().optional(),
    /** Where the product was placed, as fractions of the frame (for reframing to other aspects). */
    productBox: ProductBoxSchema.optional(),
    /** What an image shows when it is not simply its view ("warm window light, close"). */
    shotName: z.string().optional(),
    /** What the image's prompt asked that the provider could not do, in plain words. */
    sceneNotice: z.string().optional(),
    /** A product cutout's quality and verdict in plain words (the plan review shows it). */
    cutoutQuality: CutoutQualitySchema.optional(),
    /** A voiceover's voice (core/voices.ts) and the language it speaks; its script is `prompt`. */
    voiceId: z.string().optional(),
    language: VoiceLanguageSchema.optional(),
    /** A voiceover's phrases and when each is heard (seconds from the start of the ad). */
    cues: z.array(CueSchema).optional(),
    /** A final ad's captions as sidecar files (SubRip and WebVTT) beside the MP4. */
    captionKeys: SidecarKeysSchema.optional(),
    /** The loudness a final ad's sound landed on (render/mix.ts). */
    loudness: LoudnessReadoutSchema.optional(),
  })
  .meta({ id: 'Asset' });
export type AssetView = z.infer<typeof AssetViewSchema>;

/** The voiceover of a composition: what is said, by which voice, in which language. */
export const VoiceoverChoiceSchema = z.object({
  enabled: z.boolean(),
  script: z.string(),
  voiceId: z.string(),
  language: VoiceLanguageSchema,
});
export type VoiceoverChoice = z.infer<typeof VoiceoverChoiceSchema>;

/**
 * Below this fidelity the product no longer looks like the photo (a model re-drew it, or it was
 * warped): the asset is flagged, and a clip should not be paid for from such an image.
 */
export const FIDELITY_WARNING_BELOW = 0.9;

export const SessionOptionsSchema = z.object({
  imageCount: z.number(),
  aspectRatio: AspectRatioSchema,
  budgetUsd: z.number(),
  tier: z.enum(MODEL_TIERS),
  provider: z.enum(PROVIDERS),
  /** Stop after planning so a person reviews the style, prompts and cutout (absent: no). */
  reviewPlan: z.boolean().optional(),
  /** The finished ad's length (absent in sessions from before it could be chosen: 8–12 s). */
  durationSeconds: z.number().optional(),
});
export type SessionOptions = z.infer<typeof SessionOptionsSchema>;

/** Shared look applied to every image and scene of a session. */
export const StyleSpecSchema = z.object({
  lighting: z.string(),
  camera: z.string(),
  /** Hex colours, most prominent first. */
  palette: z.array(z.string()),
  mood: z.string(),
  grade: z.string(),
  backdrop: z.string(),
});
export type StyleSpec = z.infer<typeof StyleSpecSchema>;

/** What the planner understood of the product prompt. */
export const ProductSpecSchema = z.object({
  /** Short product noun phrase, e.g. "tennis shoes". */
  name: z.string(),
  /** One of the kinds the local studio can draw, e.g. "shoe", "bottle", "watch". */
  kind: z.string(),
  colourName: z.string(),
  colourHex: z.string(),
  material: z.string(),
});
export type ProductSpec = z.infer<typeof ProductSpecSchema>;

export const CompositionSchema = z
  .object({
    productName: z.string(),
    callToAction: z.string(),
    tagline: z.string().optional(),
    colors: z.object({ primary: z.string(), accent: z.string(), text: z.string() }),
    music: z.object({ enabled: z.boolean(), genre: MusicGenreSchema }),
    /** Absent in compositions from before voiceovers, and when the person never set one. */
    voice: VoiceoverChoiceSchema.optional(),
  })
  .meta({ id: 'Composition' });
export type Composition = z.infer<typeof CompositionSchema>;

export const SessionErrorSchema = z
  .object({
    stage: StageSchema,
    code: ErrorCodeSchema,
    message: z.string(),
    provider: z.string().optional(),
    model: z.string().optional(),
    /** False for content-policy and other rejections a plain retry cannot fix. */
    retryable: z.boolean(),
    at: z.string(),
  })
  .meta({ id: 'SessionError' });
export type SessionError = z.infer<typeof SessionErrorSchema>;

/** Progress of the current stage; labels for people live in the UI, keyed by stage. */
export const ProgressSchema = z.object({
  done: z.number(),
  total: z.number(),
  /** 0..1 across the current stage. */
  fraction: z.number(),
});
export type Progress = z.infer<typeof ProgressSchema>;

export const SessionStateSchema = z.object({
  sessionId: z.string(),
  userId: z.string(),
  title: z.string(),
  stage: StageSchema,
  progress: ProgressSchema,
  options: SessionOptionsSchema,
  productPrompt: z.string(),
  productPhotoKey: z.string().optional(),
  /** The product cut out of the photo (paid providers), which every image is made around. */
  productCutout: AssetViewSchema.optional(),
  /** The person's marks the cutout is redone with (fractions of the photo); absent: none. */
  cutoutHints: CutoutHintsSchema.optional(),
  videoPrompt: z.string().optional(),
  seed: z.number().optional(),
  style: StyleSpecSchema.optional(),
  product: ProductSpecSchema.optional(),
  /** Image prompts per view, with the beat each shot plays, from the shot plan. */
  shots: z.array(
    z.object({ view: ProductViewSchema, prompt: z.string(), role: BeatRoleSchema.optional() }),
  ),
  images: z.array(AssetViewSchema),
  clips: z.array(AssetViewSchema),
  music: AssetViewSchema.optional(),
  /** The voiceover spoken for the current composition (remade when its script or voice change). */
  voice: AssetViewSchema.optional(),
  /** The voiceover the planner wrote with the scenes; the composition step starts from it. */
  voiceover: z.object({ script: z.string(), language: VoiceLanguageSchema }).optional(),
  final: AssetViewSchema.optional(),
  /** The same ad rendered in other formats, one per format, from the same clips. */
  exports: z.array(AssetViewSchema).optional(),
  /** The format being rendered now, when it is not the session's own. */
  exportTarget: AspectRatioSchema.optional(),
  approvedImageIds: z.array(z.string()),
  /** The person's order of the clips while choosing them (before they approve). */
  clipOrder: z.array(z.string()).optional(),
  /** Approved clips, in the order they play. */
  approvedClipIds: z.array(z.string()),
  composition: CompositionSchema.optional(),
  costs: z.object({ totalUsd: z.number(), byStage: z.partialRecord(StageSchema, z.number()) }),
  lastError: SessionErrorSchema.optional(),
  /** Increases with every change, so clients can drop stale updates. */
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SessionState = z.infer<typeof SessionStateSchema>;
