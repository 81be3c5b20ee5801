import { CLIP_SECONDS, type AspectRatio, type ModelTier } from './options';

/**
 * THE table of Replicate models: which model each tier uses for each capability, the pinned model
 * or version, how its input is built, and how Replicate bills it (with the source of the price and
 * the day it was checked). Quotes, the budget guard and the ledger all read prices from here.
 *
 * Prices: official models bill per output (image, second of video, token); community models bill
 * GPU time (`metrics.predict_time` x the hardware's rate). Each price names its source; re-check
 * a model's pricing tab on Replicate before raising budgets.
 */

export type ReplicateCapability =
  'planner' | 'image' | 'edit' | 'cutout' | 'clip' | 'music' | 'voice';

export type PriceRule =
  /** A fixed price per output file (images). */
  | { kind: 'per-output'; usd: number }
  /** A price per second of output video (the seconds the input asks for). */
  | { kind: 'per-video-second'; usd: number }
  | { kind: 'per-token'; inputUsdPerMillion: number; outputUsdPerMillion: number }
  /** Text-to-speech billed by the characters of its input text; `typical` is only for quotes. */
  | { kind: 'per-input-character'; usdPerThousand: number; typicalCharacters: number }
  /** Community models: active GPU seconds; `typicalSeconds` is only for quotes. */
  | { kind: 'gpu-time'; hardware: string; usdPerSecond: number; typicalSeconds: number };

/** What the studio asks of a model, before it becomes the model's own input names. */
export interface ModelRequest {
  prompt: string;
  systemPrompt?: string | undefined;
  seed?: number | undefined;
  aspectRatio?: AspectRatio | undefined;
  /** An image as a data: URI (product photo, cutout or the clip's first frame). */
  image?: string | undefined;
  durationSeconds?: number | undefined;
  /** Speech: the model's own voice id and its name for the script's language. */
  voice?: string | undefined;
  language?: string | undefined;
}

export interface ReplicateModel {
  capability: ReplicateCapability;
  /** `owner/name` for official models, `owner/name:<version>` for community ones. */
  ref: string;
  official: boolean;
  price: PriceRule & { source: string; checked: string };
  /** Replicate stops the prediction after this long (the `Cancel-After` header). */
  cancelAfter: string;
  /** Output files larger than this are refused while streaming. */
  maxOutputBytes: number;
  buildInput(request: ModelRequest): Record<string, unknown>;
}

const MB = 1024 * 1024;
/**
 * The day these figures were written down, from Replicate's pages as published in 2026-11 (some
 * through third-party transcriptions of those pages); none was re-read from the live pages since.
 */
const CHECKED = '2026-11-22';

/** Where Replicate publishes a model's price: official models show it on the model's page. */
const modelPage = (ref: string) => `https://replicate.com/${ref.split(':')[0]}`;
/** Replicate's per-second hardware rates, which community models are billed by. */
const PRICING_PAGE = 'https://replicate.com/pricing';
/** A GPU-time price: the hardware's published rate times a typical run of the model. */
const gpuTimeSource = (ref: string, hardware: string) =>
  `${PRICING_PAGE} (${hardware} per second) x a typical run of ${modelPage(ref)}`;

/** Replicate's per-second hardware rates (PRICING_PAGE). */
const GPU = {
  t4: { hardware: 'Nvidia T4', usdPerSecond: 0.000225 },
  a100: { hardware: 'Nvidia A100 (80GB)', usdPerSecond: 0.0014 },
} as const;

const llm = (ref: string, inputUsdPerMillion: number, outputUsdPerMillion: number) =>
  ({
    capability: 'planner',
    ref,
    official: true,
    price: {
      kind: 'per-token',
      inputUsdPerMillion,
      outputUsdPerMillion,
      // The per-token rates as last seen on the model page; re-check them.
      source: `${modelPage(ref)} (unverified here)`,
      checked: CHECKED,
    },
    cancelAfter: '2m',
    maxOutputBytes: MB,
    buildInput: (r) => ({
      prompt: r.prompt,
      system_prompt: r.systemPrompt,
      max_tokens: 1500,
      temperature: 0.4,
    }),
  }) satisfies ReplicateModel;

