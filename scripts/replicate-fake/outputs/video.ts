import { z } from 'zod';
import type { CameraMove } from '../../../core/options';
import { createLocalClipGenerator } from '../../../activities/providers/local/clip';
import { resolveSeed, saveInputImage } from '../inputs';
import type { RunContext, RunResult } from '../run-context';

/**
 * Image-to-video models: the input still is animated by the local clip generator at the size,
 * frame rate and length each real model produces (24 fps Seedance, 16 fps Wan, 6 fps SVD), which
 * deliberately differ from the studio's own 1080p/30 fps format.
 */

const VIDEO_ASPECTS = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9', '9:21'] as const;
type VideoAspect = (typeof VIDEO_ASPECTS)[number];

export const seedanceInputSchema = z.object({
  image: z.string().min(1),
  prompt: z.string().default(''),
  duration: z.number().int().min(2).max(12).default(5),
  resolution: z.enum(['480p', '720p', '1080p']).default('1080p'),
  aspect_ratio: z.enum(VIDEO_ASPECTS).default('16:9'),
  fps: z.literal(24).default(24),
  seed: z.number().int().min(0).optional(),
  camera_fixed: z.boolean().default(false),
  last_frame_image: z.string().optional(),
});

export const wanInputSchema = z.object({
  image: z.string().min(1),
  prompt: z.string().min(1),
  num_frames: z.number().int().min(81).max(121).default(81),
  frames_per_second: z.number().int().min(5).max(30).default(16),
  resolution: z.enum(['480p', '720p']).default('480p'),
  aspect_ratio: z.enum(['16:9', '9:16']).default('16:9'),
  seed: z.number().int().min(0).optional(),
  go_fast: z.boolean().optional(),
  sample_shift: z.number().optional(),
});

export const svdInputSchema = z.object({
  input_image: z.string().min(1),
  video_length: z
    .enum(['14_frames_with_svd', '25_frames_with_svd_xt'])
    .default('14_frames_with_svd'),
  frames_per_second: z.number().int().min(5).max(30).default(6),
  motion_bucket_id: z.number().int().min(1).max(255).default(127),
  sizing_strategy: z.string().optional(),
  cond_aug: z.number().optional(),
  decoding_t: z.number().optional(),
  seed: z.number().int().min(0).optional(),
});

const even = (v: number) => Math.round(v / 2) * 2;

/** Short side = the resolution's lines; Seedance 480p 16:9 is 864x480 like the real model. */
export function seedanceSize(resolution: '480p' | '720p' | '1080p', aspect: VideoAspect) {
  const lines = { '480p': 480, '720p': 720, '1080p': 1080 }[resolution];
  const [w = 16, h = 9] = aspect.split(':').map(Number);
  const long =
    resolution === '480p' && w / h === 16 / 9
      ? 864
      : even((lines * Math.max(w, h)) / Math.min(w, h));
  return w >= h ? { width: long, height: lines } : { width: lines, height: long };
}

export function wanSize(resolution: '480p' | '720p', aspect: '16:9' | '9:16') {
  const [long, short] = resolution === '480p' ? [832, 480] : [1280, 720];
  return aspect === '16:9' ? { width: long, height: short } : { width: short, height: long };
}

/** Camera move from the prompt's words; a fixed camera only gets the light moving. */
export function motionFromPrompt(prompt: string, cameraFixed = false): CameraMove {
  if (cameraFixed) return 'light_sweep';
  const text = prompt.toLowerCase();
  if (/\bzoom(s|ing)? out\b|\bpull(s|ing)? back\b|\bdolly out\b/.test(text)) return 'zoom_out';
  if (/\bpan(s|ning)? left\b/.test(text)) return 'pan_left';
  if (/\bpan(s|ning)? right\b|\bpan(s|ning)?\b/.test(text)) return 'pan_right';
  if (/\bparallax|orbit/.test(text)) return 'parallax';
  if (/\blight sweep|\bsweep|\bshimmer|\bglint/.test(text)) return 'light_sweep';
  return 'zoom_in';
}

interface ClipSpec {
  image: string;
  prompt: string;
  motion: CameraMove;
  seed: number | undefined;
  width: number;
  height: number;
  fps: number;
  frames: number;
}

export function runSeedance(input: z.infer<typeof seedanceInputSchema>, ctx: RunContext) {
  const size = seedanceSize(input.resolution, input.aspect_ratio);
  return makeClip(
    {
      image: input.image,
      prompt: input.prompt,
      motion: motionFromPrompt(input.prompt, input.camera_fixed),
      seed: input.seed,
      ...size,
      fps: input.fps,
      frames: input.duration * input.fps,
    },
    ctx,
  );
}

export function runWan(input: z.infer<typeof wanInputSchema>, ctx: RunContext) {
  return makeClip(
    {
      image: input.image,
      prompt: input.prompt,
      motion: motionFromPrompt(input.prompt),
      seed: input.seed,
      ...wanSize(input.resolution, input.aspect_ratio),
      fps: input.frames_per_second,
      frames: input.num_frames,
    },
    ctx,
  );
}

export function runSvd(input: z.infer<typeof svdInputSchema>, ctx: RunContext) {
  return makeClip(
    {
      image: input.input_image,
      prompt: input.motion_bucket_id > 160 ? 'dynamic' : '',
      motion: 'zoom_in',
      seed: input.seed,
      width: 1024,
      height: 576,
      fps: input.frames_per_second,
      frames: input.video_length === '14_frames_with_svd' ? 14 : 25,
    },
    ctx,
  );
}

async function makeClip(spec: ClipSpec, ctx: RunContext): Promise<RunResult> {
  const seed = resolveSeed(spec.seed, ctx);
  const imagePath = await saveInputImage(spec.image, 'image', ctx);
  const file = ctx.outputFile('output', 'mp4', 'video/mp4');
  await createLocalClipGenerator().generateClip(
    {
      imagePath,
      motion: spec.motion,
      prompt: spec.prompt,
      seed,
      durationSeconds: spec.frames / spec.fps,
      fps: spec.fps,
      width: spec.width,
      height: spec.height,
      outputPath: file.path,
    },
    { signal: ctx.signal, onProgress: (p) => ctx.progress(p) },
  );
  return { output: file.url };
}
