import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAMERA_MOVES, PRODUCT_VIEWS } from '../../core/options';
import type { AspectRatio } from '../../core/options';
import { createLogger } from '../../core/log';
import { FIDELITY_WARNING_BELOW, type AssetView } from '../../core/session';
import { EVAL_SET, photoBytes, photoPath, photosDir, truthMask } from '../../bench/cutout-set';
import { requiredInCi } from '../../test/support/required';
import { opaqueBox } from '../providers/alpha';
import { distanceTo, outline } from '../segmentation/mask-ops';
import { saliencyModelsInstalled } from '../segmentation/model';
import { stopSegmentationWorker } from '../segmentation/runner';
import type { Db } from '../../db/client';
import { uploadKey, type Storage } from '../../storage';
import { fsStorageIn } from '../../test/support/activities';
import { createGenerationActivities, productLayerKey } from '../generation';
import { createLocalProviders } from '../providers/local';
import { createLocalPlanner } from '../providers/local/planner';
import { CLEAR_MARGIN, clipFidelity, imageFidelity } from './score';
import { productFrames } from '../providers/local/clip';
import { CLIP_SECONDS, VIDEO_FPS } from '../../core/options';
import { frameSize } from '../../core/sizes';
import { maskedSsim } from './ssim';

/**
 * Product fidelity end to end through the generation activities: a product photo on a plain
 * backdrop is cut out, composited into every view and animated by every camera move; the product
 * region of each image and of each clip's sampled frames must match the cutout (>= 0.95). The image
 * score is masked SSIM times the segmentation model's agreement with the cutout's shape and purity
 * (locate.ts), never pixel-exact; the clip score is masked SSIM against the placed layer, on a
 * cutout whose refined edge is soft by a pixel or two.
 */

let dir: string;
let generation: ReturnType<typeof createGenerationActivities>;
let storage: Storage;