const flux = (ref: string, usd: number, extra: Record<string, unknown>) =>
  ({
    capability: 'image',
    ref,
    official: true,
    price: { kind: 'per-output', usd, source: modelPage(ref), checked: CHECKED },
    cancelAfter: '5m',
    maxOutputBytes: 30 * MB,
    buildInput: (r) => ({
      prompt: r.prompt,
      seed: r.seed,
      aspect_ratio: r.aspectRatio ?? '16:9',
      output_format: 'png',
      ...extra,
    }),
  }) satisfies ReplicateModel;

/** Seedance takes whole seconds; our clips are CLIP_SECONDS long. */
const seedance = (ref: string, usdPerSecond: number, resolution: string) =>
  ({
    capability: 'clip',
    ref,
    official: true,
    price: {
      kind: 'per-video-second',
      usd: usdPerSecond,
      source: `${modelPage(ref)} (${resolution})`,
      checked: CHECKED,
    },
    cancelAfter: '15m',
    maxOutputBytes: 200 * MB,
    buildInput: (r) => ({
      image: r.image,
      prompt: r.prompt,
      duration: Math.max(2, Math.round(r.durationSeconds ?? CLIP_SECONDS)),
      resolution,
      aspect_ratio: r.aspectRatio ?? '16:9',
      fps: 24,
      seed: r.seed,
      // The product must stay where the image put it; the move comes from the prompt.
      camera_fixed: false,
    }),
  }) satisfies ReplicateModel;

