import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { defaultFonts, type RenderFonts } from './fonts';
import { introRulePosition, layerPositions, type PlacedLayer } from '../core/render/positions';
import { layoutAd } from '../core/render/layout';
import { drawLayerImage } from './text-layers';
import type { AdColours, AdTexts, LayerName } from '../core/render/text-plan';
import { LAYER_NAMES, planTextLayers } from '../core/render/text-plan';

/**
 * Stills of the ad's text before it is rendered: the intro card, the lower third over a real
 * frame and the outro card, each made with the render's own layout, text plan and drawings, so
 * what the person sees is what the render will place. Small JPEGs; no FFmpeg.
 */

export interface PreviewInput {
  width: number;
  height: number;
  texts: AdTexts;
  colors: AdColours;
  /** A frame of the ad (an approved image) for the lower third; a flat card when absent. */
  backdrop?: Buffer | undefined;
  fonts?: RenderFonts | undefined;
  /** Width of the returned stills in pixels. */
  previewWidth?: number | undefined;
}

export interface PreviewStills {
  introTitle: Buffer;
  lowerThird: Buffer;
  outro: Buffer;
  width: number;
  height: number;
}

export async function renderPreviewStills(input: PreviewInput): Promise<PreviewStills> {
  const { width, height } = input;
  const layout = layoutAd(width, height);
  const specs = planTextLayers(layout, input.texts, input.colors);
  const fonts = input.fonts ?? defaultFonts();
  const drawn = await Promise.all(specs.map((spec) => drawLayerImage(spec, fonts)));
  const images = Object.fromEntries(specs.map((spec, i) => [spec.name, drawn[i]!])) as Record<
    LayerName,
    { png: Buffer; width: number; height: number }
  >;
  const layers = Object.fromEntries(
    LAYER_NAMES.map((name, inputIndex) => {
      const placed: PlacedLayer = { name, inputIndex, ...images[name] };
      return [name, placed];
    }),
  ) as Record<LayerName, PlacedLayer>;
  const at = layerPositions({ layout, layers });
  const rule = introRulePosition({ layout, layers });
  const previewWidth = input.previewWidth ?? 480;
  const previewHeight = Math.round((previewWidth * height) / width);

  const card = () =>
    sharp({ create: { width, height, channels: 3, background: input.colors.primary } });
  const place = (name: LayerName) => ({
    input: images[name].png,
    left: at[name].x,
    top: at[name].y,
  });
  const finish = async (image: Sharp) =>
    sharp(await image.png().toBuffer())
      .resize(previewWidth, previewHeight)
      .jpeg({ quality: 82 })
      .toBuffer();

  const ruleImage = await sharp({
    create: {
      width: rule.width,
      height: rule.height,
      channels: 3,
      background: input.colors.accent,
    },
  })
    .png()
    .toBuffer();
  const backdrop = input.backdrop
    ? sharp(input.backdrop).resize(width, height, { fit: 'cover' })
    : card();
  const [introTitle, lowerThird, outro] = await Promise.all([
    finish(
      card().composite([place('introTitle'), { input: ruleImage, left: rule.x, top: rule.y }]),
    ),
    finish(backdrop.composite([place('lowerThird')])),
    finish(card().composite([place('outroName'), place('outroCta')])),
  ]);
  return { introTitle, lowerThird, outro, width: previewWidth, height: previewHeight };
}