/** A labelled bottle on a pale studio sweep: detail (stripes, a dot pattern) for SSIM to see. */
export async function productPhoto(path: string) {
  const dots = Array.from({ length: 24 }, (_, i) => {
    const x = 175 + (i % 6) * 10;
    const y = 150 + Math.floor(i / 6) * 12;
    return `<circle cx="${x}" cy="${y}" r="3" fill="#ffe14d"/>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="320">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#f4f4f2"/><stop offset="1" stop-color="#dcdcd8"/></linearGradient>
      <linearGradient id="b" x1="0" y1="0" x2="1" y2="0">
      <stop offset="0" stop-color="#7a0f1c"/><stop offset="0.4" stop-color="#d0283d"/><stop offset="1" stop-color="#6a0c17"/></linearGradient></defs>
    <rect width="400" height="320" fill="url(#g)"/>
    <rect x="185" y="40" width="30" height="40" fill="#222"/>
    <rect x="155" y="75" width="90" height="200" rx="22" fill="url(#b)"/>
    <rect x="160" y="130" width="80" height="70" fill="#f7f3e8"/>
    <rect x="160" y="138" width="80" height="6" fill="#1d3f8a"/>
    <rect x="160" y="186" width="80" height="6" fill="#1d3f8a"/>${dots}</svg>`;
  await sharp(Buffer.from(svg)).flatten().jpeg({ quality: 95 }).toFile(path);
}

async function run<R>(work: () => Promise<R>): Promise<R> {
  return new MockActivityEnvironment().run<[], R, () => Promise<R>>(work);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fidelity-'));
  storage = fsStorageIn(join(dir, 'storage'));
  generation = createGenerationActivities({
    // Generation activities never touch the database.
    db: undefined as unknown as Db,
    storage,
    providers: createLocalProviders(),
    workDir: join(dir, 'work'),
    log: createLogger('fidelity-test', 'error'),
    publish: () => undefined,
  });
});
afterAll(async () => {
  await stopSegmentationWorker();
  await rm(dir, { recursive: true, force: true });
});

const models = requiredInCi(
  'The cutout models (.tools/models)',
  saliencyModelsInstalled() ? 'installed' : undefined,
);
const photos = requiredInCi(
  'The evaluation photos (.tools/photos)',
  EVAL_SET.every((p) => photoPath(p)) ? photosDir() : undefined,
);

describe('maskedSsim', () => {
  const solid = (w: number, h: number, rgba: number[]) => ({
    data: Uint8Array.from({ length: w * h * 4 }, (_, i) => rgba[i % 4]!),
    width: w,
    height: h,
    channels: 4,
  });
  it('is 1 for the cutout itself and lower for a re-coloured one', () => {
    const cut = solid(20, 20, [200, 30, 40, 255]);
    expect(maskedSsim(solid(20, 20, [200, 30, 40, 255]), cut)).toBeCloseTo(1, 6);
    expect(maskedSsim(solid(20, 20, [40, 30, 200, 255]), cut)).toBeLessThan(0.9);
  });
  it('ignores what lies outside the cutout', () => {
    const cut = solid(20, 20, [200, 30, 40, 0]);
    for (let i = 0; i < 100; i++) cut.data[(i + 150) * 4 + 3] = 255;
    const picture = solid(20, 20, [0, 255, 0, 255]);
    for (let i = 0; i < 100; i++) picture.data.set([200, 30, 40], (i + 150) * 4);
    expect(maskedSsim(picture, cut)).toBeCloseTo(1, 6);
  });
});

/** A made clip's every sampled frame scored (no early decision), from what storage holds. */
async function everyFrameScored(
  sessionId: string,
  clip: AssetView,
  source: AssetView,
  aspectRatio: AspectRatio,
) {
  const work = await mkdtemp(join(dir, 'every-frame-'));
  const clipPath = join(work, 'clip.mp4');
  const layerPath = join(work, 'layer.png');
  await storage.getToFile(clip.storageKey!, clipPath);
  await storage.getToFile(productLayerKey(sessionId, source.id), layerPath);
  const samples = productFrames({
    imagePath: '',
    outputPath: '',
    motion: clip.motion!,
    prompt: clip.prompt ?? '',
    durationSeconds: CLIP_SECONDS,
    fps: VIDEO_FPS,
    ...frameSize(aspectRatio),
    product: { layerPath, box: source.productBox! },
  });
  return clipFidelity(clipPath, layerPath, source.productBox!, samples, join(work, 'frames'));
}

describe.each<AspectRatio>(['16:9', '9:16'])('product fidelity at %s', (aspectRatio) => {
  const sessionId = `fidelity-${aspectRatio.replace(':', 'x')}`;
  let cutout: AssetView;
  const images: AssetView[] = [];

  beforeAll(async () => {
    const photo = join(dir, `${sessionId}.jpg`);
    await productPhoto(photo);
    const photoKey = uploadKey('user-1', sessionId, 'jpg');
    await storage.putFile(photoKey, photo, 'image/jpeg');
    cutout = await run(() =>
      generation.cutoutProductPhoto({ sessionId, assetId: 'cutout-1', photoKey }),
    );
  });

  it('composites the cutout into every view at >= 0.95', { timeout: 300_000 }, async () => {
    const plan = await createLocalPlanner().planShots({
      prompt: 'red glass bottle',
      count: PRODUCT_VIEWS.length,
      aspectRatio,
    });
    for (const [i, view] of PRODUCT_VIEWS.entries()) {
      const image = await run(() =>
        generation.generateImage({
          sessionId,
          assetId: `image-${i}`,
          prompt: plan.shots[i]?.prompt ?? 'red glass bottle',
          view,
          seed: plan.seed,
          style: plan.style,
          product: plan.product,
          aspectRatio,
          productPhotoKey: cutout.storageKey,
        }),
      );
      console.log(`fidelity ${aspectRatio} image ${view}: ${image.fidelity}`);
      expect(image.fidelity).toBeGreaterThanOrEqual(0.95);
      expect(image.fidelityWarning).toBe(false);
      const box = image.productBox!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.x + box.w).toBeLessThanOrEqual(1);
      expect(box.y + box.h).toBeLessThanOrEqual(1);
      images.push(image);
    }
  });

  it(
    'holds the product steady through every camera move at >= 0.95',
    { timeout: 300_000 },
    async () => {
      expect(images.length).toBe(PRODUCT_VIEWS.length);
      for (const [i, motion] of CAMERA_MOVES.entries()) {
        const source = images[i % images.length]!;
        const env = new MockActivityEnvironment();
        const fractions: Array<number | undefined> = [];
        env.on('heartbeat', (details?: { fraction?: number }) => fractions.push(details?.fraction));
        const clip = await env.run<[], AssetView, () => Promise<AssetView>>(() =>
          generation.generateClip({
            sessionId,
            assetId: `clip-${i}`,
            sourceImage: source,
            motion,
            prompt: 'slow reveal',
            seed: 7,
            aspectRatio,
          }),
        );
        // Every sampled frame (start, middle, end) scored, against the clip's own score, which
        // is the most moved frame's alone when that one clears the warning line.
        const full = await everyFrameScored(sessionId, clip, source, aspectRatio);
        console.log(
          `fidelity ${aspectRatio} clip ${motion} (${source.view}): ${clip.fidelity} (every frame: ${full.scores.join(', ')})`,
        );
        expect(clip.fidelity).toBeGreaterThanOrEqual(0.95);
        expect(full.scores).toHaveLength(3);
        expect(clip.fidelity! - full.lowest).toBeLessThanOrEqual(CLEAR_MARGIN);
        expect(clip.fidelityWarning).toBe(full.lowest < FIDELITY_WARNING_BELOW);
        // Scoring heartbeats once per frame it scores, after the clip is made.
        const made = fractions.indexOf(1);
        expect(fractions.slice(made + 1).length, fractions.join(', ')).toBeGreaterThanOrEqual(1);
        // The product's path through the move covers where it started and stays in the frame.
        const box = clip.productBox!;
        expect(box.w).toBeGreaterThanOrEqual(source.productBox!.w * 0.99);
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.w).toBeLessThanOrEqual(1);
        expect(box.y + box.h).toBeLessThanOrEqual(1);
      }
    },
  );
});