export const REPLICATE_MODELS = {
  'llama-3-8b': llm('meta/meta-llama-3-8b-instruct', 0.05, 0.25),
  'llama-3-70b': llm('meta/meta-llama-3-70b-instruct', 0.65, 2.75),
  // go_fast trades determinism for speed: off, so the session seed gives the same image again.
  'flux-schnell': flux('black-forest-labs/flux-schnell', 0.003, {
    go_fast: false,
    num_outputs: 1,
    megapixels: '1',
  }),
  'flux-dev': flux('black-forest-labs/flux-dev', 0.025, { go_fast: false, num_outputs: 1 }),
  'flux-1.1-pro': flux('black-forest-labs/flux-1.1-pro', 0.04, { safety_tolerance: 2 }),
  // An edit model fed the product cutout, so the product is not re-invented.
  'flux-kontext-pro': {
    capability: 'edit',
    ref: 'black-forest-labs/flux-kontext-pro',
    official: true,
    price: {
      kind: 'per-output',
      usd: 0.04,
      source: modelPage('black-forest-labs/flux-kontext-pro'),
      checked: CHECKED,
    },
    cancelAfter: '5m',
    maxOutputBytes: 30 * MB,
    buildInput: (r) => ({
      prompt: r.prompt,
      input_image: r.image,
      aspect_ratio: r.aspectRatio ?? '16:9',
      seed: r.seed,
      output_format: 'png',
    }),
  },
  'background-remover': {
    capability: 'cutout',
    ref: '851-labs/background-remover:a029dff38972b5fda4ec5d75d7d1cd25aeff621d2cf4946a41055d7db66b80bc',
    official: false,
    price: {
      kind: 'gpu-time',
      ...GPU.t4,
      typicalSeconds: 4,
      source: gpuTimeSource('851-labs/background-remover', GPU.t4.hardware),
      checked: CHECKED,
    },
    cancelAfter: '5m',
    maxOutputBytes: 30 * MB,
    buildInput: (r) => ({ image: r.image, format: 'png', background_type: 'rgba', threshold: 0 }),
  },
  'wan-2.2-i2v-fast': {
    capability: 'clip',
    ref: 'wan-video/wan-2.2-i2v-fast',
    official: true,
    // 81 frames at 16 fps: about 5 s of video per clip, trimmed to the clip length afterwards.
    price: {
      kind: 'per-video-second',
      usd: 0.012,
      source: `${modelPage('wan-video/wan-2.2-i2v-fast')} (480p)`,
      checked: CHECKED,
    },
    cancelAfter: '10m',
    maxOutputBytes: 200 * MB,
    buildInput: (r) => ({
      image: r.image,
      prompt: r.prompt,
      num_frames: 81,
      frames_per_second: 16,
      resolution: '480p',
      aspect_ratio: r.aspectRatio ?? '16:9',
      seed: r.seed,
      go_fast: true,
    }),
  },
  'seedance-1-lite': seedance('bytedance/seedance-1-lite', 0.036, '720p'),
  'seedance-1-pro': seedance('bytedance/seedance-1-pro', 0.15, '1080p'),
  /** Legacy: 25 frames at 6 fps, landscape only; kept for operators who pin it. */
  'stable-video-diffusion': {
    capability: 'clip',
    ref: 'stability-ai/stable-video-diffusion:3f0457e4619daac51203dedb472816fd4af51f3149fa7a9e0b5ffcf1b8172438',
    official: false,
    price: {
      kind: 'gpu-time',
      ...GPU.a100,
      typicalSeconds: 45,
      source: gpuTimeSource('stability-ai/stable-video-diffusion', GPU.a100.hardware),
      checked: CHECKED,
    },
    cancelAfter: '15m',
    maxOutputBytes: 200 * MB,
    buildInput: (r) => ({
      input_image: r.image,
      video_length: '25_frames_with_svd_xt',
      sizing_strategy: 'maintain_aspect_ratio',
      frames_per_second: 6,
      motion_bucket_id: 127,
      seed: r.seed,
    }),
  },
  musicgen: {
    capability: 'music',
    ref: 'meta/musicgen:671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb',
    official: false,
    // One measured 8 s stereo-large run took 66 s on an A100.
    price: {
      kind: 'gpu-time',
      ...GPU.a100,
      typicalSeconds: 70,
      source: gpuTimeSource('meta/musicgen', GPU.a100.hardware),
      checked: CHECKED,
    },
    cancelAfter: '10m',
    maxOutputBytes: 50 * MB,
    buildInput: (r) => ({
      prompt: r.prompt,
      duration: Math.round(r.durationSeconds ?? 12),
      model_version: 'stereo-large',
      output_format: 'mp3',
      normalization_strategy: 'peak',
      seed: r.seed,
    }),
  },
  // Official: billed per character of input text, audio free. The voice speaks the script's
  // language (language_boost); pauses between phrases are `<#s#>` marks in the text.
  'speech-2.6-turbo': {
    capability: 'voice',
    ref: 'minimax/speech-2.6-turbo',
    official: true,
    price: {
      kind: 'per-input-character',
      usdPerThousand: 0.06,
      // A 10 s script with its pause marks.
      typicalCharacters: 200,
      source:
        'https://replicate.com/minimax/speech-2.6-turbo readme: "$0.06 per 1,000 input tokens (one ' +
        'MiniMax token ≈ one character), with zero cost for audio outputs"',
      checked: '2026-12-04',
    },
    cancelAfter: '3m',
    maxOutputBytes: 20 * MB,
    buildInput: (r) => ({
      text: r.prompt,
      voice_id: r.voice ?? 'Wise_Woman',
      language_boost: r.language ?? 'Automatic',
      speed: 1,
      emotion: 'auto',
      english_normalization: r.language === 'English',
      audio_format: 'mp3',
      sample_rate: 32000,
      bitrate: 128000,
      channel: 'mono',
    }),
  },
} as const satisfies Record<string, ReplicateModel>;

export type ReplicateModelKey = keyof typeof REPLICATE_MODELS;

