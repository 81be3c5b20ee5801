import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVAL_SET, photoPath } from '../../bench/cutout-set';
import { contrastRatio, MIN_TEXT_CONTRAST } from '../../core/contrast';
import { overlapArea } from '../../core/render/clear-of-product';
import { contains, layoutAd } from '../../core/render/layout';
import { runFfmpeg } from '../media/ffmpeg';
import { renderAd } from './render';

/**
 * The finished 9:16 ad from a busy real photo (an espresso cup on a brown wooden table) with the
 * colours the issue reported as unreadable (grey text, brown cards): the lower third moves off
 * the product, which stands where it would go, and intro, lower third and outro read at 4.5:1 in
 * the frames the render actually wrote.
 */

const W = 540;
const H = 960;
const coffee = photoPath(EVAL_SET.find((p) => p.name === 'coffee')!);
/** The product's box in the clips: across the top of the safe area, the 9:16 lower third's place. */
const PRODUCT = { x: 0.1, y: 0.12, w: 0.8, h: 0.22 };

const hex = (p: number[]) =>
  `#${p
    .slice(0, 3)
    .map((c) => Math.round(c).toString(16).padStart(2, '0'))
    .join('')}`;

/** The darkest and lightest (2nd and 98th percentile by luma) colours inside a box of a frame. */
async function extremesIn(
  png: string,
  box: { x: number; y: number; width: number; height: number },
) {
  const { data } = await sharp(png)
    .extract({ left: box.x, top: box.y, width: box.width, height: box.height })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const pixels: number[][] = [];
  for (let i = 0; i < data.length; i += 3) {
    pixels.push([
      data[i]!,
      data[i + 1]!,
      data[i + 2]!,
      0.2126 * data[i]! + 0.7152 * data[i + 1]! + 0.0722 * data[i + 2]!,
    ]);
  }
  pixels.sort((a, b) => a[3]! - b[3]!);
  const at = (q: number) => pixels[Math.floor(q * (pixels.length - 1))]!;
  return [hex(at(0.02)), hex(at(0.98))] as const;
}

describe.skipIf(!coffee)('text of a 9:16 ad from a busy photo', () => {
  let dir: string;
  let clip: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'text-clear-'));
    clip = join(dir, 'clip.mp4');
    // The busy photo itself as footage: wood, crema and a white saucer behind the text.
    await runFfmpeg([
      '-y',
      '-loop',
      '1',
      '-i',
      `file:${coffee!}`,
      '-t',
      '3',
      '-vf',
      `scale=${W}:${H}:force_original_aspect_ratio=increase,crop=${W}:${H},format=yuv420p`,
      '-r',
      '30',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      `file:${clip}`,
    ]);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps the lower third off the product and every text at 4.5:1 on the real frames', async () => {
    const out = join(dir, 'ad.mp4');
    const ad = await renderAd({
      clips: [0, 1].map(() => ({ path: clip, width: W, height: H, productBox: PRODUCT })),
      productName: 'Crema Espresso',
      callToAction: 'Order today',
      tagline: 'Pulled fresh',
      colors: { primary: '#6e4a32', accent: '#7a5236', text: '#8a8a8a' },
      musicPath: null,
      width: W,
      height: H,
      outputPath: out,
    });
    const product = {
      x: Math.round(PRODUCT.x * W),
      y: Math.round(PRODUCT.y * H),
      width: Math.round(PRODUCT.w * W),
      height: Math.round(PRODUCT.h * H),
    };
    const lower = ad.textBoxes.lowerThird;
    expect(overlapArea(lower, product)).toBe(0);
    expect(contains(layoutAd(W, H).safe, lower)).toBe(true);

    const frameAt = async (seconds: number, name: string) => {
      const png = join(dir, `${name}.png`);
      await runFfmpeg([
        '-y',
        '-ss',
        seconds.toFixed(2),
        '-i',
        `file:${out}`,
        '-frames:v',
        '1',
        `file:${png}`,
      ]);
      return png;
    };
    const intro = ad.timeline.segments[0]!;
    const outro = ad.timeline.segments.at(-1)!;
    const middle = ad.timeline.segments[1]!;
    const checks = [
      {
        png: await frameAt(intro.startSeconds + intro.shownSeconds * 0.7, 'intro'),
        box: ad.textBoxes.introTitle,
      },
      { png: await frameAt(middle.startSeconds + middle.shownSeconds * 0.6, 'lower'), box: lower },
      {
        png: await frameAt(outro.startSeconds + outro.shownSeconds - 0.2, 'outro-name'),
        box: ad.textBoxes.outroName,
      },
      {
        png: await frameAt(outro.startSeconds + outro.shownSeconds - 0.2, 'outro-cta'),
        box: ad.textBoxes.outroCta,
      },
    ];
    for (const { png, box } of checks) {
      const [dark, light] = await extremesIn(png, box);
      // The text and what is behind it are the box's two extremes; compression blurs both a
      // little, so the drawn contrast is at least this.
      expect(contrastRatio(dark, light)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    }
  }, 180_000);
});
