import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProductView } from '../../../core/options';
import type { ShotPlan } from '../types';
import { hexToRgb } from './colour';
import { composeScene } from './draw/scene';
import { createLocalImageGenerator } from './image';
import { PRODUCT_KINDS } from './parse-prompt';
import { createLocalPlanner } from './planner';

const images = createLocalImageGenerator();
let dir: string;
let shoes: ShotPlan;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-image-'));
  shoes = await createLocalPlanner().planShots({
    prompt: 'pink tennis shoes',
    count: 6,
    aspectRatio: '16:9',
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function render(
  plan: ShotPlan,
  view: ProductView,
  name: string,
  width = 1920,
  height = 1080,
  photo?: string,
) {
  const shot = plan.shots.find((s) => s.view === view);
  return images.generateImage({
    prompt: shot?.prompt ?? view,
    view,
    seed: plan.seed,
    style: plan.style,
    product: plan.product,
    width,
    height,
    productPhotoPath: photo,
    outputPath: join(dir, name),
  });
}

const sha = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

/** Share of pixels within `tolerance` (RGB distance) of a colour. */
async function share(path: string, hex: string, tolerance = 40): Promise<number> {
  const { data, info } = await sharp(path)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const c = hexToRgb(hex);
  let hits = 0;
  for (let i = 0; i < data.length; i += 3) {
    const d = Math.hypot((data[i] ?? 0) - c.r, (data[i + 1] ?? 0) - c.g, (data[i + 2] ?? 0) - c.b);
    if (d < tolerance) hits++;
  }
  return hits / (info.width * info.height);
}

describe('local image generator', () => {
  it('renders a 1920x1080 PNG that is byte-identical for the same inputs', async () => {
    const a = await render(shoes, 'front', 'a.png');
    expect(a).toMatchObject({
      mime: 'image/png',
      width: 1920,
      height: 1080,
      model: 'local/studio-image-v1',
      costUsd: 0,
    });
    const meta = await sharp(a.path).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 1920, 1080]);
    const b = await render(shoes, 'front', 'b.png');
    expect(await sha(b.path)).toBe(await sha(a.path));
  });

  it('renders every view differently, with the product colour visible', async () => {
    const hashes = new Set<string>();
    for (const view of ['front', 'side', 'back', 'top', 'detail', 'lifestyle'] as const) {
      const out = await render(shoes, view, `view-${view}.png`, 640, 360);
      hashes.add(await sha(out.path));
      expect(await share(out.path, shoes.product.colourHex)).toBeGreaterThan(0.01);
    }
    expect(hashes.size).toBe(6);
  });

  it('draws every product kind at small sizes', async () => {
    const planner = createLocalPlanner();
    const prompts: Record<(typeof PRODUCT_KINDS)[number], string> = {
      shoe: 'red sneakers',
      bottle: 'teal perfume bottle',
      watch: 'navy leather watch',
      headphones: 'black headphones',
      bag: 'tan leather handbag',
      mug: 'yellow mug',
      phone: 'purple phone',
      lipstick: 'red lipstick',
      jar: 'mint cream jar',
      box: 'blue gift',
    };
    for (const kind of PRODUCT_KINDS) {
      const plan = await planner.planShots({
        prompt: prompts[kind],
        count: 4,
        aspectRatio: '16:9',
      });
      expect(plan.product.kind).toBe(kind);
      for (const view of ['front', 'side', 'top'] as const) {
        const out = await render(plan, view, `${kind}-${view}.png`, 320, 180);
        expect(await share(out.path, plan.product.colourHex, 45)).toBeGreaterThan(0.004);
      }
    }
  });

  it('composites an uploaded photo pixel-exact', async () => {
    const pw = 120;
    const ph = 90;
    const raw = Buffer.alloc(pw * ph * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 37 + (i >> 7)) & 255;
    const photo = join(dir, 'photo.png');
    await sharp(raw, { raw: { width: pw, height: ph, channels: 3 } })
      .png()
      .toFile(photo);
    const out = await render(shoes, 'front', 'with-photo.png', 640, 360, photo);
    const at = composeScene({
      view: 'front',
      prompt: shoes.shots[0]?.prompt ?? '',
      seed: shoes.seed,
      style: shoes.style,
      product: shoes.product,
      width: 640,
      height: 360,
      photo: { width: pw, height: ph },
    }).photoAt;
    expect(at).toBeDefined();
    const region = await sharp(out.path)
      .extract({ left: at?.left ?? 0, top: at?.top ?? 0, width: pw, height: ph })
      .removeAlpha()
      .raw()
      .toBuffer();
    expect(region.equals(raw)).toBe(true);
  });

  it('shrinks a photo larger than the canvas to fit', async () => {
    const photo = join(dir, 'big.png');
    await sharp({ create: { width: 900, height: 700, channels: 3, background: '#2266aa' } })
      .png()
      .toFile(photo);
    const out = await render(shoes, 'side', 'big-photo.png', 320, 180, photo);
    const meta = await sharp(out.path).metadata();
    expect([meta.width, meta.height]).toEqual([320, 180]);
    expect(await share(out.path, '#2266aa', 6)).toBeGreaterThan(0.3);
  });
});
