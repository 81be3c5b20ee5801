import sharp from 'sharp';
import type { OutputInfo } from 'sharp';
import { z } from 'zod';
import { matte } from '../../../activities/providers/local/matte';
import { saveInputImage } from '../inputs';
import { ModelError } from '../run-context';
import type { RunContext, RunResult } from '../run-context';

/** Background removal without a model: the local studio's own matte (see its limits there). */

export const matteInputSchema = z.object({
  image: z.string().min(1),
  format: z.enum(['png']).default('png'),
  threshold: z.number().min(0).max(1).optional(),
  background_type: z.string().optional(),
});
export type MatteInput = z.infer<typeof matteInputSchema>;

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