/** Image-to-video models an operator may pin instead of the tier's (REPLICATE_CLIP_MODEL). */
export const CLIP_MODEL_KEYS = [
  'wan-2.2-i2v-fast',
  'seedance-1-lite',
  'seedance-1-pro',
  'stable-video-diffusion',
] as const satisfies readonly ReplicateModelKey[];
export type ClipModelKey = (typeof CLIP_MODEL_KEYS)[number];

/** Which model each tier uses. A product photo switches images to the edit model. */
export const REPLICATE_TIERS = {
  draft: {
    planner: 'llama-3-8b',
    image: 'flux-schnell',
    edit: 'flux-kontext-pro',
    cutout: 'background-remover',
    clip: 'wan-2.2-i2v-fast',
    music: 'musicgen',
    voice: 'speech-2.6-turbo',
  },
  standard: {
    planner: 'llama-3-8b',
    image: 'flux-dev',
    edit: 'flux-kontext-pro',
    cutout: 'background-remover',
    clip: 'seedance-1-lite',
    music: 'musicgen',
    voice: 'speech-2.6-turbo',
  },
  premium: {
    planner: 'llama-3-70b',
    image: 'flux-1.1-pro',
    edit: 'flux-kontext-pro',
    cutout: 'background-remover',
    clip: 'seedance-1-pro',
    music: 'musicgen',
    voice: 'speech-2.6-turbo',
  },
} as const satisfies Record<ModelTier, Record<ReplicateCapability, ReplicateModelKey>>;

export function replicateModel(tier: ModelTier, capability: ReplicateCapability): ReplicateModel {
  return REPLICATE_MODELS[REPLICATE_TIERS[tier][capability]];
}

/** What Replicate reports about a finished prediction, as far as billing needs it. */
export interface BillableRun {
  input: Record<string, unknown>;
  outputCount: number;
  metrics?:
    { predict_time?: number; input_token_count?: number; output_token_count?: number } | undefined;
}

/** Seconds of video a clip model's input asks for. */
export function requestedVideoSeconds(input: Record<string, unknown>): number {
  if (typeof input.duration === 'number') return input.duration;
  const frames = Number(input.num_frames);
  const fps = Number(input.frames_per_second);
  return frames > 0 && fps > 0 ? frames / fps : CLIP_SECONDS;
}

/** What a finished prediction cost, by the model's price rule. Failed runs have no output. */
export function costOfRun(model: ReplicateModel, run: BillableRun): number {
  const rule = model.price;
  switch (rule.kind) {
    case 'per-output':
      return rule.usd * run.outputCount;
    case 'per-video-second':
      return run.outputCount > 0 ? rule.usd * requestedVideoSeconds(run.input) : 0;
    case 'per-token':
      return (
        ((run.metrics?.input_token_count ?? 0) * rule.inputUsdPerMillion +
          (run.metrics?.output_token_count ?? 0) * rule.outputUsdPerMillion) /
        1_000_000
      );
    case 'gpu-time':
      return (run.metrics?.predict_time ?? 0) * rule.usdPerSecond;
    case 'per-input-character':
      return run.outputCount > 0
        ? (rule.usdPerThousand *
            Array.from(typeof run.input.text === 'string' ? run.input.text : '').length) /
            1000
        : 0;
  }
}

/** A quote for one typical call of the model, before anything runs. */
export function estimateCall(model: ReplicateModel): number {
  const rule = model.price;
  const typicalInput = model.buildInput({
    prompt: rule.kind === 'per-input-character' ? 'x'.repeat(rule.typicalCharacters) : '',
    durationSeconds: CLIP_SECONDS,
  });
  return costOfRun(model, {
    input: typicalInput,
    outputCount: 1,
    metrics: {
      predict_time: rule.kind === 'gpu-time' ? rule.typicalSeconds : 0,
      // A shot or scene plan: about 1,500 tokens of instructions and 1,000 of JSON back.
      input_token_count: 1500,
      output_token_count: 1000,
    },
  });
}
