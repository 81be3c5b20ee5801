import { z } from 'zod';
import { HEX_COLOUR } from './colour';
import {
  AD_SECONDS,
  ASPECT_RATIOS,
  IMAGE_COUNT,
  MODEL_TIERS,
  MUSIC_GENRES,
  PROVIDERS,
} from './options';
import { MAX_SCRIPT_CHARS } from './voice-script';
import { LANGUAGE_CODES, VOICE_IDS } from './voices';
import {
  CONTROL_CHARACTERS_MESSAGE,
  UUID_PATTERN,
  hasControlCharacters,
  id,
  text,
} from './strings';

/**
 * One schema per human action. The API validates request bodies with them, the workflow's
 * validators check updates and operators' signals with the same ones, and the UI reads LIMITS
 * for its fields, so the three cannot drift apart. Plain zod: pure and deterministic, so it is
 * safe inside the workflow sandbox.
 */

export const LIMITS = {
  productPrompt: { min: 3, max: 500 },
  title: 120,
  /** Video prompts and per-asset prompts. */
  prompt: 1000,
  productName: 60,
  callToAction: 80,
  tagline: 80,
  /** The voiceover script (how much of it fits depends on the ad's length: core/voice-script.ts). */
  voiceScript: MAX_SCRIPT_CHARS,
  budgetUsd: { max: 1000, default: 5 },
  imageCount: IMAGE_COUNT,
  /** Most images a person approves, and most clips (one clip per approved image). */
  selection: IMAGE_COUNT.max,
  /** The ad's length in whole seconds. */
  durationSeconds: AD_SECONDS,
  /** Each line of the style spec (lighting, camera, mood, grade, backdrop). */
  styleLine: 200,
  /** Colours in the style palette. */
  palette: { min: 2, max: 6 },
  /** Taps a person may place to keep, and to drop, when redoing a cutout (each list). */
  cutoutMarks: 20,
} as const;

const colour = z.string().regex(HEX_COLOUR, 'Use a colour like #1a2b3c.');

const productPrompt = text({
  min: LIMITS.productPrompt.min,
  max: LIMITS.productPrompt.max,
  multiline: true,
  required: 'Describe the product in a few words.',
});
const videoPrompt = text({ max: LIMITS.prompt, multiline: true, required: 'Describe the video.' });
const assetPrompt = text({ max: LIMITS.prompt, multiline: true, required: 'Write the prompt.' });
const budgetUsd = z
  .number()
  .positive('The budget must be more than $0.')
  .max(LIMITS.budgetUsd.max, `The budget can be at most $${LIMITS.budgetUsd.max}.`);

/** A list of distinct ids, at least `min` of them. */
const ids = (min: number, tooFew: string) =>
  z
    .array(id)
    .min(min, tooFew)
    .max(LIMITS.selection, `Choose at most ${LIMITS.selection}.`)
    .refine((list) => new Set(list).size === list.length, 'The list names an id twice.');

/** `uploads/<userId>/<uploadId>.<ext>` exactly as POST /api/uploads answers it. */
export const UPLOAD_KEY_PATTERN =
  /^uploads\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(png|jpg|webp)$/;

/** A photo from POST /api/uploads; parsed as ids, never used as a path. */
const productPhotoKey = z
  .string()
  .regex(UPLOAD_KEY_PATTERN, 'This is not a photo from the upload step. Upload it again.');

export const createSession = z.object({
  productPrompt,
  title: text({ min: 0, max: LIMITS.title }).optional(),
  imageCount: z
    .number()
    .int()
    .min(IMAGE_COUNT.min, `Choose at least ${IMAGE_COUNT.min} images.`)
    .max(IMAGE_COUNT.max, `Choose at most ${IMAGE_COUNT.max} images.`)
    .default(IMAGE_COUNT.default),
  aspectRatio: z.enum(ASPECT_RATIOS).default('16:9'),
  budgetUsd: budgetUsd.default(LIMITS.budgetUsd.default),
  tier: z.enum(MODEL_TIERS).default('standard'),
  /** `local` (offline, free) or a paid provider a worker serves; the studio's default if unset. */
  provider: z.enum(PROVIDERS).optional(),
  productPhotoKey: productPhotoKey.optional(),
  /** Approved images from the person's mood board to start with; they are not made again. */
  moodBoardImageIds: z
    .array(z.string().regex(UUID_PATTERN, 'This is not an image from your mood board.'))
    .max(IMAGE_COUNT.max, `Choose at most ${IMAGE_COUNT.max} images.`)
    .refine((list) => new Set(list).size === list.length, 'The list names an image twice.')
    .optional(),
  /** Stop after planning so the person reviews the style, the prompts and the cutout. */
  reviewPlan: z.boolean('Say whether to review the plan.').default(false),
  durationSeconds: z
    .number('Give the length in seconds.')
    .int('Give the length in whole seconds.')
    .min(AD_SECONDS.min, `An ad is at least ${AD_SECONDS.min} seconds long.`)
    .max(AD_SECONDS.max, `An ad is at most ${AD_SECONDS.max} seconds long.`)
    .default(AD_SECONDS.default),
});

