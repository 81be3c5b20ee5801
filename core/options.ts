/** Choices a person makes, shared by workflow, API and UI. */
export const PRODUCT_VIEWS = ['front', 'side', 'back', 'top', 'detail', 'lifestyle'] as const;
export type ProductView = (typeof PRODUCT_VIEWS)[number];

export const CAMERA_MOVES = [
  'zoom_in',
  'zoom_out',
  'pan_left',
  'pan_right',
  'parallax',
  'light_sweep',
] as const;
export type CameraMove = (typeof CAMERA_MOVES)[number];

export const MUSIC_GENRES = ['upbeat', 'cinematic', 'electronic', 'ambient', 'acoustic'] as const;
export type MusicGenre = (typeof MUSIC_GENRES)[number];

export const ASPECT_RATIOS = ['16:9', '1:1', '9:16'] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

export const PROVIDERS = ['local', 'replicate'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export const MODEL_TIERS = ['draft', 'standard', 'premium'] as const;
export type ModelTier = (typeof MODEL_TIERS)[number];

export const IMAGE_COUNT = { min: 4, max: 8, default: 6 } as const;
export const CLIP_SECONDS = 3;
export const VIDEO_FPS = 30;
export const VIDEO_WIDTH = 1920;
export const VIDEO_HEIGHT = 1080;

/**
 * What each scene does in the ad, in the order they play: catch the eye, show the product,
 * explain one feature, show it in use, ask for the sale.
 */
export const BEAT_ROLES = ['hook', 'reveal', 'feature', 'lifestyle', 'call_to_action'] as const;
export type BeatRole = (typeof BEAT_ROLES)[number];

/** The finished ad's length in seconds; longer ads chain clips through their last frame. */
export const AD_SECONDS = { min: 8, max: 30, default: 10 } as const;
