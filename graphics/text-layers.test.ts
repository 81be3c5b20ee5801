import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { defaultFonts } from './fonts';
import { drawLayerImage, escapeMarkup } from './text-layers';
import type { TextLayerSpec } from '../core/render/text-plan';

const spec = (lines: string[]): TextLayerSpec => ({
  name: 'outroCta',
  lines,
  fontSize: 48,
  bold: true,
  colour: '#ffffff',
  plate: { colour: '#14213d', opacity: 1, padding: 22 },
  box: { x: 0, y: 0, width: 600, height: 300 },
});

describe('text layers', () => {
  it('escapes the characters Pango reads as markup', () => {
    expect(escapeMarkup(`<span size="9">&amp;</span>`)).toBe(
      '&lt;span size="9"&gt;&amp;amp;&lt;/span&gt;',
    );
  });

  it('draws markup-like text literally, within its box', async () => {
    // Unescaped, this would be a parse error, or giant text shrunk into the box. Drawn literally
    // it is as tall as the same text with brackets instead of angle brackets.
    const fonts = defaultFonts();
    const drawn = await drawLayerImage(spec([`<span size="900000">Big</span> & <b>`]), fonts);
    const plain = await drawLayerImage(spec([`[span size="900000"]Big[/span] + [b]`]), fonts);
    expect(drawn.width).toBeLessThanOrEqual(600);
    expect(drawn.height).toBeLessThanOrEqual(300);
    expect(Math.abs(drawn.height - plain.height)).toBeLessThan(plain.height * 0.1);
    const meta = await sharp(drawn.png).metadata();
    expect([meta.width, meta.height, meta.hasAlpha]).toEqual([drawn.width, drawn.height, true]);
  });

  it('scales a block that would overflow its box down into it', async () => {
    const long = Array.from({ length: 8 }, () => 'a line of text');
    const drawn = await drawLayerImage(spec(long), defaultFonts());
    expect(drawn.height).toBeLessThanOrEqual(300);
    expect(drawn.width).toBeLessThanOrEqual(600);
  });
});