const styleLine = (what: string) =>
  text({ max: LIMITS.styleLine, required: `Describe the ${what}.` });

/** The session's look, as the plan review step edits it. */
export const styleSpec = z.object(
  {
    lighting: styleLine('lighting'),
    camera: styleLine('camera'),
    mood: styleLine('mood'),
    grade: styleLine('grade'),
    backdrop: styleLine('backdrop'),
    palette: z
      .array(colour, 'List the palette as colours like #1a2b3c.')
      .min(LIMITS.palette.min, `Keep at least ${LIMITS.palette.min} colours.`)
      .max(LIMITS.palette.max, `Use at most ${LIMITS.palette.max} colours.`),
  },
  'Send the style: lighting, camera, mood, grade, backdrop and palette.',
);

/** Accepts the plan, with the style and any image prompts the person edited. */
export const approvePlan = z.object({
  style: styleSpec,
  prompts: z
    .array(
      z.object({ imageId: id, prompt: assetPrompt }),
      'List the prompts as image ids with their prompts.',
    )
    .max(LIMITS.selection, `Edit at most ${LIMITS.selection} prompts.`)
    .refine(
      (list) => new Set(list.map((p) => p.imageId)).size === list.length,
      'The list names an image twice.',
    )
    .default([]),
});

/** Replaces the product photo during the plan review; the cutout is made again. */
export const replaceProductPhoto = z.object({ productPhotoKey });

/** A fraction of the photo's width or height (0 at the left or top, 1 at the right or bottom). */
const fraction = z
  .number()
  .min(0, 'A mark must lie on the photo.')
  .max(1, 'A mark must lie on the photo.');
const mark = z.strictObject({ x: fraction, y: fraction });
const marks = (what: string) =>
  z
    .array(mark)
    .max(LIMITS.cutoutMarks, `Place at most ${LIMITS.cutoutMarks} marks on what to ${what}.`)
    .default([]);

/**
 * A person's marks to redo the product cutout: taps on what to keep and what to drop, and a box
 * around the product, all as fractions of the photo. They replace any earlier marks.
 */
export const refineCutout = z
  .strictObject({
    keep: marks('keep'),
    drop: marks('drop'),
    box: z
      .strictObject({ x: fraction, y: fraction, w: fraction, h: fraction })
      .refine((b) => b.x + b.w <= 1.0001 && b.y + b.h <= 1.0001, 'The box must lie on the photo.')
      .refine((b) => b.w >= 0.02 && b.h >= 0.02, 'Draw the box around the whole product.')
      .optional(),
  })
  .refine(
    (h) => h.keep.length > 0 || h.drop.length > 0 || h.box !== undefined,
    'Mark what to keep or drop, or draw a box around the product.',
  );

export const approveImages = z.object({
  imageIds: ids(2, 'Choose at least two images.'),
  videoPrompt,
});

export const approveClips = z.object({
  /** In the order they play. */
  clipIds: ids(1, 'Choose at least one clip.'),
});

/** The person's order of the clips while they choose, kept so a reload does not lose it. */
export const reorderClips = z.object({ clipIds: ids(1, 'Name the clips in their order.') });

/** The body of "make this image (or clip) again". */
export const regenerate = z.object({ prompt: assetPrompt.optional() });
export const regenerateImage = regenerate.extend({ imageId: id });
export const regenerateClip = regenerate.extend({ clipId: id });