describe.skipIf(!models || !photos)('the score measures the product, not the sticker', () => {
  const coffee = EVAL_SET.find((p) => p.name === 'coffee')!;

  /** An image made around `cutoutPath` by the local studio, through the activity. */
  async function imageAround(sessionId: string, cutoutPath: string) {
    const key = uploadKey('user-1', sessionId, 'png');
    await storage.putFile(key, cutoutPath, 'image/png');
    const plan = await createLocalPlanner().planShots({
      prompt: 'espresso cup',
      count: 1,
      aspectRatio: '16:9',
    });
    return run(() =>
      generation.generateImage({
        sessionId,
        assetId: `image-${sessionId}`,
        prompt: plan.shots[0]!.prompt,
        view: 'front',
        seed: plan.seed,
        style: plan.style,
        product: plan.product,
        aspectRatio: '16:9',
        productPhotoKey: key,
      }),
    );
  }

  it('falls when the cutout kept its photo around the product', { timeout: 240_000 }, async () => {
    const photo = join(dir, 'coffee.png');
    await writeFile(photo, await photoBytes(coffee));
    const photoKey = uploadKey('user-1', 'coffee-good', 'png');
    await storage.putFile(photoKey, photo, 'image/png');
    const cutout = await run(() =>
      generation.cutoutProductPhoto({ sessionId: 'coffee-good', assetId: 'cutout-c', photoKey }),
    );
    expect(cutout.cutoutQuality?.verdict).toBe('good');
    const clean = join(dir, 'coffee-clean.png');
    await storage.getToFile(cutout.storageKey!, clean);
    const good = await imageAround('coffee-good', clean);

    // The same product, but its "cutout" kept a 40 px ring of the wooden table around it.
    const { data, info } = await sharp(photo)
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const truth = await truthMask(coffee, info.width, info.height);
    const near = distanceTo(outline(truth, info.width, info.height), info.width, info.height);
    for (let i = 0; i < truth.length; i++) data[i * 4 + 3] = truth[i] || near[i]! <= 40 ? 255 : 0;
    const ringed = join(dir, 'coffee-ringed.png');
    const box = opaqueBox(data, info.width, info.height);
    await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } })
      .extract(box)
      .png()
      .toFile(ringed);
    const carried = await imageAround('coffee-ringed', ringed);

    // The whole photo pasted as a rectangle (what the old flood fill made of a busy photo).
    const rectangle = join(dir, 'coffee-rectangle.png');
    await sharp(photo).ensureAlpha().png().toFile(rectangle);
    const pasted = await imageAround('coffee-rectangle', rectangle);

    console.log(
      `fidelity of the coffee cup: clean cutout ${good.fidelity}, with a ring of table ` +
        `${carried.fidelity}, the whole photo ${pasted.fidelity}`,
    );
    expect(good.fidelity).toBeGreaterThanOrEqual(FIDELITY_WARNING_BELOW);
    expect(good.fidelityWarning).toBe(false);
    // The whole photo as a sticker (what the flood fill left of a busy photo) is flagged. A thin
    // ring of table is not (the score cannot see it; the cutout's quality gate judges cutouts).
    expect(pasted.fidelity).toBeLessThan(good.fidelity! - 0.3);
    expect(pasted.fidelityWarning).toBe(true);
    expect(carried.fidelity).toBeLessThanOrEqual(good.fidelity!);
  });
});

