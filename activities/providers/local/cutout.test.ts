import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredInCi } from '../../../test/support/required';
import { saliencyModelsInstalled } from '../../segmentation/model';
import { stopSegmentationWorker } from '../../segmentation/runner';
import { createLocalCutter } from './cutout';
import { createLocalImageGenerator } from './image';
import { createLocalPlanner } from './planner';

const models = requiredInCi(
  'The cutout models (.tools/models)',
  saliencyModelsInstalled() ? 'installed' : undefined,
);

/**
 * The offline cutout on a studio shot and on noise, and its placement in a scene (real
 * photographs: activities/segmentation/cutout.test.ts).
 */
describe.skipIf(!models)('local product cutout', () => {
  let dir: string;
  const cutter = createLocalCutter();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cutout-'));
  });
  afterAll(async () => {
    await stopSegmentationWorker();
    await rm(dir, { recursive: true, force: true });
  });

  /** A red bottle-ish shape on a pale studio sweep (a gradient, as real backdrops are). */
  const studioPhoto = async (path: string) => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">
      <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
        <stop offset="0" stop-color="#f4f4f2"/><stop offset="1" stop-color="#dcdcd8"/></linearGradient></defs>
      <rect width="400" height="300" fill="url(#g)"/>
      <rect x="160" y="60" width="80" height="180" rx="20" fill="#c0182b"/></svg>`;
    await sharp(Buffer.from(svg)).flatten().jpeg({ quality: 95 }).toFile(path);
  };
  const alphaAt = async (path: string, x: number, y: number) => {
    const { data, info } = await sharp(path)
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return data[(y * info.width + x) * 4 + 3]!;
  };

  it('cuts a product out of a studio backdrop and trims it to the product', async () => {
    const photo = join(dir, 'studio.jpg');
    await studioPhoto(photo);
    const out = await cutter.removeBackground({ imagePath: photo, outputPath: join(dir, 'a.png') });
    expect(out.model).toBe('local/u2net-cutout-v1');
    // On a plain backdrop the flood fill gives its opinion too, and agrees.
    expect(out.quality).toMatchObject({ verdict: 'good' });
    expect(out.quality!.metrics.agreement).toBeGreaterThan(0.9);
    // Trimmed to the 80x180 product (give or take the JPEG's soft edge).
    expect(Math.abs(out.width - 80)).toBeLessThanOrEqual(4);
    expect(Math.abs(out.height - 180)).toBeLessThanOrEqual(4);
    expect(await alphaAt(out.path, Math.floor(out.width / 2), Math.floor(out.height / 2))).toBe(
      255,
    );
    expect(await alphaAt(out.path, 0, 0)).toBeLessThan(255);
  });

  it('refuses noise, where nothing stands out, with a message for a person', async () => {
    const noise = Buffer.alloc(120 * 90 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
    const busy = join(dir, 'busy.png');
    await sharp(noise, { raw: { width: 120, height: 90, channels: 3 } })
      .png()
      .toFile(busy);
    await expect(
      cutter.removeBackground({ imagePath: busy, outputPath: join(dir, 'c.png') }),
    ).rejects.toMatchObject({
      type: 'PRODUCT_UNCLEAR',
      message: /Use a photo where the product is the main subject/,
    });
  });

  it('places the cutout on the scene without its backdrop box, scaled to the shot', async () => {
    const photo = join(dir, 'studio2.jpg');
    await studioPhoto(photo);
    const cut = await cutter.removeBackground({ imagePath: photo, outputPath: join(dir, 'd.png') });
    const plan = await createLocalPlanner().planShots({
      prompt: 'red glass bottle',
      count: 4,
      aspectRatio: '9:16',
    });
    const out = await createLocalImageGenerator().generateImage({
      prompt: plan.shots[0]!.prompt,
      view: 'front',
      seed: plan.seed,
      style: plan.style,
      product: plan.product,
      width: 1080,
      height: 1920,
      productPhotoPath: cut.path,
      outputPath: join(dir, 'scene.png'),
    });
    const { data, info } = await sharp(out.path).raw().toBuffer({ resolveWithObject: true });
    // The product fills the shot (56% of the frame's height), not its 180 px photo size.
    let top = info.height;
    let bottom = 0;
    for (let y = 0; y < info.height; y++) {
      const i = (y * info.width + info.width / 2) * 3;
      const red = data[i]! > 150 && data[i + 1]! < 60 && data[i + 2]! < 80;
      if (red) {
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
    expect((bottom - top) / info.height).toBeGreaterThan(0.45);
  });
});
