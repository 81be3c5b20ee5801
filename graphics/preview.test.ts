import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ASPECT_RATIOS } from '../core/options';
import { frameSize } from '../core/sizes';
import { renderPreviewStills } from './preview';

const TEXTS = { productName: 'Aero 🎧', callToAction: 'Shop now', lowerThird: 'Sound you feel' };
const COLOURS = { primary: '#14213d', accent: '#fca311', text: '#ffffff' };

async function pixels(jpeg: Buffer) {
  const { data, info } = await sharp(jpeg)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, info };
}

describe('preview stills', () => {
  it.each(ASPECT_RATIOS)(
    'shows the %s cards in the ad’s shape, text over a real frame',
    async (aspect) => {
      const { width, height } = frameSize(aspect);
      // A green frame: the lower third must sit on it, not on a card.
      const backdrop = await sharp({
        create: { width, height, channels: 3, background: '#20a040' },
      })
        .png()
        .toBuffer();
      const stills = await renderPreviewStills({
        width,
        height,
        texts: TEXTS,
        colors: COLOURS,
        backdrop,
        previewWidth: 360,
      });
      expect(stills.width).toBe(360);
      expect(stills.height).toBe(Math.round((360 * height) / width));
      for (const still of [stills.introTitle, stills.lowerThird, stills.outro]) {
        const meta = await sharp(still).metadata();
        expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 360, stills.height]);
      }
      // Mostly the frame's green, with the lower third's navy plate somewhere.
      const lower = await pixels(stills.lowerThird);
      let green = 0;
      let navy = 0;
      for (let o = 0; o < lower.data.length; o += 3) {
        const [r, g, b] = [lower.data[o]!, lower.data[o + 1]!, lower.data[o + 2]!];
        if (g > 130 && r < 70 && b < 100) green++;
        if (b > r + 20 && b > g && r < 60) navy++;
      }
      const total = lower.info.width * lower.info.height;
      expect(green / total).toBeGreaterThan(0.6);
      expect(navy / total).toBeGreaterThan(0.005);
      // The outro shows the accent plate of the call to action.
      const outro = await pixels(stills.outro);
      let accent = 0;
      for (let o = 0; o < outro.data.length; o += 3) {
        if (outro.data[o]! > 220 && outro.data[o + 1]! > 130 && outro.data[o + 2]! < 60) accent++;
      }
      expect(accent).toBeGreaterThan(100);
    },
  );
});
