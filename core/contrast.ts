import { HEX_COLOUR, isHexColour } from './colour';

/**
 * WCAG 2.x contrast, pure and dependency-free so the render and the compose form judge colours
 * the same way. Colours are '#rrggbb'.
 */

/** WCAG's minimum for normal-size text (success criterion 1.4.3, level AA). */
export const MIN_TEXT_CONTRAST = 4.5;

function channels(hex: string): [number, number, number] {
  const match = HEX_COLOUR.exec(hex);
  if (!match?.[1]) throw new Error('Colours must look like #1a2b3c');
  const value = parseInt(match[1], 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function toHex(rgb: readonly number[]): string {
  return `#${rgb
    .map((c) =>
      Math.round(Math.max(0, Math.min(255, c)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** Relative luminance as WCAG defines it (sRGB, linearised). */
export function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast ratio between two colours, 1..21. */
export function contrastRatio(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** `top` at `opacity` over `bottom`, as a plate over footage looks. */
export function blend(top: string, bottom: string, opacity: number): string {
  const t = channels(top);
  const b = channels(bottom);
  return toHex(t.map((c, i) => c * opacity + (b[i] ?? 0) * (1 - opacity)));
}

/**
 * Worst contrast of `text` on a translucent plate over footage of unknown colour: the plate is
 * judged over both black and white, the extremes footage can show through it.
 */
export function contrastOnPlate(text: string, plate: string, opacity: number): number {
  return Math.min(
    contrastRatio(text, blend(plate, '#000000', opacity)),
    contrastRatio(text, blend(plate, '#ffffff', opacity)),
  );
}

/** Mixes towards black (t < 0) or white (t > 0); |t| = 1 reaches it. */
function shade(hex: string, t: number): string {
  const target = t < 0 ? 0 : 255;
  return toHex(channels(hex).map((c) => c + (target - c) * Math.abs(t)));
}

/**
 * The colour closest to `colour` (by how far it is mixed towards black or white, keeping its hue)
 * whose contrast against every one of `backgrounds` is at least `min`. The colour itself when it
 * already passes. Either black or white passes against any single colour at 4.5:1 (the worst
 * case is about 4.58:1), so a single background always has an answer; for several, the best
 * reachable colour is returned even if it falls short.
 */
export function nearestPassing(
  colour: string,
  backgrounds: readonly string[],
  min: number = MIN_TEXT_CONTRAST,
): string {
  const worst = (c: string) => Math.min(...backgrounds.map((b) => contrastRatio(c, b)));
  if (worst(colour) >= min) return colour;
  let best = colour;
  let bestScore = worst(colour);
  for (let step = 1; step <= 100; step++) {
    for (const direction of [-1, 1]) {
      const candidate = shade(colour, (direction * step) / 100);
      const score = worst(candidate);
      if (score >= min) return candidate;
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
  }
  return best;
}

export interface CardColours {
  primary: string;
  accent: string;
  text: string;
}

/**
 * Default card colours from a style palette (most prominent first) and the product's colour: the
 * card is the palette's lead colour, the call-to-action plate the product colour, and the text the
 * palette colour (or white / near-black) that reads best on both. When no candidate reaches 4.5:1
 * on both surfaces, the text is moved to the nearest passing shade and, if the two surfaces pull
 * in opposite directions, the accent is shaded until the text reads on it too.
 */
export function defaultCardColours(palette: readonly string[], productHex?: string): CardColours {
  const colours = palette.filter(isHexColour).map((c) => c.toLowerCase());
  const primary = colours[0] ?? '#1d1d1f';
  const accentSource = productHex && isHexColour(productHex) ? productHex.toLowerCase() : null;
  const accent = accentSource ?? colours.find((c) => c !== primary) ?? '#ff5a36';
  const candidates = [...colours, '#ffffff', '#111111'];
  const score = (c: string) => Math.min(contrastRatio(c, primary), contrastRatio(c, accent));
  let text = candidates.reduce((best, c) => (score(c) > score(best) ? c : best));
  if (score(text) < MIN_TEXT_CONTRAST) text = nearestPassing(text, [primary, accent]);
  if (contrastRatio(text, primary) < MIN_TEXT_CONTRAST) text = nearestPassing(text, [primary]);
  const readableAccent = nearestPassing(accent, [text]);
  return { primary, accent: readableAccent, text };
}
