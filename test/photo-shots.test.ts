import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVAL_SET, photoPath, photosDir } from '../bench/cutout-set';
import { createLocalCutter } from '../activities/providers/local/cutout';
import { createLocalImageGenerator } from '../activities/providers/local/image';
import { createLocalPlanner } from '../activities/providers/local/planner';
import { meanDifference } from './support/pixels';
import { saliencyModelsInstalled } from '../activities/segmentation/model';
import { stopSegmentationWorker } from '../activities/segmentation/runner';
import { requiredInCi } from './support/required';

/**
 * The offline studio from real, busy photographs (an espresso cup on a wooden table, a motorcycle
 * in a cluttered garage): cut out by the segmentation model, then set into a plan's shots. Every
 * shot is a different picture with a name of its own and the product's box, and the box holds
 * the product's pixels.
 */

const models = requiredInCi(
  'The cutout models (.tools/models)',
  saliencyModelsInstalled() ? 'installed' : undefined,
);
const busy = ['coffee', 'motorcycle'].map((name) => EVAL_SET.find((p) => p.name === name)!);
const photos = requiredInCi(
  'The evaluation photos (.tools/photos)',
  busy.every((p) => photoPath(p)) ? photosDir() : undefined,
);

describe.skipIf(!models || !photos)('shots from a real busy photo (local studio)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'photo-shots-real-'));
  });
  afterAll(async () => {
    await stopSegmentationWorker();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(busy.map((p) => [p.name, p] as const))(
    'makes distinct shots with boxes from the %s photo',
    async (name, photo) => {
      const cut = await createLocalCutter().removeBackground({
        imagePath: photoPath(photo)!,
        outputPath: join(dir, `${name}-cutout.png`),
      });
      const plan = await createLocalPlanner().planShots({
        prompt: name === 'coffee' ? 'espresso cup' : 'red motorcycle',
        count: 6,
        aspectRatio: '9:16',
        hasPhoto: true,
      });
      const generator = createLocalImageGenerator();
      const made = [];
      for (const [i, shot] of plan.shots.entries()) {
        made.push(
          await generator.generateImage({
            prompt: shot.prompt,
            view: shot.view,
            seed: plan.seed,
            style: plan.style,
            product: plan.product,
            width: 270,
            height: 480,
            productPhotoPath: cut.path,
            outputPath: join(dir, `${name}-${i}.png`),
          }),
        );
      }
      expect(new Set(made.map((m) => m.shotName)).size).toBe(made.length);
      const bytes = await Promise.all(made.map((m) => readFile(m.path)));
      for (let i = 0; i < made.length; i++) {
        for (let j = i + 1; j < made.length; j++) {
          expect(bytes[i]!.equals(bytes[j]!)).toBe(false);
          expect(await meanDifference(made[i]!.path, made[j]!.path)).toBeGreaterThan(8);
        }
      }
      for (const m of made) {
        const box = m.productBox!;
        expect(box.w * box.h).toBeGreaterThan(0.03);
        // The product layer's opaque pixels all lie inside the recorded box.
        const trimmed = await sharp(m.productLayerPath)
          .trim()
          .toBuffer({ resolveWithObject: true });
        const left = -(trimmed.info.trimOffsetLeft ?? 0);
        const top = -(trimmed.info.trimOffsetTop ?? 0);
        expect(left).toBeGreaterThanOrEqual(Math.floor(box.x * 270) - 1);
        expect(top).toBeGreaterThanOrEqual(Math.floor(box.y * 480) - 1);
        expect(left + trimmed.info.width).toBeLessThanOrEqual(Math.ceil((box.x + box.w) * 270) + 1);
        expect(top + trimmed.info.height).toBeLessThanOrEqual(Math.ceil((box.y + box.h) * 480) + 1);
      }
    },
    120_000,
  );
});
