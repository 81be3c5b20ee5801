import type { AdLayout, Box } from './layout';
import type { LayerName } from './text-plan';

/**
 * Where the drawn text layers land in the frame: the render's filter graph overlays them there,
 * and the API's preview stills composite them at the same places.
 */

export interface PlacedLayer {
  name: LayerName;
  /** Index of the PNG among FFmpeg's inputs (one frame, repeated by the graph). */
  inputIndex: number;
  width: number;
  height: number;
}

/** The layout of a frame and the drawn size of each text layer. */
export interface TextPlacement {
  layout: AdLayout;
  layers: Record<LayerName, PlacedLayer>;
}

/** Top-left corner of a drawing inside its box, centred or aligned to the box's start. */
export function placeInBox(
  box: Box,
  size: { width: number; height: number },
  align: { x: 'centre' | 'start'; y: 'centre' | 'start' | 'end' },
): { x: number; y: number } {
  const x = align.x === 'centre' ? box.x + (box.width - size.width) / 2 : box.x;
  const y =
    align.y === 'centre'
      ? box.y + (box.height - size.height) / 2
      : align.y === 'start'
        ? box.y
        : box.y + box.height - size.height;
  return { x: Math.round(x), y: Math.round(y) };
}

/** Where each text layer lands in the frame; what the safe-zone tests check. */
export function layerPositions(style: TextPlacement): Record<LayerName, Box> {
  const { layout, layers } = style;
  const at = (name: LayerName, align: Parameters<typeof placeInBox>[2]): Box => {
    const layer = layers[name];
    return {
      ...placeInBox(layout[name].box, layer, align),
      width: layer.width,
      height: layer.height,
    };
  };
  const { width, height } = layout.frame;
  const lowerAlign = width > height ? 'start' : 'centre';
  // Portrait puts the line at the top of the safe area (layout.ts), so it hangs from the top.
  const lowerEdge = width < height ? 'start' : 'end';
  return {
    introTitle: at('introTitle', { x: 'centre', y: 'centre' }),
    outroName: at('outroName', { x: 'centre', y: 'end' }),
    outroCta: at('outroCta', { x: 'centre', y: 'centre' }),
    lowerThird: at('lowerThird', { x: lowerAlign, y: lowerEdge }),
  };
}

/** The accent rule under the intro title, centred, inside the safe area. */
export function introRulePosition(style: TextPlacement): Box {
  const title = layerPositions(style).introTitle;
  const { width, height, gap } = style.layout.introRule;
  return {
    x: Math.round((style.layout.frame.width - width) / 2),
    y: title.y + title.height + gap,
    width,
    height,
  };
}
