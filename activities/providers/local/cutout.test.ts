import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalCutter } from './cutout';
import { createLocalImageGenerator } from './image';
import { createLocalPlanner } from './planner';

/** The offline cutout: matted from a studio backdrop, alpha kept, busy photos refused. */
describe('local product cutout', () => {
  let dir: string;
  const cutter = createLocalCutter();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cutout-'));
  });
  afterAll(async () => {
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

  it('mattes a photo on a studio backdrop and trims it to the product', async () => {
    const photo = join(dir, 'studio.jpg');
    await studioPhoto(photo);
    const out = await cutter.removeBackground({ imagePath: photo, outputPath: join(dir, 'a.png') });
    expect(out.model).toBe('local/matte-v1');
    // Trimmed to the 80x180 product (give or take the JPEG's soft edge).
    expect(Math.abs(out.width - 80)).toBeLessThanOrEqual(4);
    expect(Math.abs(out.height - 180)).toBeLessThanOrEqual(4);
    expect(await alphaAt(out.path, Math.floor(out.width / 2), Math.floor(out.height / 2))).toBe(
      255,
    );
    expect(await alphaAt(out.path, 0, 0)).toBeLessThan(255);
  });

  it('keeps a PNG that is already transparent as it is', async () => {
    const png = join(dir, 'alpha.png');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><circle cx="100" cy="100" r="60" fill="#2255cc"/></svg>`;
    await sharp(Buffer.from(svg)).png().toFile(png);
    const out = await cutter.removeBackground({ imagePath: png, outputPath: join(dir, 'b.png') });
    expect(out.model).toBe('local/alpha-kept');
    expect([out.width, out.height]).toEqual([120, 120]);
    const { data } = await sharp(out.path).raw().toBuffer({ resolveWithObject: true });
    const centre = (60 * 120 + 60) * 4;
    expect([...data.subarray(centre, centre + 4)]).toEqual([0x22, 0x55, 0xcc, 255]);
  });

  it('refuses a busy photo it cannot separate, with a message for a person', async () => {
    const noise = Buffer.alloc(120 * 90 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
    const busy = join(dir, 'busy.png');
    await sharp(noise, { raw: { width: 120, height: 90, channels: 3 } })
      .png()
      .toFile(busy);
    await expect(
      cutter.removeBackground({ imagePath: busy, outputPath: join(dir, 'c.png') }),
    ).rejects.toMatchObject({ type: 'MEDIA_INVALID', message: /plain backdrop/ });
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
