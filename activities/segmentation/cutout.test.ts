import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CutoutHints } from '../../core/cutout-quality';
import {
  EVAL_SET,
  iou,
  photoBytes,
  photoPath,
  photosDir,
  truthMask,
  type EvalPhoto,
} from '../../bench/cutout-set';
import { requiredInCi } from '../../test/support/required';
import { createLocalCutter } from '../providers/local/cutout';
import { applyTaps } from './hints';
import { distanceTo, outline } from './mask-ops';
import { saliencyModelsInstalled } from './model';
import { cutoutInWorker, stopSegmentationWorker } from './runner';

/**
 * The product cutout on real photographs (bench/cutout-set.ts; fetched by the bootstrap), through
 * the segmentation worker thread as the studio runs it: IoU against hand-drawn masks per photo,
 * the refusal of photos where no product can be told, and a person's hints redoing a cutout.
 */

const models = requiredInCi(
  'The cutout models (.tools/models)',
  saliencyModelsInstalled() ? 'installed' : undefined,
);
const photos = requiredInCi(
  'The evaluation photos (.tools/photos)',
  EVAL_SET.every((p) => photoPath(p)) ? photosDir() : undefined,
);

const photo = (name: string) => EVAL_SET.find((p) => p.name === name)!;

describe.skipIf(!models || !photos)('the product cutout on real photographs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cutout-real-'));
  });
  afterAll(async () => {
    await stopSegmentationWorker();
    await rm(dir, { recursive: true, force: true });
  });

  /** The photo (or its crop) as a file, as an upload would be. */
  async function upload(p: EvalPhoto) {
    const path = join(dir, `${p.name}.png`);
    await writeFile(path, await photoBytes(p));
    return path;
  }

  /** Cuts out through the worker; returns the verdict and the alpha placed back in the frame. */
  async function cut(p: EvalPhoto, hints?: CutoutHints) {
    const input = await upload(p);
    const meta = await sharp(input).metadata();
    const out = join(dir, `${p.name}-${Math.random().toString(36).slice(2)}.png`);
    const made = await cutoutInWorker({ photoPath: input, outputPath: out, hints });
    const frame = new Uint8Array(meta.width * meta.height);
    if (made.width > 0) {
      const alpha = await sharp(out).ensureAlpha().extractChannel(3).raw().toBuffer();
      const left = Math.round(made.box.x * meta.width);
      const top = Math.round(made.box.y * meta.height);
      for (let y = 0; y < made.height; y++) {
        frame.set(
          alpha.subarray(y * made.width, (y + 1) * made.width),
          (top + y) * meta.width + left,
        );
      }
    }
    const truth = p.polygons ? await truthMask(p, meta.width, meta.height) : undefined;
    return { made, iou: truth ? iou(frame, truth) : NaN, width: meta.width, height: meta.height };
  }

  it.each(EVAL_SET.filter((p) => p.minIou !== undefined).map((p) => [p.name, p] as const))(
    'cuts the product out of %s',
    { timeout: 120_000 },
    async (_name, p) => {
      const { made, iou: score } = await cut(p);
      console.log(`cutout ${p.name}: IoU ${score.toFixed(3)}, ${made.quality.verdict}`);
      expect(score).toBeGreaterThanOrEqual(p.minIou!);
      expect(made.quality.verdict).not.toBe('refused');
      if (p.expect === 'good') expect(made.quality.verdict).toBe('good');
    },
  );

  it('refuses, in words a person understands, photos where it cannot tell the product', async () => {
    const cutter = createLocalCutter();
    const refusal = async (name: string) => {
      const path = await upload(photo(name));
      try {
        await cutter.removeBackground({ imagePath: path, outputPath: join(dir, `${name}-no.png`) });
      } catch (error) {
        return error as { type: string; message: string; details: unknown[] };
      }
      throw new Error(`${name} was not refused`);
    };
    const rocket = await refusal('rocket');
    expect(rocket.type).toBe('PRODUCT_UNCLEAR');
    expect(rocket.message).toMatch(/covers only \d+ % of the photo/);
    expect(rocket.message).toMatch(/Use a photo where the product is the main subject/);
    expect(rocket.details[0]).toMatchObject({ verdict: 'refused', method: 'model' });
    const lawn = await refusal('grass');
    expect(lawn.type).toBe('PRODUCT_UNCLEAR');
    expect(lawn.message).toMatch(/^Nothing in this photo stands out as a product\./);
  });

  it('keeps a PNG that is already transparent exactly as it is', async () => {
    const png = join(dir, 'alpha.png');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><circle cx="100" cy="100" r="60" fill="#2255cc"/></svg>`;
    await sharp(Buffer.from(svg)).png().toFile(png);
    const out = await createLocalCutter().removeBackground({
      imagePath: png,
      outputPath: join(dir, 'alpha-out.png'),
    });
    expect(out.model).toBe('local/alpha-kept');
    expect(out.quality?.verdict).toBe('good');
    expect([out.width, out.height]).toEqual([120, 120]);
    const { data } = await sharp(out.path).raw().toBuffer({ resolveWithObject: true });
    const centre = (60 * 120 + 60) * 4;
    expect([...data.subarray(centre, centre + 4)]).toEqual([0x22, 0x55, 0xcc, 255]);
  });

  describe('hints redo a cutout', () => {
    it(
      'a box around the rocket turns a refusal into its cutout',
      { timeout: 120_000 },
      async () => {
        const rocket = photo('rocket');
        const plain = await cut(rocket);
        expect(plain.made.quality.verdict).toBe('refused');
        const boxed = await cut(rocket, { box: { x: 0.47, y: 0.28, w: 0.07, h: 0.68 } });
        console.log(`cutout rocket in a box: IoU ${boxed.iou.toFixed(3)}`);
        expect(boxed.made.quality.verdict).not.toBe('refused');
        expect(boxed.iou).toBeGreaterThanOrEqual(0.75);
      },
    );

    it(
      'taps on the saucer bring back what the model dropped at the edge',
      { timeout: 120_000 },
      async () => {
        const cropped = photo('coffee-cropped');
        const plain = await cut(cropped);
        const tapped = await cut(cropped, {
          keep: [
            { x: 0.1, y: 0.6 },
            { x: 0.3, y: 0.95 },
          ],
        });
        console.log(
          `coffee cropped: IoU ${plain.iou.toFixed(3)}, with taps ${tapped.iou.toFixed(3)}`,
        );
        expect(tapped.iou).toBeGreaterThan(plain.iou + 0.15);
      },
    );

    it('taps on the table drop what a cutout carried along', async () => {
      const coffee = photo('coffee');
      const png = await photoBytes(coffee);
      const { data, info } = await sharp(png)
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const { width, height } = info;
      const truth = await truthMask(coffee, width, height);
      // A cutout that kept a 30 px ring of the wooden table around the saucer.
      const near = distanceTo(outline(truth, width, height), width, height);
      const ringed = Uint8Array.from(truth, (t, i) => (t || near[i]! <= 30 ? 255 : 0));
      const taps = [
        { x: 60 / 600, y: 250 / 400 },
        { x: 250 / 600, y: 395 / 400 },
        { x: 495 / 600, y: 250 / 400 },
        { x: 440 / 600, y: 90 / 400 },
        { x: 150 / 600, y: 60 / 400 },
      ];
      const { alpha } = applyTaps(new Uint8Array(data), 3, ringed, width, height, { drop: taps });
      const before = iou(ringed, truth);
      const after = iou(alpha, truth);
      console.log(
        `coffee with a ring of table: IoU ${before.toFixed(3)}, after taps ${after.toFixed(3)}`,
      );
      expect(after).toBeGreaterThan(before + 0.05);
      // Nothing of the product itself went: the cup's centre and the spoon stay.
      for (const [x, y] of [
        [290, 150],
        [365, 285],
      ] as const) {
        expect(alpha[y * width + x]).toBe(255);
      }
    });
  });
});
