import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AspectRatio } from '../../core/options';
import { ffprobe, runFfmpeg } from '../media/ffmpeg';
import { frameSize } from '../../core/sizes';
import { planReframe, reframeFilter } from './reframe';
import { renderAd } from './render';
import { TEST_CLIP_H264 } from '../../test/support/media';

const LANDSCAPE = { width: 1920, height: 1080 };

describe('planReframe', () => {
  it('cuts the largest window of the target shape, centred on the product', () => {
    const box = { x: 0.6, y: 0.3, w: 0.1, h: 0.4 };
    const window = planReframe(LANDSCAPE, { width: 1080, height: 1920 }, box);
    expect(window.h).toBe(1080);
    expect(window.w / window.h).toBeCloseTo(9 / 16, 2);
    expect(window.x + window.w / 2).toBeCloseTo(1920 * 0.65, -1);
    expect(window.x).toBeGreaterThanOrEqual(0);
  });

  it('keeps the window inside the source when the product is near an edge', () => {
    const window = planReframe(
      LANDSCAPE,
      { width: 1080, height: 1080 },
      { x: 0.9, y: 0.2, w: 0.08, h: 0.5 },
    );
    expect(window).toEqual({ x: 840, y: 0, w: 1080, h: 1080 });
  });

  it('grows the window to hold a product wider than the target shape allows', () => {
    const box = { x: 0.2, y: 0.3, w: 0.6, h: 0.5 };
    const window = planReframe(LANDSCAPE, { width: 1080, height: 1920 }, box);
    expect(window.w).toBeGreaterThanOrEqual(1920 * 0.6);
    expect(window.h).toBeGreaterThan(1080);
    expect(reframeFilter(LANDSCAPE, { width: 1080, height: 1920 }, window, '0')).toContain(
      'overlay=',
    );
  });

  it('is a plain crop and scale when the window fits', () => {
    const window = planReframe(LANDSCAPE, { width: 1080, height: 1080 });
    expect(reframeFilter(LANDSCAPE, { width: 1080, height: 1080 }, window, '0')).toBe(
      'crop=1080:1080:420:0,scale=1080:1080:flags=lanczos',
    );
  });
});

/**
 * 16:9 clips of a magenta product off to the right (a wide one and a narrow one) exported as 9:16
 * and 1:1 ads: the ad has the target's size, and in a frame from each clip the product is whole
 * (its full area is there, scaled) and clear of the frame's edges.
 */
describe('exporting a 16:9 session to other aspects', () => {
  let dir: string;
  const products = [
    { name: 'narrow', box: { x: 0.62, y: 0.3, w: 0.12, h: 0.5 } },
    { name: 'wide', box: { x: 0.3, y: 0.35, w: 0.5, h: 0.4 } },
  ];
  const clips: Array<{
    path: string;
    width: number;
    height: number;
    productBox: (typeof products)[number]['box'];
  }> = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reframe-'));
    for (const { name, box } of products) {
      const still = join(dir, `${name}.png`);
      const [w, h] = [640, 360];
      await sharp({ create: { width: w, height: h, channels: 3, background: '#707070' } })
        .composite([
          {
            input: {
              create: {
                width: Math.round(box.w * w),
                height: Math.round(box.h * h),
                channels: 3,
                background: '#ff00ff',
              },
            },
            left: Math.round(box.x * w),
            top: Math.round(box.y * h),
          },
        ])
        .png()
        .toFile(still);
      const path = join(dir, `${name}.mp4`);
      await runFfmpeg([
        '-y',
        '-loop',
        '1',
        '-i',
        still,
        '-t',
        '3',
        '-r',
        '30',
        ...TEST_CLIP_H264,
        path,
      ]);
      clips.push({ path, width: w, height: h, productBox: box });
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** The magenta pixels of one frame: their count and bounding box. */
  async function magentaAt(video: string, seconds: number) {
    const png = join(dir, `f-${Math.random().toString(36).slice(2)}.png`);
    await runFfmpeg(['-y', '-ss', String(seconds), '-i', video, '-frames:v', '1', png]);
    const { data, info } = await sharp(png)
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    let count = 0;
    let [left, top, right, bottom] = [info.width, info.height, -1, -1];
    for (let y = 0; y < info.height; y++) {
      for (let x = 0; x < info.width; x++) {
        const i = (y * info.width + x) * 3;
        if (data[i]! > 200 && data[i + 1]! < 80 && data[i + 2]! > 200) {
          count++;
          left = Math.min(left, x);
          right = Math.max(right, x);
          top = Math.min(top, y);
          bottom = Math.max(bottom, y);
        }
      }
    }
    return { count, left, top, right, bottom, width: info.width, height: info.height };
  }

  it.each<AspectRatio>(['9:16', '1:1'])(
    'renders %s at its size with the product whole in frame',
    async (aspect) => {
      const size = frameSize(aspect);
      const ad = await renderAd({
        clips,
        productName: 'Reframed',
        callToAction: 'Shop now',
        colors: { primary: '#14213d', accent: '#fca311', text: '#ffffff' },
        musicPath: null,
        outputPath: join(dir, `ad-${aspect.replace(':', 'x')}.mp4`),
        ...size,
      });
      const video = (await ffprobe(ad.path)).streams.find((s) => s.codec_type === 'video');
      expect([video?.width, video?.height]).toEqual([size.width, size.height]);
      const clipSegments = ad.timeline.segments.filter((s) => s.kind === 'clip');
      expect(clipSegments).toHaveLength(products.length);
      for (const [i, segment] of clipSegments.entries()) {
        const { box } = products[i]!;
        // Mid-segment, away from the crossfades; the lower third sits in the bottom band.
        const seen = await magentaAt(ad.path, segment.startSeconds + segment.shownSeconds / 2);
        const window = planReframe({ width: 640, height: 360 }, size, box);
        const scale = size.width / window.w;
        const expected = box.w * 640 * scale * box.h * 360 * scale;
        console.log(
          `reframe ${aspect} ${products[i]!.name}: ${seen.count} of ${Math.round(expected)} product pixels`,
        );
        expect(seen.count).toBeGreaterThan(expected * 0.9);
        expect(seen.left).toBeGreaterThan(0);
        expect(seen.top).toBeGreaterThan(0);
        expect(seen.right).toBeLessThan(seen.width - 1);
        expect(seen.bottom).toBeLessThan(seen.height - 1);
      }
    },
  );
});
