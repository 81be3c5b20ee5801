import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import type { RenderFonts } from './fonts';
import type { LayerName, TextLayerSpec } from '../core/render/text-plan';

/**
 * Draws the planned text layers as transparent PNGs with sharp's Pango renderer. Pango shapes
 * every script (Arabic joined and right to left, CJK, accents) and fontconfig falls back from the
 * chosen family to whichever installed font has the glyph (Noto CJK, Noto Naskh Arabic, Noto Color
 * Emoji), which FFmpeg's drawtext, limited to one font file, cannot. The text goes into Pango
 * markup escaped, and into the FFmpeg graph not at all: the graph only overlays these files.
 */

/** What a drawing needs of a layer's plan; captions use it without being one of the named layers. */
export type TextDrawingSpec = Omit<TextLayerSpec, 'name'>;

export interface DrawnLayer {
  name: LayerName;
  path: string;
  width: number;
  height: number;
}

/** Markup-escapes text: Pango reads `&`, `<` and `>` as markup. */
export function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

async function drawText(spec: TextDrawingSpec, fonts: RenderFonts, maxWidth: number) {
  const family = spec.bold ? fonts.bold : fonts.regular;
  const { data, info } = await sharp({
    text: {
      text: `<span foreground="${spec.colour}">${escapeMarkup(spec.lines.join('\n'))}</span>`,
      font: `${family} ${spec.fontSize}`,
      // The lines are already wrapped; Pango's own wrap only catches an estimate that ran wide.
      width: Math.max(1, Math.floor(maxWidth)),
      align: 'centre',
      wrap: 'word-char',
      rgba: true,
      dpi: 72,
      spacing: Math.round(spec.fontSize * 0.2),
    },
  })
    .png()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function plateSvg(width: number, height: number, colour: string, opacity: number, radius: number) {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<rect width="${width}" height="${height}" rx="${radius}" fill="${colour}" fill-opacity="${opacity}"/></svg>`,
  );
}

/** Draws one layer as PNG bytes; never larger than the layer's box (scaled down as a last resort). */
export async function drawLayerImage(
  spec: TextDrawingSpec,
  fonts: RenderFonts,
): Promise<{ png: Buffer; width: number; height: number }> {
  const pad = spec.plate?.padding ?? 0;
  const text = await drawText(spec, fonts, spec.box.width - 2 * pad);
  let image: Sharp;
  let width = text.width + 2 * pad;
  let height = text.height + 2 * pad;
  if (spec.plate) {
    const radius = Math.round(spec.fontSize * 0.25);
    image = sharp(plateSvg(width, height, spec.plate.colour, spec.plate.opacity, radius)).composite(
      [{ input: text.data, left: pad, top: pad }],
    );
  } else {
    image = sharp(text.data);
  }
  let png = await image.png().toBuffer();
  const scale = Math.min(1, spec.box.width / width, spec.box.height / height);
  if (scale < 1) {
    width = Math.max(1, Math.floor(width * scale));
    height = Math.max(1, Math.floor(height * scale));
    png = await sharp(png).resize(width, height, { fit: 'fill' }).png().toBuffer();
  }
  return { png, width, height };
}

/** Draws one layer into `dir` under a fixed name: nothing about the file name is the person's. */
export async function drawLayer(
  spec: TextLayerSpec,
  fonts: RenderFonts,
  dir: string,
): Promise<DrawnLayer> {
  const { png, width, height } = await drawLayerImage(spec, fonts);
  const path = join(dir, `text-${spec.name}.png`);
  await writeFile(path, png);
  return { name: spec.name, path, width, height };
}

export async function drawLayers(
  specs: readonly TextLayerSpec[],
  fonts: RenderFonts,
  dir: string,
): Promise<DrawnLayer[]> {
  return Promise.all(specs.map((spec) => drawLayer(spec, fonts, dir)));
}
