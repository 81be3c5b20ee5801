import sharp from 'sharp';
import type { OutputInfo } from 'sharp';
import { z } from 'zod';
import { saveInputImage } from '../inputs';
import { ModelError } from '../run-context';
import type { RunContext, RunResult } from '../run-context';

/**
 * Background removal without a model: the backdrop is whatever connects to the image border and
 * stays close to the border's average colour. A flood fill from every edge pixel marks it
 * transparent; the rest keeps full alpha. Good enough for studio stills on a plain set.
 */

export const matteInputSchema = z.object({
  image: z.string().min(1),
  format: z.enum(['png']).default('png'),
  threshold: z.number().min(0).max(1).optional(),
  background_type: z.string().optional(),
});
export type MatteInput = z.infer<typeof matteInputSchema>;

/** Distance (RGB, 0..441) from the border colour a backdrop pixel may have. */
const GLOBAL_TOLERANCE = 150;
/** Step between neighbours inside the fill, so smooth gradients are followed but edges stop it. */
const STEP_TOLERANCE = 6;

export async function runMatte(input: MatteInput, ctx: RunContext): Promise<RunResult> {
  const path = await saveInputImage(input.image, 'image', ctx);
  let raw: { data: Buffer; info: OutputInfo };
  try {
    raw = await sharp(path).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  } catch {
    throw new ModelError('The image input could not be decoded.');
  }
  ctx.progress(0.3);
  const { data, info } = raw;
  const alpha = matte(data, info.width, info.height);
  for (let i = 0; i < alpha.length; i++) data[i * 4 + 3] = alpha[i] ?? 255;
  ctx.progress(0.8);
  const file = ctx.outputFile('out', 'png', 'image/png');
  await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } })
    .png()
    .toFile(file.path);
  ctx.progress(1);
  return { output: file.url };
}

/** Alpha per pixel (0 = backdrop) for RGBA `data`. Exported for tests. */
export function matte(data: Uint8Array, width: number, height: number): Uint8Array {
  const border: number[] = [];
  for (let x = 0; x < width; x++) border.push(x, (height - 1) * width + x);
  for (let y = 0; y < height; y++) border.push(y * width, y * width + width - 1);
  const mean = [0, 1, 2].map(
    (c) => border.reduce((sum, p) => sum + (data[p * 4 + c] ?? 0), 0) / border.length,
  );
  const dist = (p: number, ref: ArrayLike<number>, refAt = 0) =>
    Math.hypot(
      (data[p * 4] ?? 0) - (ref[refAt] ?? 0),
      (data[p * 4 + 1] ?? 0) - (ref[refAt + 1] ?? 0),
      (data[p * 4 + 2] ?? 0) - (ref[refAt + 2] ?? 0),
    );

  const alpha = new Uint8Array(width * height).fill(255);
  const stack: number[] = [];
  for (const p of border) {
    if (alpha[p] === 255 && dist(p, mean) <= GLOBAL_TOLERANCE) {
      alpha[p] = 0;
      stack.push(p);
    }
  }
  while (stack.length) {
    const p = stack.pop() as number;
    const x = p % width;
    const y = (p - x) / width;
    const neighbours = [
      x > 0 ? p - 1 : -1,
      x < width - 1 ? p + 1 : -1,
      y > 0 ? p - width : -1,
      y < height - 1 ? p + width : -1,
    ];
    for (const q of neighbours) {
      if (q < 0 || alpha[q] === 0) continue;
      if (dist(q, data, p * 4) <= STEP_TOLERANCE && dist(q, mean) <= GLOBAL_TOLERANCE) {
        alpha[q] = 0;
        stack.push(q);
      }
    }
  }
  return alpha;
}