export const compose = z.object({
  productName: text({ max: LIMITS.productName, required: 'Name the product.' }),
  callToAction: text({ max: LIMITS.callToAction, required: 'Write a call to action.' }),
  tagline: text({ min: 0, max: LIMITS.tagline }).optional(),
  colors: z.object({ primary: colour, accent: colour, text: colour }),
  music: z.object({
    enabled: z.boolean('Say whether the ad has music.'),
    genre: z.enum(MUSIC_GENRES, `Choose one of ${MUSIC_GENRES.join(', ')}.`),
  }),
  /**
   * A voiceover read over the ad, with captions timed to it. The voice and language are chosen
   * from the script when not given; whether the script fits the ad's length is checked against
   * the session (workflows/validation.ts). Absent: no voice, as before voiceovers existed.
   */
  voice: z
    .object({
      enabled: z.boolean('Say whether the ad has a voiceover.'),
      script: text({ min: 0, max: LIMITS.voiceScript, multiline: true }),
      voiceId: z.enum(VOICE_IDS, 'Choose one of the voices the studio lists.').optional(),
      language: z.enum(LANGUAGE_CODES, 'Choose one of the languages the studio lists.').optional(),
    })
    .refine(
      (voice) => !voice.enabled || voice.script.length > 0,
      'Write the voiceover, or switch the voice off.',
    )
    .optional(),
});

/** Hear a voice read the start of a script before rendering (nothing enters the session). */
export const voicePreview = z.object({
  text: text({ max: LIMITS.voiceScript, multiline: true, required: 'Write something to read.' }),
  voiceId: z.enum(VOICE_IDS, 'Choose one of the voices the studio lists.').optional(),
  language: z.enum(LANGUAGE_CODES, 'Choose one of the languages the studio lists.').optional(),
});

export const retry = z.object({
  productPrompt: productPrompt.optional(),
  videoPrompt: videoPrompt.optional(),
  budgetUsd: budgetUsd.optional(),
  /** After the music failed: render the ad without it. */
  withoutMusic: z.boolean('Say whether to go on without music.').optional(),
});

/** Render the finished ad again in another format, from the same clips (nothing is generated). */
export const exportAspect = z.object({
  aspectRatio: z.enum(ASPECT_RATIOS, `Choose one of ${ASPECT_RATIOS.join(', ')}.`),
});

/** Make one failed image or clip again, the same shot with the same seed. */
export const retryAsset = z.object({ assetId: id });

/** Of an asset and its regenerated variant, keep this one and drop the other. */
export const keepVariant = z.object({ assetId: id });

export type CreateSessionArgs = z.output<typeof createSession>;
export type ApproveImagesArgs = z.output<typeof approveImages>;
export type ApproveClipsArgs = z.output<typeof approveClips>;
export type RegenerateImageArgs = z.output<typeof regenerateImage>;
export type RegenerateClipArgs = z.output<typeof regenerateClip>;
export type ComposeArgs = z.output<typeof compose>;
export type VoicePreviewArgs = z.output<typeof voicePreview>;
export type RetryArgs = z.output<typeof retry>;
export type ReorderClipsArgs = z.output<typeof reorderClips>;
export type ExportAspectArgs = z.output<typeof exportAspect>;
export type RetryAssetArgs = z.output<typeof retryAsset>;
export type KeepVariantArgs = z.output<typeof keepVariant>;
export type StyleSpecArgs = z.output<typeof styleSpec>;
export type ApprovePlanArgs = z.output<typeof approvePlan>;
export type ReplaceProductPhotoArgs = z.output<typeof replaceProductPhoto>;
export type RefineCutoutArgs = z.output<typeof refineCutout>;

/** The first problem of a failed parse as one sentence, e.g. "videoPrompt: Describe the video." */
export function describeIssues(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'The request is not valid.';
  const path = first.path.map(String).join('.');
  return path ? `${path}: ${first.message}` : first.message;
}

// ---- accounts ------------------------------------------------------------------------------

export const PASSWORD = { min: 10, max: 256 } as const;

const email = z
  .email('Enter a valid email address.')
  .max(320, 'Use at most 320 characters.')
  .transform((v) => v.toLowerCase());
/** Passwords are never trimmed (spaces count), but control characters are refused. */
const password = (min: number) =>
  z
    .string()
    .refine((v) => !hasControlCharacters(v), CONTROL_CHARACTERS_MESSAGE)
    .min(min, min > 1 ? `Use at least ${min} characters.` : 'Enter your password.')
    .max(PASSWORD.max, `Use at most ${PASSWORD.max} characters.`);

export const signIn = z.object({ email, password: password(1) });

export const signUp = z.object({
  email,
  name: text({ max: 80, required: 'Enter your name.', stripBidi: true }),
  password: password(PASSWORD.min),
});

export const changePassword = z.object({
  currentPassword: password(1),
  newPassword: password(PASSWORD.min),
});
