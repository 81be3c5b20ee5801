/**
 * Where the ad's text goes, per format. Pure: from the frame size alone it gives the safe area
 * and a box for every text layer, so the render, the preview and the tests share one answer.
 */

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type FormatKind = 'landscape' | 'square' | 'portrait';

export function formatKind(width: number, height: number): FormatKind {
  if (width > height) return 'landscape';
  if (width === height) return 'square';
  return 'portrait';
}

/**
 * Margins (fractions of the frame) that text and logos keep clear of.
 * - portrait (9:16): Meta's Reels guidance keeps the top 14 %, the bottom 35 % and 6 % of each
 *   side free of text (profile chip, caption, CTA button, progress bar); TikTok's right-hand
 *   action column (like / comment / share / profile, about 120-140 px of 1080) is wider than 6 %,
 *   so the right margin is 13 % (140 px). Shorts' overlays fall inside the same bands.
 * - square (1:1): Meta's feed guidance, 6 % on every side.
 * - landscape (16:9): broadcast title-safe, the central 90 % (SMPTE ST 2046-1), i.e. 5 % a side.
 */
export const SAFE_MARGINS: Record<
  FormatKind,
  { top: number; bottom: number; left: number; right: number }
> = {
  portrait: { top: 0.14, bottom: 0.35, left: 0.06, right: 0.13 },
  square: { top: 0.06, bottom: 0.06, left: 0.06, right: 0.06 },
  landscape: { top: 0.05, bottom: 0.05, left: 0.05, right: 0.05 },
};

export function safeZone(width: number, height: number): Box {
  const m = SAFE_MARGINS[formatKind(width, height)];
  const x = Math.ceil(width * m.left);
  const y = Math.ceil(height * m.top);
  return {
    x,
    y,
    width: Math.floor(width * (1 - m.right)) - x,
    height: Math.floor(height * (1 - m.bottom)) - y,
  };
}

/** Sizes in pixels for one text layer: where it may go and how large its type may be. */
export interface TextSlot {
  box: Box;
  preferredSize: number;
  /** The floor: text wraps, then shrinks, but never below this. */
  minSize: number;
  maxLines: number;
  /** A plate behind the text (its padding is inside the box). */
  plate: boolean;
}

export interface AdLayout {
  frame: { width: number; height: number };
  safe: Box;
  introTitle: TextSlot;
  /** The accent rule under the intro title: its top is placed below the rendered title. */
  introRule: { width: number; height: number; gap: number };
  outroName: TextSlot;
  outroCta: TextSlot;
  lowerThird: TextSlot;
}

/** Padding of a plate around its text, as a share of the font size. */
export const PLATE_PADDING_EM = 0.45;

function inset(box: Box, dx: number, y: number, height: number): Box {
  return {
    x: Math.round(box.x + dx),
    y: Math.round(y),
    width: Math.round(box.width - 2 * dx),
    height: Math.round(height),
  };
}

export function layoutAd(width: number, height: number): AdLayout {
  const safe = safeZone(width, height);
  const kind = formatKind(width, height);
  const short = Math.min(width, height);
  // Type scales with the short side, so a tall ad's text is as large as a wide ad's.
  const em = (share: number) => Math.round(short * share);
  const bottom = safe.y + safe.height;
  const portrait = kind === 'portrait';

  const titleHeight = safe.height * (portrait ? 0.4 : 0.5);
  const introTitle: TextSlot = {
    box: inset(safe, safe.width * 0.04, safe.y + (safe.height - titleHeight) / 2, titleHeight),
    preferredSize: em(0.1),
    minSize: em(0.032),
    maxLines: 2,
    plate: false,
  };
  const nameHeight = safe.height * 0.24;
  const outroName: TextSlot = {
    box: inset(safe, safe.width * 0.04, safe.y + safe.height * 0.08, nameHeight),
    preferredSize: em(0.055),
    minSize: em(0.03),
    maxLines: 2,
    plate: false,
  };
  const ctaTop = safe.y + safe.height * 0.4;
  const outroCta: TextSlot = {
    box: inset(safe, 0, ctaTop, safe.height * 0.5),
    preferredSize: em(0.075),
    minSize: em(0.032),
    maxLines: 2,
    plate: true,
  };
  // Landscape keeps the classic lower third, left-aligned and not across the whole product;
  // square and portrait use the full safe width, since the product fills the middle anyway.
  // In 9:16 the safe area ends at 65 % of the height, where the product stands (the studio puts
  // its floor at 80 %), so the line goes to the top of the safe area, over empty backdrop.
  const lowerWidth = kind === 'landscape' ? safe.width * 0.6 : safe.width;
  const lowerHeight = safe.height * (portrait ? 0.22 : 0.26);
  const lowerThird: TextSlot = {
    box: {
      x: safe.x,
      y: Math.round(portrait ? safe.y : bottom - lowerHeight),
      width: Math.round(lowerWidth),
      height: Math.round(lowerHeight),
    },
    preferredSize: em(0.05),
    minSize: em(0.03),
    maxLines: 2,
    plate: true,
  };
  return {
    frame: { width, height },
    safe,
    introTitle,
    introRule: {
      width: Math.round(safe.width * 0.18),
      height: Math.max(2, Math.round(short * 0.008)),
      gap: Math.round(short * 0.03),
    },
    outroName,
    outroCta,
    lowerThird,
  };
}

export function contains(outer: Box, inner: Box): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}
