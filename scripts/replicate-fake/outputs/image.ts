import { join } from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import type { ProductView } from '../../../core/options';
import { createLocalImageGenerator } from '../../../activities/providers/local/image';
import { parseProductPrompt } from '../../../activities/providers/local/parse-prompt';
import { chooseStyle } from '../../../activities/providers/local/style';
import { resolveSeed, saveInputImage } from '../inputs';
import type { RunContext, RunResult } from '../run-context';

/**
 * The FLUX family: a prompt (and for Kontext a product photo) becomes a still drawn by the local
 * image generator. Product, colour and view are read from the prompt; the same seed and input
 * give the same bytes.
 */

export const FLUX_ASPECT_RATIOS = [
  '1:1',
  '16:9',
  '21:9',
  '3:2',
  '2:3',
  '4:5',
  '5:4',
  '3:4',
  '4:3',
  '9:16',
  '9:21',
] as const;
const OUTPUT_FORMATS = ['webp', 'jpg', 'png'] as const;

function fluxSchema(defaults: { aspect: 'match_input_image' | '1:1'; format: 'webp' | 'png' }) {
  return z.object({
    prompt: z.string().min(1),
    seed: z.number().int().min(0).optional(),
    aspect_ratio: z.enum([...FLUX_ASPECT_RATIOS, 'match_input_image']).default(defaults.aspect),
    output_format: z.enum(OUTPUT_FORMATS).default(defaults.format),
    output_quality: z.number().int().min(0).max(100).default(80),
    num_outputs: z.number().int().min(1).max(4).default(1),
    input_image: z.string().min(1).optional(),
  });
}

/** Text-to-image FLUX models: square WebP unless asked otherwise. */
export const fluxInputSchema = fluxSchema({ aspect: '1:1', format: 'webp' });
/** Kontext edits a photo: by default it keeps the photo's aspect and answers PNG. */
export const kontextInputSchema = fluxSchema({ aspect: 'match_input_image', format: 'png' });
export type FluxInput = z.infer<typeof fluxInputSchema>;

const MIME = { webp: 'image/webp', jpg: 'image/jpeg', png: 'image/png' } as const;
const MEGAPIXEL = 1024 * 1024;

/** About one megapixel in the asked aspect, sides multiples of 64: 16:9 -> 1344x768. */
export function fluxSize(ratio: number): { width: number; height: number } {
  const round64 = (v: number) => Math.max(64, Math.round(v / 64) * 64);
  return {
    width: round64(Math.sqrt(MEGAPIXEL * ratio)),
    height: round64(Math.sqrt(MEGAPIXEL / ratio)),
  };
}

const VIEW_WORDS: Array<[ProductView, RegExp]> = [
  ['detail', /\b(detail|close-up|closeup|macro)\b/],
  ['lifestyle', /\blifestyle\b/],
  ['top', /\b(top|top-down|overhead)\b/],
  ['back', /\b(back|rear)\b/],
  ['side', /\b(side|profile)\b/],
  ['front', /\bfront\b/],
];

export function viewFromPrompt(prompt: string): ProductView {
  const text = prompt.toLowerCase();
  return VIEW_WORDS.find(([, words]) => words.test(text))?.[0] ?? 'front';
}

export async function runFlux(
  input: FluxInput,
  ctx: RunContext,
  opts: { singleOutput: boolean },
): Promise<RunResult> {
  const seed = resolveSeed(input.seed, ctx);
  const photoPath = input.input_image
    ? await saveInputImage(input.input_image, 'image', ctx)
    : undefined;
  const { width, height } = await sizeFor(input.aspect_ratio, photoPath);
  const product = parseProductPrompt(input.prompt, seed);
  const style = chooseStyle(seed, product);
  const view = viewFromPrompt(input.prompt);
  const count = opts.singleOutput ? 1 : input.num_outputs;
  const generator = createLocalImageGenerator();
  const urls: string[] = [];
  for (let i = 0; i < count; i++) {
    const pngPath = join(ctx.scratchDir, `out-${i}.png`);
    await generator.generateImage(
      {
        prompt: input.prompt,
        view,
        seed: seed + i,
        style,
        product,
        width,
        height,
        productPhotoPath: photoPath,
        outputPath: pngPath,
      },
      {
        signal: ctx.signal,
        onProgress: (p) => ctx.progress((i + p) / count),
      },
    );
    const file = ctx.outputFile(`out-${i}`, input.output_format, MIME[input.output_format]);
    await encode(pngPath, file.path, input.output_format, input.output_quality);
    urls.push(file.url);
  }
  return { output: opts.singleOutput ? urls[0] : urls };
}

async function sizeFor(aspect: FluxInput['aspect_ratio'], photoPath: string | undefined) {
  if (aspect === 'match_input_image') {
    if (!photoPath) return fluxSize(1);
    const meta = await sharp(photoPath).metadata();
    return fluxSize((meta.autoOrient.width || 1) / (meta.autoOrient.height || 1));
  }
  const [w, h] = aspect.split(':').map(Number);
  return fluxSize((w ?? 1) / (h ?? 1));
}

function encode(from: string, to: string, format: FluxInput['output_format'], quality: number) {
  const image = sharp(from);
  if (format === 'png') return image.png().toFile(to);
  if (format === 'jpg') return image.jpeg({ quality }).toFile(to);
  return image.webp({ quality }).toFile(to);
}