describe('the fidelity check can fail', () => {
  it('scores a re-drawn product low', async () => {
    const photo = join(dir, 'redrawn.jpg');
    await productPhoto(photo);
    const cutoutPath = join(dir, 'redrawn-cutout.png');
    await createLocalProviders().cutouts!.removeBackground({
      imagePath: photo,
      outputPath: cutoutPath,
    });
    const meta = await sharp(cutoutPath).metadata();
    // The same silhouette, but the label flipped upside down and the colours shifted: drift.
    const redrawn = await sharp(cutoutPath).flip().modulate({ hue: 90 }).png().toBuffer();
    const image = join(dir, 'redrawn.png');
    await sharp({ create: { width: 800, height: 600, channels: 3, background: '#dcdcd8' } })
      .composite([{ input: redrawn, left: 300, top: 100 }])
      .png()
      .toFile(image);
    const box = { x: 300 / 800, y: 100 / 600, w: meta.width / 800, h: meta.height / 600 };
    expect(await imageFidelity(image, cutoutPath, box)).toBeLessThan(0.9);
  });

  it('scores a warped product (stretched 8 % wide, same place) below 0.98', async () => {
    const photo = join(dir, 'warped.jpg');
    await productPhoto(photo);
    const cutoutPath = join(dir, 'warped-cutout.png');
    await createLocalProviders().cutouts!.removeBackground({
      imagePath: photo,
      outputPath: cutoutPath,
    });
    const meta = await sharp(cutoutPath).metadata();
    const [w, h] = [meta.width * 3, meta.height * 3];
    const stretched = await sharp(cutoutPath)
      .resize(Math.round(w * 1.08), h, { fit: 'fill' })
      .extract({ left: Math.round(w * 0.04), top: 0, width: w, height: h })
      .png()
      .toBuffer();
    const image = join(dir, 'warped.png');
    await sharp({ create: { width: 1920, height: 1080, channels: 3, background: '#dcdcd8' } })
      .composite([{ input: stretched, left: 700, top: 100 }])
      .png()
      .toFile(image);
    const box = { x: 700 / 1920, y: 100 / 1080, w: w / 1920, h: h / 1080 };
    const score = await imageFidelity(image, cutoutPath, box);
    console.log(`fidelity of a product stretched 8 %: ${score}`);
    expect(score).toBeLessThan(0.98);
  });
});
