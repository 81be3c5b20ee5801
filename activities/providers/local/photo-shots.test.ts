import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalImageGenerator } from './image';
import { createLocalPlanner } from './planner';
import { meanDifference } from '../../../test/support/pixels';

/**
 * Shots around one product photo: every shot of a plan is another set, light and camera (not the
 * same pixels under another view's name), a variant is never the original again, and an edited
 * prompt changes the set it asks about. The cutout here is drawn (a cup-like shape with alpha);
 * test/photo-shots.test.ts does the same from a real photograph.
 */

const W = 216;
const H = 384;

async function meanColour(
  path: string,
  region: { left: number; top: number; width: number; height: number },
) {
  const { data } = await sharp(path)
    .extract(region)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const sum = [0, 0, 0];
  for (let i = 0; i < data.length; i += 3) for (let c = 0; c < 3; c++) sum[c]! += data[i + c]!;
  return sum.map((s) => s / (data.length / 3)) as [number, number, number];
}

describe('shots around a product photo (local studio)', () => {
  let dir: string;
  let cutout: string;
  const generator = createLocalImageGenerator();
  const plan = createLocalPlanner().planShots({
    prompt: 'red espresso cup',
    count: 6,
    aspectRatio: '9:16',
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'photo-shots-'));
    cutout = join(dir, 'cutout.png');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="240"><ellipse cx="150" cy="200" rx="140" ry="36" fill="#b3271e"/><rect x="80" y="40" width="140" height="160" rx="30" fill="#f4f1ea"/><circle cx="236" cy="120" r="30" fill="none" stroke="#f4f1ea" stroke-width="14"/></svg>`;
    await sharp(Buffer.from(svg)).png().toFile(cutout);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const make = async (
    name: string,
    shot: { view: 'front' | 'side' | 'back' | 'top' | 'detail' | 'lifestyle'; prompt: string },
    seed: number,
  ) => {
    const p = await plan;
    return generator.generateImage({
      prompt: shot.prompt,
      view: shot.view,
      seed,
      style: p.style,
      product: p.product,
      width: W,
      height: H,
      productPhotoPath: cutout,
      outputPath: join(dir, `${name}.png`),
    });
  };

  it('draws the set a photo plan’s prompt names, for all eight shots', async () => {
    const photoPlan = await createLocalPlanner().planShots({
      prompt: 'red espresso cup',
      count: 8,
      aspectRatio: '9:16',
      hasPhoto: true,
    });
    const names = [];
    for (const [i, shot] of photoPlan.shots.entries()) {
      const made = await make(`named-${i}`, shot, photoPlan.seed);
      expect(shot.prompt.startsWith(`${made.shotName}: `)).toBe(true);
      expect(made.sceneNotice).toBeUndefined();
      names.push(made.shotName);
    }
    expect(new Set(names).size).toBe(8);
  });

  it('gives every shot of a plan its own set, named for what it is, with the product’s box', async () => {
    const p = await plan;
    const made = [];
    for (const [i, shot] of p.shots.entries()) made.push(await make(`shot-${i}`, shot, p.seed));
    const names = made.map((m) => m.shotName);
    expect(new Set(names).size).toBe(made.length);
    for (const name of names) expect(name).not.toMatch(/\b(front|side|back)\b/);
    for (let i = 0; i < made.length; i++) {
      for (let j = i + 1; j < made.length; j++) {
        // Well above re-encoding noise: whole sets differ, not a few pixels.
        expect(await meanDifference(made[i]!.path, made[j]!.path)).toBeGreaterThan(8);
      }
    }
    for (const m of made) {
      const box = m.productBox!;
      expect(box.w).toBeGreaterThan(0.2);
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.x + box.w).toBeLessThanOrEqual(1.0001);
      expect(box.y + box.h).toBeLessThanOrEqual(1.0001);
      // The product's pixels are inside its box: the layer is empty outside it.
      const { data } = await sharp(m.productLayerPath).raw().toBuffer({ resolveWithObject: true });
      for (let y = 0; y < H; y += 3) {
        for (let x = 0; x < W; x += 3) {
          const inside =
            x >= box.x * W - 1 &&
            x <= (box.x + box.w) * W + 1 &&
            y >= box.y * H - 1 &&
            y <= (box.y + box.h) * H + 1;
          if (!inside) expect(data[(y * W + x) * 4 + 3]).toBe(0);
        }
      }
    }
  });

  it('never makes a variant identical to its original', async () => {
    const p = await plan;
    const shot = p.shots[0]!;
    const original = await make('original', shot, p.seed);
    const variant = await make('variant', shot, p.seed + 1);
    const [a, b] = await Promise.all([readFile(original.path), readFile(variant.path)]);
    expect(a.equals(b)).toBe(false);
    expect(await meanDifference(original.path, variant.path)).toBeGreaterThan(8);
  });

  it('changes the set an edited prompt asks for, and says what it cannot change', async () => {
    const p = await plan;
    const shot = p.shots[0]!;
    const top = { left: 0, top: 0, width: W, height: Math.round(H * 0.3) };
    const dark = await make(
      'dark',
      { ...shot, prompt: `${shot.prompt}; dark moody set` },
      p.seed + 1,
    );
    const bright = await make(
      'bright',
      { ...shot, prompt: `${shot.prompt}; bright airy set` },
      p.seed + 1,
    );
    const luma = (c: number[]) => 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
    expect(luma(await meanColour(dark.path, top))).toBeLessThan(
      luma(await meanColour(bright.path, top)) - 40,
    );
    const green = await make(
      'green',
      { ...shot, prompt: `${shot.prompt}; on a green backdrop` },
      p.seed + 1,
    );
    const [r, g, b] = await meanColour(green.path, top);
    expect(g).toBeGreaterThan(r);
    expect(g).toBeGreaterThan(b);
    expect(green.shotName).toContain('green');
    expect(green.sceneNotice).toBeUndefined();
    const bamboo = await make(
      'bamboo',
      { ...shot, prompt: `${shot.prompt}; with a bamboo cap` },
      p.seed + 1,
    );
    expect(bamboo.sceneNotice).toMatch(/cannot re-draw the product.*“bamboo cap”/);
  });

  it('casts the shadow from the product’s silhouette, not its rectangle', async () => {
    const p = await plan;
    const shot = p.shots[0]!;
    const m = await make('shadow', shot, p.seed);
    const box = m.productBox!;
    // Just under the box's bottom corners (outside the saucer's ellipse) the floor is not darkened
    // as it is under the saucer's middle.
    const below = Math.min(H - 2, Math.round((box.y + box.h) * H) + 1);
    const at = async (fx: number) =>
      meanColour(m.path, {
        left: Math.round((box.x + box.w * fx) * W),
        top: below,
        width: 2,
        height: 1,
      });
    const luma = (c: number[]) => 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
    const middle = luma(await at(0.5));
    const corner = Math.max(luma(await at(0.01)), luma(await at(0.97)));
    expect(corner).toBeGreaterThan(middle);
  });
});

describe('a drawn product (no photo)', () => {
  it('never makes a variant identical to its original', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drawn-variant-'));
    try {
      const p = await createLocalPlanner().planShots({
        prompt: 'pink tennis shoes',
        count: 4,
        aspectRatio: '16:9',
      });
      const generator = createLocalImageGenerator();
      for (const shot of p.shots) {
        const make = (seed: number) =>
          generator.generateImage({
            prompt: shot.prompt,
            view: shot.view,
            seed,
            style: p.style,
            product: p.product,
            width: 320,
            height: 180,
            outputPath: join(dir, `${shot.view}-${seed}.png`),
          });
        const [a, b] = await Promise.all([make(p.seed), make(p.seed + 1)]);
        const [x, y] = await Promise.all([readFile(a.path), readFile(b.path)]);
        expect(x.equals(y), `${shot.view} variant`).toBe(false);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
