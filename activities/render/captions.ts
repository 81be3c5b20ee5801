import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MIN_TEXT_CONTRAST, blend, contrastOnPlate, nearestPassing } from '../../core/contrast';
import type { Cue } from '../../core/voice-timing';
import type { RenderFonts } from '../../graphics/fonts';
import type { AdLayout, Box } from '../../core/render/layout';
import { PLATE_PADDING_EM, formatKind } from '../../core/render/layout';
import { fitText } from '../../core/render/text';
import { drawLayerImage } from '../../graphics/text-layers';
import type { TextDrawingSpec } from '../../graphics/text-layers';
import { prepareText } from '../../core/render/text';

/**
 * Captions burned into the ad, one drawing per spoken phrase, shown exactly while the phrase is
 * heard (the cues come from the voice track's own timing). Each sits inside the format's safe
 * zone, on a plate that keeps its text at 4.5:1 or better over any footage, and never over
 * what else is on screen at that moment: the product (its box in the clip then playing), the
 * title, the lower third or the closing card. Like every text of the ad, it is drawn to an image
 * (Pango shapes every script) and only overlaid by the FFmpeg graph.
 */

/** Something a caption must keep clear of, while it is on screen. */
export interface Obstacle {
  box: Box;
  startSeconds: number;
  endSeconds: number;
  what: string;
}

export interface CaptionStyle {
  text: string;
  plate: string;
  opacity: number;
}

/** A drawn caption, where it goes and when. */
export interface PlacedCaption {
  text: string;
  path: string;
  x: number;
  y: number;
  width: number;
  height: number;
  startSeconds: number;
  endSeconds: number;
  /** What it could not keep clear of (empty when it is clear of everything). */
  overlaps: string[];
}

const CAPTION_PLATE_OPACITY = 0.82;
const NEUTRAL_PLATE = '#111111';

/**
 * The caption's colours: the ad's text colour on its primary colour when that pair reads at 4.5:1
 * over black and white footage alike (the plate lets some through), else white on near-black.
 */
export function captionStyle(colours: { primary: string; text: string }): CaptionStyle {
  const over = [
    blend(colours.primary, '#000000', CAPTION_PLATE_OPACITY),
    blend(colours.primary, '#ffffff', CAPTION_PLATE_OPACITY),
  ];
  const text = nearestPassing(colours.text, over, MIN_TEXT_CONTRAST);
  if (contrastOnPlate(text, colours.primary, CAPTION_PLATE_OPACITY) >= MIN_TEXT_CONTRAST) {
    return { text, plate: colours.primary, opacity: CAPTION_PLATE_OPACITY };
  }
  return { text: '#ffffff', plate: NEUTRAL_PLATE, opacity: CAPTION_PLATE_OPACITY };
}

/** The room a caption may take: wide, two lines, type sized to the frame's short side. */
export function captionSlot(layout: AdLayout) {
  const { width, height } = layout.frame;
  const short = Math.min(width, height);
  const kind = formatKind(width, height);
  const boxWidth = Math.round(layout.safe.width * (kind === 'landscape' ? 0.8 : 1));
  return {
    width: boxWidth,
    height: Math.round(short * 0.2),
    preferredSize: Math.round(short * (kind === 'portrait' ? 0.052 : 0.046)),
    minSize: Math.round(short * 0.032),
    maxLines: 2,
  };
}

const overlapArea = (a: Box, b: Box) =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

const grow = (box: Box, by: number): Box => ({
  x: box.x - by,
  y: box.y - by,
  width: box.width + 2 * by,
  height: box.height + 2 * by,
});

/**
 * Pure: where a caption of `size` goes while the obstacles given are on screen. Candidates run
 * from the bottom of the safe zone (where viewers look for captions) to its top, then the rows in
 * between; the first clear of every obstacle wins, else the one overlapping least.
 */
export function placeCaption(
  layout: AdLayout,
  size: { width: number; height: number },
  obstacles: readonly Obstacle[],
): { x: number; y: number; overlaps: string[] } {
  const { safe } = layout;
  const x = Math.round(safe.x + (safe.width - size.width) / 2);
  const bottom = safe.y + safe.height - size.height;
  const top = safe.y;
  const rows = [bottom, top];
  const step = Math.max(8, Math.round(size.height / 3));
  for (let y = bottom - step; y > top; y -= step) rows.push(y);
  const margin = Math.round(Math.min(layout.frame.width, layout.frame.height) * 0.01);
  let best = { x, y: bottom, score: Infinity, overlaps: [] as string[] };
  for (const y of rows) {
    const box = { x, y: Math.round(y), ...size };
    const hit = obstacles.filter((o) => overlapArea(grow(o.box, margin), box) > 0);
    const score = hit.reduce((sum, o) => sum + overlapArea(grow(o.box, margin), box), 0);
    if (score === 0) return { x, y: Math.round(y), overlaps: [] };
    if (score < best.score) best = { x, y: Math.round(y), score, overlaps: hit.map((o) => o.what) };
  }
  return { x: best.x, y: best.y, overlaps: best.overlaps };
}

/** The obstacles on screen at some moment of the cue. */
export function activeDuring(obstacles: readonly Obstacle[], cue: Cue): Obstacle[] {
  return obstacles.filter(
    (o) => o.startSeconds < cue.endSeconds && o.endSeconds > cue.startSeconds,
  );
}

/** Pure: the drawing plan of one caption (its lines and size fitted to the slot). */
export function captionSpec(text: string, layout: AdLayout, style: CaptionStyle): TextDrawingSpec {
  const slot = captionSlot(layout);
  const box = { x: 0, y: 0, width: slot.width, height: slot.height };
  const fitted = fitText(prepareText(text, 'Caption'), box, {
    preferred: slot.preferredSize,
    min: slot.minSize,
    maxLines: slot.maxLines,
    padEm: PLATE_PADDING_EM,
  });
  return {
    lines: fitted.lines,
    fontSize: fitted.fontSize,
    bold: true,
    colour: style.text,
    plate: {
      colour: style.plate,
      opacity: style.opacity,
      padding: Math.round(fitted.fontSize * PLATE_PADDING_EM),
    },
    box,
  };
}

/** Draws every caption into `dir` and places it; file names are ours, never the text's. */
export async function drawCaptions(
  cues: readonly Cue[],
  layout: AdLayout,
  colours: { primary: string; text: string },
  obstacles: readonly Obstacle[],
  fonts: RenderFonts,
  dir: string,
): Promise<PlacedCaption[]> {
  const style = captionStyle(colours);
  return Promise.all(
    cues.map(async (cue, index) => {
      const drawn = await drawLayerImage(captionSpec(cue.text, layout, style), fonts);
      const path = join(dir, `caption-${index}.png`);
      await writeFile(path, drawn.png);
      const at = placeCaption(layout, drawn, activeDuring(obstacles, cue));
      return {
        text: cue.text,
        path,
        x: at.x,
        y: at.y,
        width: drawn.width,
        height: drawn.height,
        startSeconds: cue.startSeconds,
        endSeconds: cue.endSeconds,
        overlaps: at.overlaps,
      };
    }),
  );
}
