import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASPECT_RATIOS } from '../../core/options';
import type { AspectRatio } from '../../core/options';
import { ffprobe, runFfmpeg } from '../media/ffmpeg';
import { frameSize } from '../../core/sizes';
import type { Box } from '../../core/render/layout';
import { contains, safeZone } from '../../core/render/layout';
import { renderAd } from './render';
import type { RenderedAd } from './render';
import { requiredConditionInCi } from '../../test/support/required';
import { TEST_CLIP_H264 } from '../../test/support/media';

/**
 * One short ad per format, text in several scripts: the ad's size, every text drawing inside the
 * format's safe zone (measured on decoded frames, not taken from the plan), and Chinese, Arabic
 * and emoji drawn as themselves (OCR with tesseract; a colour check for the emoji).
 */

const run = promisify(execFile);
const hasTesseract = spawnSync('tesseract', ['--list-langs'], { encoding: 'utf8' });
const languages = hasTesseract.status === 0 ? hasTesseract.stdout : '';
const canRead = (lang: string) =>
  requiredConditionInCi(
    `tesseract cannot read ${lang}`,
    new RegExp(`^${lang}$`, 'm').test(languages),
  );

const COLOURS = { primary: '#14213d', accent: '#fca311', text: '#ffffff' };

const TEXTS: Record<AspectRatio, { productName: string; callToAction: string; tagline: string }> = {
  '16:9': {
    productName: 'Crème Brûlée Café',
    callToAction: 'Order today and get free shipping plus a thirty day no-questions-asked return',
    tagline: 'Lighter. Faster. Recycled.',
  },
  '9:16': {
    productName: '超轻跑鞋专业版',
    callToAction: 'اشتر الآن واحصل على شحن مجاني',
    tagline: 'Hot 🔥🍓',
  },
  '1:1': {
    productName: 'Aero 🎧',
    callToAction: 'Shop the whole new summer range today with free delivery on every order',
    tagline: 'Sound you can feel',
  },
};

let root: string;
let clip: string;
const ads = new Map<AspectRatio, RenderedAd>();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'formats-test-'));
  clip = join(root, 'clip.mp4');
  // Landscape footage, so every other format proves the clip is reframed to the session's size.
  await runFfmpeg([
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=640x360:rate=30',
    '-t',
    '2',
    ...TEST_CLIP_H264,
    join(root, 'clip.mp4'),
  ]);
  for (const aspect of ASPECT_RATIOS) {
    const { width, height } = frameSize(aspect);
    const ad = await renderAd({
      clips: [{ path: clip }, { path: clip }],
      ...TEXTS[aspect],
      colors: COLOURS,
      musicPath: null,
      outputPath: join(root, `ad-${aspect.replace(':', 'x')}.mp4`),
      width,
      height,
      encoder: { preset: 'ultrafast' },
    });
    ads.set(aspect, ad);
  }
}, 180_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Frame {
  data: Buffer;
  width: number;
  height: number;
}

async function frameAt(path: string, seconds: number): Promise<Frame> {
  const png = join(root, `frame-${Math.random().toString(36).slice(2)}.png`);
  await runFfmpeg(['-ss', seconds.toFixed(3), '-i', path, '-frames:v', '1', png]);
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Bounding box of the pixels that differ clearly from a flat card of `colour`. */
function inkBounds(frame: Frame, colour: string): Box | null {
  const ref = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < frame.height; y++) {
    for (let x = 0; x < frame.width; x++) {
      const o = (y * frame.width + x) * 3;
      const diff = Math.max(
        ...[0, 1, 2].map((c) => Math.abs((frame.data[o + c] ?? 0) - (ref[c] ?? 0))),
      );
      if (diff < 48) continue;
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
  }
  if (maxX < 0) return null;
  return { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

/** The frame's pixels in `box`, with a quiet margin around them (tesseract misreads text cut
 * tight at its edges). */
async function crop(path: string, seconds: number, box: Box, out: string): Promise<string> {
  const png = join(root, `full-${out}`);
  await runFfmpeg(['-ss', seconds.toFixed(3), '-i', path, '-frames:v', '1', png]);
  const { width = 0, height = 0 } = await sharp(png).metadata();
  const margin = 16;
  const left = Math.max(0, box.x - margin);
  const top = Math.max(0, box.y - margin);
  await sharp(png)
    .extract({
      left,
      top,
      width: Math.min(width, box.x + box.width + margin) - left,
      height: Math.min(height, box.y + box.height + margin) - top,
    })
    .toFile(join(root, out));
  return join(root, out);
}

async function ocr(image: string, lang: string): Promise<string> {
  const { stdout } = await run('tesseract', [image, '-', '-l', lang, '--psm', '6']);
  return stdout.replace(/\s+/g, '');
}

describe.each(ASPECT_RATIOS)('a %s ad', (aspect) => {
  const { width, height } = frameSize(aspect);
  const ad = () => ads.get(aspect)!;

  it('has the format’s size', async () => {
    const video = (await ffprobe(ad().path)).streams.find((s) => s.codec_type === 'video');
    expect([video?.width, video?.height]).toEqual([width, height]);
    expect(video?.r_frame_rate).toBe('30/1');
  });

  it('keeps every text drawing inside the safe zone', async () => {
    const zone = safeZone(width, height);
    for (const box of Object.values(ad().textBoxes)) expect(contains(zone, box)).toBe(true);
    // Measured: everything drawn on the intro and outro cards lies inside the zone.
    const settledIntro = await frameAt(ad().path, 0.8);
    const lastFrame = await frameAt(ad().path, ad().durationSeconds - 0.1);
    for (const frame of [settledIntro, lastFrame]) {
      const ink = inkBounds(frame, COLOURS.primary);
      expect(ink).not.toBeNull();
      expect(contains(zone, ink!)).toBe(true);
    }
  });
});

describe('every script', () => {
  const tall = () => ads.get('9:16')!;

  it.skipIf(!canRead('chi_sim'))('draws Chinese as Chinese', async () => {
    const image = await crop(tall().path, 0.8, tall().textBoxes.introTitle, 'cjk.png');
    // Tesseract misreads a character now and then; two exact pairs out of seven are not chance.
    expect(await ocr(image, 'chi_sim')).toMatch(/超轻|专业版/);
  });

  it.skipIf(!canRead('ara'))('draws Arabic joined, right to left', async () => {
    const box = tall().textBoxes.outroCta;
    const image = await crop(tall().path, tall().durationSeconds - 0.1, box, 'arabic.png');
    const text = await ocr(image, 'ara');
    // Tesseract reads Arabic in logical order; a box or unjoined letters do not read as these.
    expect(text).toMatch(/الآن|مجاني|شحن/);
  });

  it('draws emoji in colour, not as the missing-glyph box', async () => {
    const box = tall().textBoxes.lowerThird;
    const middle = tall().durationSeconds / 2;
    const { data, info } = await sharp(await crop(tall().path, middle, box, 'emoji.png'))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    // The plate is navy and the text white; only a colour emoji puts warm saturated pixels here
    // (the fire and strawberry are red, orange and green). A missing-glyph box is drawn in the
    // text colour, white.
    let warm = 0;
    for (let o = 0; o < data.length; o += 3) {
      const [r, g, b] = [data[o] ?? 0, data[o + 1] ?? 0, data[o + 2] ?? 0];
      if (r > 150 && r - b > 90 && r >= g) warm++;
    }
    expect(warm / (info.width * info.height)).toBeGreaterThan(0.01);
  });
});
